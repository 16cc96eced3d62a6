"""Daily reminders: who is due, why not, snooze, the lighter reminder and escalation.

`evaluate` decides for every active employee at one instant (the dry run prints it);
`run_due` queues what is due. Each message is written once: a `reminder_log` row per
(person, local day, kind) is inserted with ON CONFLICT DO NOTHING, and only the process
whose insert took it queues the outbox row (whose dedupe_key is unique as well), so two
schedulers ticking the same minute queue each reminder once.

A reminder is due from the person's local reminder time until the end of working hours
(bot.workcalendar.due_window): a worker that was down at 15:30 catches up at 15:50, never
at 19:00. After `ESCALATE_AFTER` reminded workdays in a row with nothing logged, the
atasan is told once per streak, with a button to nudge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callback_data import CallbackData, Day, Int, Word, spec
from bot.config import Settings
from bot.employees import call_name
from bot.i18n import format_date, format_hours, t
from bot.outbox import DOCUMENT_METHOD
from bot.workcalendar import Calendar, due_window, load_calendar
from storage.models import Activity, Employee, OutboxMessage, ReminderLog

ESCALATE_AFTER = 3
SNOOZE = timedelta(hours=1)
LIGHT_PREF_DAY = date(2000, 1, 1)  # reminder_log row (kind "light_on") = opted in
LOOKBACK_DAYS = 45  # how far back a missed streak is followed


@dataclass(frozen=True)
class RemPress(CallbackData, prefix="rem"):
    """Buttons on a reminder (lapor, cuti, snooze) and on the atasan's notice (nudge)."""

    op: str = spec(Word("lapor", "cuti", "snooze", "nudge"))
    day: date = spec(Day())
    employee: int | None = spec(Int(1), default=None)  # nudge: whom

    def valid(self) -> bool:
        return (self.op == "nudge") == (self.employee is not None)


@dataclass(frozen=True)
class Decision:
    employee_id: int
    nip: str
    name: str
    remind: bool
    reason: str  # "" when remind; weekend, holiday: <name>, cuti_bersama, leave, ...
    day: date  # the person's local date
    local_time: time


@dataclass
class _Person:
    id: int
    nip: str
    name: str
    unit_id: int | None
    timezone: str | None
    reminder_time: time | None
    chat_id: int | None
    blocked: bool
    language: str
    supervisor_id: int | None


async def _people(session: AsyncSession, ids: Sequence[int] | None = None) -> list[_Person]:
    query = (
        select(
            Employee.id,
            Employee.nip,
            Employee.name,
            Employee.unit_id,
            Employee.timezone,
            Employee.reminder_time,
            Employee.telegram_user_id,
            Employee.blocked_bot_at,
            Employee.language,
            Employee.supervisor_id,
        )
        .where(Employee.active.is_(True))
        .order_by(Employee.nip)
    )
    if ids is not None:
        query = query.where(Employee.id.in_(list(ids)))
    return [
        _Person(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7] is not None, r[8], r[9])
        for r in (await session.execute(query)).tuples()
    ]


async def reported_days(
    session: AsyncSession, ids: Sequence[int], start: date, end: date
) -> dict[int, dict[date, int]]:
    """Minutes logged per employee and day in [start, end] (one grouped query)."""
    out: dict[int, dict[date, int]] = {}
    if not ids:
        return out
    rows = await session.execute(
        select(Activity.employee_id, Activity.work_date, func.sum(Activity.minutes))
        .where(
            Activity.employee_id.in_(list(ids)),
            Activity.work_date >= start,
            Activity.work_date <= end,
        )
        .group_by(Activity.employee_id, Activity.work_date)
    )
    for emp, day, minutes in rows.tuples():
        out.setdefault(emp, {})[day] = int(minutes or 0)
    return out


async def _logged(
    session: AsyncSession, kinds: Sequence[str], start: date, end: date
) -> dict[tuple[int, date, str], str | None]:
    rows = await session.execute(
        select(
            ReminderLog.employee_id, ReminderLog.day, ReminderLog.kind, ReminderLog.detail
        ).where(ReminderLog.kind.in_(list(kinds)), ReminderLog.day >= start, ReminderLog.day <= end)
    )
    return {(e, d, k): detail for e, d, k, detail in rows.tuples()}


