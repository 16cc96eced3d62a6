"""Monthly evaluation (PermenPANRB 6/2022): the atasan rates hasil kerja and perilaku kerja.

Each rating is di atas / sesuai / di bawah ekspektasi; the predikat follows from the two
by the matrix below (hasil down, perilaku across), exactly as in the regulation's table.
In the first working days of a month every atasan is asked once (outbox dedupe key) to
rate last month; the result goes to the employee with the atasan's feedback.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.workcalendar import Calendar, load_calendar
from storage.models import Employee, Evaluation, Unit

ABOVE, MEETS, BELOW = "above", "meets", "below"
RATINGS: Final = (ABOVE, MEETS, BELOW)
SANGAT_BAIK = "Sangat Baik"
BAIK = "Baik"
KURANG = "Kurang/Misconduct"
BUTUH_PERBAIKAN = "Butuh Perbaikan"
SANGAT_KURANG = "Sangat Kurang"

# (hasil kerja, perilaku kerja) → predikat
MATRIX: Final[dict[tuple[str, str], str]] = {
    (ABOVE, ABOVE): SANGAT_BAIK,
    (ABOVE, MEETS): BAIK,
    (ABOVE, BELOW): KURANG,
    (MEETS, ABOVE): BAIK,
    (MEETS, MEETS): BAIK,
    (MEETS, BELOW): KURANG,
    (BELOW, ABOVE): BUTUH_PERBAIKAN,
    (BELOW, MEETS): BUTUH_PERBAIKAN,
    (BELOW, BELOW): SANGAT_KURANG,
}
PROMPT_WORKDAYS = 3  # the atasan is asked during the first three working days
PROMPT_HOUR = 8  # ... not before 08:00 local time
MAX_NOTE = 1000


def predikat(hasil: str, perilaku: str) -> str:
    """The predikat for the two ratings; ValueError for a rating that does not exist."""
    try:
        return MATRIX[(hasil, perilaku)]
    except KeyError:
        raise ValueError(f"unknown rating pair {(hasil, perilaku)!r}") from None


def period_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_period(today: date) -> str:
    return period_of(today.replace(day=1) - timedelta(days=1))


def period_bounds(period: str) -> tuple[date, date]:
    year, month = (int(x) for x in period.split("-"))
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def in_prompt_window(today: date, cal: Calendar, unit_id: int | None = None) -> bool:
    """Is today one of the first PROMPT_WORKDAYS working days of its month for the unit
    (the work calendar's days: national holidays, cuti bersama and the unit's local days
    off do not count)?"""
    days = cal.workdays(today.replace(day=1), today, unit_id)
    return bool(days) and days[-1] == today and len(days) <= PROMPT_WORKDAYS


def clean_note(text: str) -> str | None:
    text = text.strip()
    return text[:MAX_NOTE] or None


class SaveStatus(enum.Enum):
    OK = "ok"
    NOT_ALLOWED = "not_allowed"  # not this person's atasan (a forged or stale press)
    BAD_PERIOD = "bad_period"  # a month not yet over


@dataclass
class SaveResult:
    status: SaveStatus
    evaluation: Evaluation | None = None
    employee: Employee | None = None


async def direct_reports(session: AsyncSession, atasan_id: int) -> list[Employee]:
    rows = await session.execute(
        select(Employee)
        .where(Employee.supervisor_id == atasan_id, Employee.active.is_(True))
        .order_by(Employee.name, Employee.id)
    )
    return list(rows.scalars())


async def evaluations_for(
    session: AsyncSession, employee_ids: list[int], period: str
) -> dict[int, Evaluation]:
    if not employee_ids:
        return {}
    rows = await session.execute(
        select(Evaluation).where(
            Evaluation.employee_id.in_(employee_ids), Evaluation.period == period
        )
    )
    return {e.employee_id: e for e in rows.scalars()}


async def rateable(session: AsyncSession, atasan: Employee, employee_id: int) -> Employee | None:
    """The subordinate if `atasan` is their direct atasan (or an admin), else None."""
    target = await session.get(Employee, employee_id)
    if target is None or not target.active:
        return None
    if target.supervisor_id == atasan.id or "admin" in atasan.role_set:
        return target if target.id != atasan.id else None
    return None


async def save_evaluation(
    session: AsyncSession,
    atasan: Employee,
    employee_id: int,
    period: str,
    hasil: str,
    perilaku: str,
    note: str | None,
    today: date,
) -> SaveResult:
    """Store (or replace) the month's rating; the predikat is computed, never chosen."""
    target = await rateable(session, atasan, employee_id)
    if target is None:
        return SaveResult(SaveStatus.NOT_ALLOWED)
    if period_bounds(period)[1] >= today:
        return SaveResult(SaveStatus.BAD_PERIOD)
    value = predikat(hasil, perilaku)
    row = (
        await session.execute(
            select(Evaluation).where(
                Evaluation.employee_id == employee_id, Evaluation.period == period
            )
        )
    ).scalar_one_or_none()
    if row is None:
        row = Evaluation(employee_id=employee_id, period=period)
        session.add(row)
    row.rating_result, row.rating_behaviour, row.predikat = hasil, perilaku, value
    row.note, row.rated_by = note, atasan.id
    await session.flush()
    return SaveResult(SaveStatus.OK, row, target)


