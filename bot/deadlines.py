"""Deadlines (`/deadline`): reminders at 08:00 local on H-7, H-3, H-1 and the day, a Siap
button, and who acknowledged.

Each reminder is keyed `dl:<deadline>:<employee>:<day>` in the outbox, so it is queued
once however many ticks see it. A reminder goes out on the person's workday only, from
08:00 until the end of working hours (a worker down at 08:00 catches up until then); one
whose day is a day off for the person (weekend, holiday, local day off, leave) comes on
their previous workday instead (a deadline on a Saturday is announced on Friday).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.broadcast import recipients, valid_audience
from bot.callback_data import CallbackData, Int, Word, spec
from bot.config import Settings
from bot.i18n import format_date, t
from bot.workcalendar import (
    Calendar,
    due_window,
    load_calendar,
    parse_range,
    split_days_and_name,
)
from storage.models import Deadline, DeadlineAck, Employee

OFFSETS = (7, 3, 1, 0)  # H-7, H-3, H-1, the day
SEND_AT = time(8, 0)
MAX_MOVE = 21  # days a reminder may move back over days off (Lebaran with cuti bersama)


@dataclass(frozen=True)
class DlPress(CallbackData, prefix="dl"):
    op: str = spec(Word("ok", "who", "save", "drop"))
    deadline: int = spec(Int(0))  # 0 for save/drop: the proposal is in the drafts row


class DeadlineError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


AUDIENCE_WORDS = {"atasan": "atasan", "supervisors": "atasan", "semua": "all", "all": "all"}


def parse_deadline(text: str, today: date) -> tuple[date, str, str] | None:
    """(due date, title, audience) from "31 Des; Unggah SKP; atasan", with the date and the
    title in either order ("Unggah SKP; 31 Des", "Unggah SKP 31 Des", "31 Des Unggah SKP");
    None when no part reads as a date."""
    parts = [p.strip() for p in text.split(";") if p.strip()]
    audience = "all"
    if len(parts) >= 2 and parts[-1].lower() in AUDIENCE_WORDS:
        audience = AUDIENCE_WORDS[parts.pop().lower()]
    for n, part in enumerate(parts):
        rest = parts[:n] + parts[n + 1 :]
        spec, name = split_days_and_name(part, today)  # the date first in this part
        if spec is None:  # … or last: "Unggah SKP 31 Des"
            words = part.split()
            for k in range(1, len(words)):
                spec = parse_range(" ".join(words[k:]), today)
                if spec is not None:
                    name = " ".join(words[:k])
                    break
        if spec is not None:
            title = "; ".join(p for p in [*rest[:n], name, *rest[n:]] if p)
            return spec.end or spec.start, title, audience
    return None


async def check(
    session: AsyncSession, *, title: str, due: date, audience: str, today: date, now: datetime
) -> tuple[str, int]:
    """(the title as stored, how many would receive it); DeadlineError otherwise."""
    title = " ".join(title.split())
    if not title:
        raise DeadlineError("empty_title")
    if len(title) > 200:
        raise DeadlineError("too_long")
    if due < today:
        raise DeadlineError("past")
    people = await recipients(session, audience, now) if valid_audience(audience) else []
    if not people:
        raise DeadlineError("empty_audience")
    return title, len(people)


async def create(
    session: AsyncSession,
    *,
    title: str,
    due: date,
    audience: str,
    author_id: int | None,
    today: date,
    now: datetime,
) -> Deadline:
    title, _count = await check(
        session, title=title, due=due, audience=audience, today=today, now=now
    )
    row = Deadline(title=title, due_date=due, audience=audience, created_by=author_id)
    session.add(row)
    await session.flush()
    return row


def _markup(lang: str, deadline_id: int) -> dict[str, Any]:
    return {
        "inline_keyboard": [
            [
                {
                    "text": t(lang, "deadline.button_ready"),
                    "callback_data": DlPress("ok", deadline_id).encode(),
                }
            ]
        ]
    }


async def run_due(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Queue the deadline reminders due at `now`; returns how many were queued."""
    from bot.reminders import enqueue_many

    first = now.date() - timedelta(days=1)
    last = now.date() + timedelta(days=max(OFFSETS) + MAX_MOVE + 2)
    rows = list(
        (
            await session.execute(
                select(Deadline).where(Deadline.due_date >= first, Deadline.due_date <= last)
            )
        ).scalars()
    )
    if not rows:
        return 0
    cal = await load_calendar(session, first - timedelta(days=8), last, now=now)
    acked = set(
        (
            await session.execute(
                select(DeadlineAck.deadline_id, DeadlineAck.employee_id).where(
                    DeadlineAck.deadline_id.in_([d.id for d in rows])
                )
            )
        ).tuples()
    )
    info = {
        r[0]: r
        for r in (
            await session.execute(select(Employee.id, Employee.unit_id, Employee.timezone))
        ).tuples()
    }
    messages: list[dict[str, Any]] = []
    for dl in rows:
        for person in await recipients(session, dl.audience, now, settings.default_timezone):
            if (dl.id, person.employee_id) in acked:
                continue
            _, unit_id, tz = info[person.employee_id]
            local = now.astimezone(cal.zone(tz, unit_id, settings.default_timezone))
            day = local.date()
            left = (dl.due_date - day).days
            if not any(
                reminder_day(cal, dl.due_date - timedelta(days=k), unit_id, person.employee_id, day)
                == day
                for k in OFFSETS
            ):
                continue
            start, end = due_window(day, SEND_AT, settings.workday_minutes)
            if not start <= local.time().replace(tzinfo=None) < end:
                continue
            lang = person.language
            key = "deadline.today" if left == 0 else "deadline.reminder"
            messages.append(
                {
                    "chat_id": person.chat_id,
                    "text": t(
                        lang,
                        key,
                        title=dl.title,
                        date=format_date(dl.due_date, lang),
                        days=left,
                    ),
                    "reply_markup": _markup(lang, dl.id),
                    "dedupe_key": f"dl:{dl.id}:{person.employee_id}:{day.isoformat()}",
                    "now": now,
                }
            )
    return await enqueue_many(session, messages)