def _reason(off_reason: str, name: str) -> str:
    if off_reason in ("holiday", "local"):
        return f"holiday: {name}"
    if off_reason == "dinas":
        return "leave"
    return off_reason


@dataclass
class Snapshot:
    """What one evaluation read, reused by run_due."""

    now: datetime
    people: list[_Person]
    calendar: Calendar
    reported: dict[int, dict[date, int]]
    logged: dict[tuple[int, date, str], str | None]
    decisions: list[Decision]
    local: dict[int, datetime]


async def snapshot(
    session: AsyncSession,
    settings: Settings,
    now: datetime,
    ids: Sequence[int] | None = None,
    *,
    scheduling: bool = False,
) -> Snapshot:
    """Decisions at `now`. `scheduling`: read activities only for people who could be due
    (the tick runs every few seconds for 10,000 people; the dry run reads everyone's)."""
    people = await _people(session, ids)
    start = now.date() - timedelta(days=1)  # local days run from UTC-1 to UTC+1
    end = now.date() + timedelta(days=1)
    calendar = await load_calendar(
        session, start, end, now=now, employee_ids=None if ids is None else list(ids)
    )
    logged = await _logged(session, ("daily", "snooze_req", "snooze", "light"), start, end)
    logged.update(await _logged(session, ("light_on",), LIGHT_PREF_DAY, LIGHT_PREF_DAY))
    default_time = settings.reminder_time
    local_of: dict[int, datetime] = {}
    before: list[tuple[_Person, date, str, bool]] = []  # person, day, reason, in window
    for p in people:
        tz = calendar.zone(p.timezone, p.unit_id, settings.default_timezone)
        local = now.astimezone(tz)
        local_of[p.id] = local
        day = local.date()
        at = calendar.reminder_time(p.reminder_time, p.unit_id, default_time)
        reason = ""
        off = calendar.day_off(day, p.unit_id, p.id)
        if off is not None:
            reason = _reason(off.reason, off.name)
        elif p.chat_id is None:
            reason = "not_linked"
        elif p.blocked:
            reason = "blocked"
        start_at, end_at = due_window(day, at, settings.workday_minutes)
        in_window = start_at <= local.time().replace(tzinfo=None) < end_at
        before.append((p, day, reason, in_window))
    if scheduling:
        wanted = [
            p.id
            for p, day, reason, in_window in before
            if not reason
            and (
                (in_window and (p.id, day, "daily") not in logged)
                or (in_window and (p.id, LIGHT_PREF_DAY, "light_on") in logged)
                or ((p.id, day, "snooze_req") in logged and (p.id, day, "snooze") not in logged)
            )
        ]
    else:
        wanted = [p.id for p in people]
    reported = await reported_days(session, wanted, start, end)
    decisions: list[Decision] = []
    for p, day, reason, in_window in before:
        if not reason and day in reported.get(p.id, {}):
            reason = "already_reported"
        elif not reason and (not in_window or (p.id, day, "daily") in logged):
            reason = "not_due"
        local = local_of[p.id]
        decisions.append(Decision(p.id, p.nip, p.name, not reason, reason, day, local.time()))
    return Snapshot(now, people, calendar, reported, logged, decisions, local_of)


async def evaluate(
    session: AsyncSession, settings: Settings, now: datetime, ids: Sequence[int] | None = None
) -> list[Decision]:
    """One decision per active employee at `now` (the dry run and the scheduler agree)."""
    return (await snapshot(session, settings, now, ids)).decisions


# --- queueing ---------------------------------------------------------------------------


async def claim_log(
    session: AsyncSession,
    rows: list[dict[str, Any]],
) -> set[tuple[int, date, str]]:
    """Insert reminder_log rows; the (employee, day, kind) keys this call inserted."""
    if not rows:
        return set()
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    taken: set[tuple[int, date, str]] = set()
    for chunk in range(0, len(rows), 500):
        stmt = (
            insert(ReminderLog)
            .values(rows[chunk : chunk + 500])
            .on_conflict_do_nothing(index_elements=["employee_id", "day", "kind"])
            .returning(ReminderLog.employee_id, ReminderLog.day, ReminderLog.kind)
        )
        taken.update((await session.execute(stmt)).tuples())
    return taken


