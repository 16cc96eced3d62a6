"""The atasan's optional morning summary (issue 9): who did not report the last workday.

Off by default; `/digest pagi on` (or the button in the digest settings) switches it on per
atasan. A job looks every minute; from MORNING_TIME in the atasan's own zone, on a workday,
it queues one message through the outbox with the dedupe key morning:<atasan>:<local date>,
so two processes, or a restart, never send it twice. When everyone reported it says so in
one line (the atasan asked for it; silence would look like a broken feature). No Telegram.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import DEFAULT_ZONE, zone
from bot.i18n import format_date, t
from bot.outbox import enqueue, queued_keys
from bot.workcalendar import Calendar, load_calendar
from storage.models import Activity, Employee
from storage.queries import linked_with

MORNING_TIME = time(7, 0)
SHOWN = 40  # names listed; the rest are counted (the message stays far below 4,096)


LOOK_BACK = 31  # days searched for the last workday (Lebaran with cuti bersama fits)


def last_workday_before(cal: Calendar, day: date, unit_id: int | None = None) -> date:
    """The unit's last workday before `day` (bot.workcalendar: weekends, holidays, cuti
    bersama, local days off): Friday for a Monday, the day before a holiday, and so on."""
    prev = day - timedelta(days=1)
    for _ in range(LOOK_BACK):
        if cal.office_workday(prev, unit_id):
            return prev
        prev -= timedelta(days=1)
    return day - timedelta(days=1)


def morning_key(atasan_id: int, day: date) -> str:
    return f"morning:{atasan_id}:{day:%Y%m%d}"


async def set_morning(session: AsyncSession, employee: Employee, on: bool) -> Employee:
    emp = await session.get(Employee, employee.id)
    assert emp is not None
    emp.morning_summary = on
    await session.flush()
    return emp


async def due(session: AsyncSession, now: datetime) -> list[tuple[Employee, date]]:
    """(atasan, their local today) for each atasan with the summary on whose morning has
    come on a workday and who has not had today's summary yet."""
    candidates = await linked_with(session, Employee.morning_summary)
    keyed: dict[str, tuple[Employee, date]] = {}
    day = now.date()
    cal = await load_calendar(session, day - timedelta(days=1), day + timedelta(days=1), now=now)
    for emp in candidates:
        local = now.astimezone(cal.zone(emp.timezone, emp.unit_id, DEFAULT_ZONE))
        if local.time() >= MORNING_TIME and cal.is_workday(local.date(), emp.unit_id, emp.id):
            keyed[morning_key(emp.id, local.date())] = (emp, local.date())
    sent = await queued_keys(session, list(keyed))
    return [pair for key, pair in keyed.items() if key not in sent]


async def missing(session: AsyncSession, atasan: Employee, day: date) -> list[str]:
    """Names of the atasan's active direct staff with no activity on `day` (those who
    joined the bot after that day are not counted), by name."""
    reported = exists().where(Activity.employee_id == Employee.id, Activity.work_date == day)
    rows = await session.execute(
        select(Employee.name, Employee.created_at)
        .where(
            Employee.supervisor_id == atasan.id,
            Employee.active.is_(True),
            ~reported,
        )
        .order_by(Employee.name)
    )
    tz = zone(atasan.zone_name)
    return [
        name
        for name, created in rows.tuples().all()
        if created is None or created.astimezone(tz).date() <= day
    ]


def summary_text(names: list[str], day: date, lang: str) -> str:
    lines = [t(lang, "morning.head", date=format_date(day, lang), count=len(names))]
    lines += [t(lang, "morning.line", name=name) for name in names[:SHOWN]]
    if len(names) > SHOWN:
        lines.append(t(lang, "morning.more", count=len(names) - SHOWN))
    lines.append(t(lang, "morning.footer"))
    return "\n".join(lines)


async def send(session: AsyncSession, atasan: Employee, today: date, now: datetime) -> bool:
    """Queue today's summary once; False if it is already queued."""
    assert atasan.telegram_user_id is not None
    cal = await load_calendar(
        session, today - timedelta(days=LOOK_BACK), today, now=now, employee_ids=[]
    )
    day = last_workday_before(cal, today, atasan.unit_id)
    names = await missing(session, atasan, day)
    lang = atasan.language
    text = (
        summary_text(names, day, lang)
        if names
        else t(lang, "morning.all_reported", date=format_date(day, lang))
    )
    row = await enqueue(
        session, atasan.telegram_user_id, text, now=now, dedupe_key=morning_key(atasan.id, today)
    )
    return row is not None