@dataclass(frozen=True)
class Prompt:
    atasan_id: int
    chat_id: int
    language: str
    period: str
    pending: int  # subordinates not yet rated


async def evaluation_prompts_due(session: AsyncSession, now: datetime) -> list[Prompt]:
    """The atasan to ask now (`now` in local time): from 08:00 on the month's first working
    days, those with a linked chat and at least one active subordinate not yet rated for
    last month. One grouped query."""
    today = now.date()
    if now.hour < PROMPT_HOUR or today.day > 20:  # three workdays never reach the 21st
        return []
    cal = await load_calendar(session, today.replace(day=1), today, now=now, employee_ids=[])
    period = previous_period(today)
    sub = Employee.__table__.alias("sub")
    rows = await session.execute(
        select(
            Employee.id,
            Employee.telegram_user_id,
            Employee.language,
            Employee.unit_id,
            func.count(sub.c.id),
        )
        .join(sub, and_(sub.c.supervisor_id == Employee.id, sub.c.active.is_(True)))
        .outerjoin(
            Evaluation,
            and_(Evaluation.employee_id == sub.c.id, Evaluation.period == period),
        )
        .where(
            Employee.active.is_(True),
            Employee.telegram_user_id.is_not(None),
            Employee.blocked_bot_at.is_(None),
            Evaluation.id.is_(None),
        )
        .group_by(Employee.id, Employee.telegram_user_id, Employee.language, Employee.unit_id)
    )
    return [
        Prompt(atasan_id, int(chat_id), language or "id", period, int(count))
        for atasan_id, chat_id, language, unit_id, count in rows.all()
        if in_prompt_window(today, cal, unit_id)
    ]


def prompt_dedupe_key(prompt: Prompt) -> str:
    return f"ev:prompt:{prompt.atasan_id}:{prompt.period}"


@dataclass(frozen=True)
class UnitCompletion:
    unit_id: int | None
    unit_name: str | None
    rated: int
    total: int


async def completion_by_unit(session: AsyncSession, period: str) -> list[UnitCompletion]:
    """Per unit: active employees with an atasan, and how many of them are rated."""
    rows = await session.execute(
        select(
            Employee.unit_id,
            Unit.name,
            func.count(Employee.id),
            func.count(Evaluation.id),
        )
        .outerjoin(Unit, Unit.id == Employee.unit_id)
        .outerjoin(
            Evaluation,
            and_(Evaluation.employee_id == Employee.id, Evaluation.period == period),
        )
        .where(Employee.active.is_(True), Employee.supervisor_id.is_not(None))
        .group_by(Employee.unit_id, Unit.name)
        .order_by(Unit.name)
    )
    return [UnitCompletion(uid, name, int(rated), int(total)) for uid, name, total, rated in rows]