async def enqueue_many(session: AsyncSession, messages: list[dict[str, Any]]) -> int:
    """Bulk outbox insert (sendMessage, or sendDocument with `document`); rows whose
    dedupe_key exists are skipped.

    Each message: chat_id, text, dedupe_key, now, and optionally reply_markup, not_before,
    broadcast_id, document (a Telegram file_id; `text` is then its caption)."""
    if not messages:
        return 0
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    values = []
    for m in messages:
        method = "sendMessage"
        payload: dict[str, Any] = {"text": m["text"], "parse_mode": "HTML"}
        if m.get("document"):
            method = DOCUMENT_METHOD
            payload = {"document": m["document"], "caption": m["text"], "parse_mode": "HTML"}
        if m.get("reply_markup") is not None:
            payload["reply_markup"] = m["reply_markup"]
        values.append(
            {
                "dedupe_key": m["dedupe_key"],
                "chat_id": m["chat_id"],
                "method": method,
                "payload": payload,
                "not_before": m.get("not_before") or m["now"],
                "status": "pending",
                "attempts": 0,
                "created_at": m["now"],
                "broadcast_id": m.get("broadcast_id"),
            }
        )
    queued = 0
    for chunk in range(0, len(values), 500):
        stmt = (
            insert(OutboxMessage)
            .values(values[chunk : chunk + 500])
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(OutboxMessage.id)
        )
        queued += len((await session.execute(stmt)).scalars().all())
    return queued


def reminder_markup(lang: str, day: date) -> dict[str, Any]:
    def b(key: str, op: str) -> dict[str, str]:
        return {"text": t(lang, key), "callback_data": RemPress(op, day).encode()}

    return {
        "inline_keyboard": [
            [b("reminders.button_report", "lapor")],
            [b("reminders.button_leave", "cuti"), b("reminders.button_snooze", "snooze")],
        ]
    }


def reminder_text(lang: str, name: str, day: date, missed: int = 0) -> str:
    text = t(lang, "reminders.daily", name=call_name(name), date=format_date(day, lang))
    if missed:
        text += "\n\n" + t(lang, "reminders.late_welcome", days=missed)
    return text


@dataclass
class Queued:
    daily: int = 0
    snooze: int = 0
    light: int = 0
    escalation: int = 0

    @property
    def total(self) -> int:
        return self.daily + self.snooze + self.light + self.escalation


def _missed_streak(
    calendar: Calendar,
    person: _Person,
    today: date,
    reminded: set[tuple[int, date]],
    reported: dict[int, dict[date, int]],
) -> list[date]:
    """The workdays before today, newest first, that were reminded and left empty."""
    streak: list[date] = []
    day = today - timedelta(days=1)
    for _ in range(LOOKBACK_DAYS - 1):
        if calendar.is_workday(day, person.unit_id, person.id):
            if (person.id, day) not in reminded or day in reported.get(person.id, {}):
                break
            streak.append(day)
        day -= timedelta(days=1)
    return streak


async def _history(
    session: AsyncSession, ids: list[int], now: datetime
) -> tuple[Calendar, set[tuple[int, date]], dict[int, dict[date, int]]]:
    """The last LOOKBACK_DAYS of the people reminded now: calendar, reminded days, reports."""
    start, end = now.date() - timedelta(days=LOOKBACK_DAYS), now.date() + timedelta(days=1)
    calendar = await load_calendar(session, start, end, now=now, employee_ids=ids)
    rows = await session.execute(
        select(ReminderLog.employee_id, ReminderLog.day).where(
            ReminderLog.employee_id.in_(ids),
            ReminderLog.kind == "daily",
            ReminderLog.day >= start,
        )
    )
    return calendar, set(rows.tuples().all()), await reported_days(session, ids, start, end)