def reminder_day(
    cal: Calendar, day: date, unit_id: int | None, employee_id: int, today: date
) -> date | None:
    """The person's workday a reminder meant for `day` goes out on: `day` itself, else
    the workday before it (None if that is before `today`: it is past)."""
    for _ in range(MAX_MOVE + 1):
        if day < today:
            return None
        if cal.is_workday(day, unit_id, employee_id):
            return day
        day -= timedelta(days=1)
    return None


async def acknowledge(
    session: AsyncSession, deadline_id: int, employee_id: int, now: datetime
) -> str:
    """ok, already, stale (no such deadline) or not_allowed (not in its audience)."""
    deadline = await session.get(Deadline, deadline_id)
    if deadline is None:
        return "stale"
    audience = await recipients(session, deadline.audience, now)
    if employee_id not in {p.employee_id for p in audience}:
        return "not_allowed"
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert(DeadlineAck)
        .values(deadline_id=deadline_id, employee_id=employee_id, acked_at=now)
        .on_conflict_do_nothing()
        .returning(DeadlineAck.employee_id)
    )
    return "ok" if (await session.execute(stmt)).first() else "already"


@dataclass(frozen=True)
class DeadlineStatus:
    deadline: Deadline
    audience: int
    acked: int
    missing: list[str]  # names of those who did not acknowledge


async def status(session: AsyncSession, deadline_id: int, now: datetime) -> DeadlineStatus | None:
    dl = await session.get(Deadline, deadline_id)
    if dl is None:
        return None
    people = await recipients(session, dl.audience, now)
    acked = set(
        (
            await session.execute(
                select(DeadlineAck.employee_id).where(DeadlineAck.deadline_id == deadline_id)
            )
        ).scalars()
    )
    missing_ids = [p.employee_id for p in people if p.employee_id not in acked]
    names = (
        list(
            (
                await session.execute(
                    select(Employee.name)
                    .where(Employee.id.in_(missing_ids))
                    .order_by(Employee.name)
                )
            ).scalars()
        )
        if missing_ids
        else []
    )
    return DeadlineStatus(dl, len(people), len(people) - len(missing_ids), names)


async def upcoming(session: AsyncSession, today: date) -> list[tuple[Deadline, int]]:
    rows = await session.execute(
        select(Deadline, func.count(DeadlineAck.employee_id))
        .outerjoin(DeadlineAck, DeadlineAck.deadline_id == Deadline.id)
        .where(Deadline.due_date >= today)
        .group_by(Deadline.id)
        .order_by(Deadline.due_date)
        .limit(20)
    )
    return [(d, int(n)) for d, n in rows.tuples()]