async def run_due(
    session: AsyncSession,
    settings: Settings,
    now: datetime,
    *,
    escalate_after: int = ESCALATE_AFTER,
) -> Queued:
    """Queue every reminder due at `now` (daily, snoozed, lighter, escalations)."""
    snap = await snapshot(session, settings, now, scheduling=True)
    done = Queued()
    by_id = {p.id: p for p in snap.people}
    due = [d for d in snap.decisions if d.remind]
    taken = await claim_log(
        session,
        [
            {"employee_id": d.employee_id, "day": d.day, "kind": "daily", "created_at": now}
            for d in due
        ],
    )
    reminded_now = sorted({e for (e, _d, _k) in taken})
    if reminded_now:
        calendar, reminded, history = await _history(session, reminded_now, now)
    messages: list[dict[str, Any]] = []
    escalations: list[dict[str, Any]] = []
    for d in due:
        if (d.employee_id, d.day, "daily") not in taken:
            continue
        person = by_id[d.employee_id]
        assert person.chat_id is not None
        streak = _missed_streak(calendar, person, d.day, reminded, history)
        messages.append(
            {
                "chat_id": person.chat_id,
                "text": reminder_text(person.language, person.name, d.day, len(streak)),
                "reply_markup": reminder_markup(person.language, d.day),
                "dedupe_key": f"rem:{person.id}:{d.day.isoformat()}",
                "now": now,
            }
        )
        done.daily += 1
        if len(streak) >= escalate_after and person.supervisor_id is not None:
            escalations.append({"person": person, "streak": streak, "day": d.day})
    messages += await _snoozes(session, snap, settings, now, done)
    messages += await _light(session, snap, settings, now, done)
    messages += await _escalations(session, escalations, now, done)
    await enqueue_many(session, messages)
    return done


async def _snoozes(
    session: AsyncSession, snap: Snapshot, settings: Settings, now: datetime, done: Queued
) -> list[dict[str, Any]]:
    """Snoozed reminders whose hour has come: once, and not if the person reported since."""
    by_id = {p.id: p for p in snap.people}
    wanted = []
    for (emp, day, kind), detail in snap.logged.items():
        if kind != "snooze_req" or (emp, day, "snooze") in snap.logged or detail is None:
            continue
        person = by_id.get(emp)
        if person is None or person.chat_id is None or person.blocked:
            continue
        local = snap.local[emp]
        if day != local.date() or day in snap.reported.get(emp, {}):
            continue
        if datetime.fromisoformat(detail) <= now:
            wanted.append((person, day))
    taken = await claim_log(
        session,
        [{"employee_id": p.id, "day": d, "kind": "snooze", "created_at": now} for p, d in wanted],
    )
    out = []
    for person, day in wanted:
        if (person.id, day, "snooze") not in taken:
            continue
        assert person.chat_id is not None
        done.snooze += 1
        out.append(
            {
                "chat_id": person.chat_id,
                "text": t(person.language, "reminders.snoozed_again", name=call_name(person.name)),
                "reply_markup": reminder_markup(person.language, day),
                "dedupe_key": f"rem:{person.id}:{day.isoformat()}:snooze",
                "now": now,
            }
        )
    return out


async def _light(
    session: AsyncSession, snap: Snapshot, settings: Settings, now: datetime, done: Queued
) -> list[dict[str, Any]]:
    """The lighter reminder (opt-in in /pengaturan): logged something, below the workday."""
    wanted = []
    for d in snap.decisions:
        if d.reason != "already_reported" or (d.employee_id, LIGHT_PREF_DAY, "light_on") not in (
            snap.logged
        ):
            continue
        if (d.employee_id, d.day, "light") in snap.logged:
            continue
        minutes = snap.reported.get(d.employee_id, {}).get(d.day, 0)
        if minutes >= settings.workday_minutes:
            continue
        person = next(p for p in snap.people if p.id == d.employee_id)
        at = snap.calendar.reminder_time(
            person.reminder_time, person.unit_id, settings.reminder_time
        )
        start_at, end_at = due_window(d.day, at, settings.workday_minutes)
        if start_at <= d.local_time.replace(tzinfo=None) < end_at:
            wanted.append((person, d.day, minutes))
    taken = await claim_log(
        session,
        [
            {"employee_id": p.id, "day": day, "kind": "light", "created_at": now}
            for p, day, _ in wanted
        ],
    )
    out = []
    for person, day, minutes in wanted:
        if (person.id, day, "light") not in taken:
            continue
        assert person.chat_id is not None
        done.light += 1
        lang = person.language
        out.append(
            {
                "chat_id": person.chat_id,
                "text": t(
                    lang,
                    "reminders.light",
                    hours=format_hours(minutes, lang),
                    target=format_hours(settings.workday_minutes, lang),
                ),
                "dedupe_key": f"rem:{person.id}:{day.isoformat()}:light",
                "now": now,
            }
        )
    return out


async def _escalations(
    session: AsyncSession, wanted: list[dict[str, Any]], now: datetime, done: Queued
) -> list[dict[str, Any]]:
    """Tell the atasan once per streak (keyed by the streak's first day)."""
    if not wanted:
        return []
    sup_ids = {w["person"].supervisor_id for w in wanted}
    sups = {
        row[0]: row
        for row in (
            await session.execute(
                select(
                    Employee.id, Employee.telegram_user_id, Employee.language, Employee.name
                ).where(
                    Employee.id.in_(sup_ids),
                    Employee.active.is_(True),
                    Employee.blocked_bot_at.is_(None),
                    Employee.telegram_user_id.is_not(None),
                )
            )
        ).tuples()
    }
    rows = [
        {
            "employee_id": w["person"].id,
            "day": w["streak"][-1],
            "kind": "escalation",
            "created_at": now,
        }
        for w in wanted
        if w["person"].supervisor_id in sups
    ]
    taken = await claim_log(session, rows)
    out = []
    for w in wanted:
        person, streak = w["person"], w["streak"]
        if (person.id, streak[-1], "escalation") not in taken:
            continue
        _sid, chat_id, lang, _sname = sups[person.supervisor_id]
        done.escalation += 1
        markup = {
            "inline_keyboard": [
                [
                    {
                        "text": t(lang, "reminders.button_nudge"),
                        "callback_data": RemPress("nudge", w["day"], person.id).encode(),
                    }
                ]
            ]
        }
        out.append(
            {
                "chat_id": chat_id,
                "text": t(
                    lang,
                    "reminders.escalation",
                    name=person.name,
                    nip=person.nip,
                    days=len(streak),
                    since=format_date(streak[-1], lang, "long"),
                ),
                "reply_markup": markup,
                "dedupe_key": f"esc:{person.id}:{streak[-1].isoformat()}",
                "now": now,
            }
        )
    return out


# --- what the buttons do ------------------------------------------------------------------


async def local_today(
    session: AsyncSession, settings: Settings, employee: Employee, now: datetime
) -> date:
    snap = await snapshot(session, settings, now, [employee.id])
    local = snap.local.get(employee.id)
    return local.date() if local else now.date()


async def snooze(
    session: AsyncSession, employee_id: int, day: date, now: datetime
) -> datetime | None:
    """Ask for the reminder again in an hour; None if already snoozed that day."""
    due = now + SNOOZE
    taken = await claim_log(
        session,
        [
            {
                "employee_id": employee_id,
                "day": day,
                "kind": "snooze_req",
                "detail": due.isoformat(),
                "created_at": now,
            }
        ],
    )
    return due if taken else None


async def set_light(session: AsyncSession, employee_id: int, on: bool, now: datetime) -> None:
    if on:
        await claim_log(
            session,
            [
                {
                    "employee_id": employee_id,
                    "day": LIGHT_PREF_DAY,
                    "kind": "light_on",
                    "created_at": now,
                }
            ],
        )
    else:
        await session.execute(
            ReminderLog.__table__.delete().where(  # type: ignore[attr-defined]
                ReminderLog.employee_id == employee_id,
                ReminderLog.day == LIGHT_PREF_DAY,
                ReminderLog.kind == "light_on",
            )
        )


async def light_on(session: AsyncSession, employee_id: int) -> bool:
    found = await session.execute(
        select(ReminderLog.id).where(
            ReminderLog.employee_id == employee_id,
            ReminderLog.day == LIGHT_PREF_DAY,
            ReminderLog.kind == "light_on",
        )
    )
    return found.first() is not None


async def nudge(
    session: AsyncSession, supervisor: Employee, employee_id: int, day: date, now: datetime
) -> str:
    """The atasan's nudge: ok, not_allowed (not their staff), unreachable, already."""
    target = await session.get(Employee, employee_id)
    if target is None or target.supervisor_id != supervisor.id:
        return "not_allowed"
    if not target.active or target.telegram_user_id is None or target.blocked_bot_at is not None:
        return "unreachable"
    row = await enqueue_many(
        session,
        [
            {
                "chat_id": target.telegram_user_id,
                "text": t(target.language, "reminders.nudged", supervisor=supervisor.name),
                "reply_markup": reminder_markup(target.language, day),
                "dedupe_key": f"nudge:{employee_id}:{day.isoformat()}",
                "now": now,
            }
        ],
    )
    return "ok" if row else "already"
