"""Recaps: hours per workday, per SKP item, trajectory progress, days missing or pending.

Numbers only; bot/charts.py draws them and handlers/recap.py words them. The period is
read from the command's text ("minggu lalu", "bulan ini", "November", "2026-11").
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.parsing.dates import MONTHS
from bot.workcalendar import load_calendar
from storage.models import Activity, Employee, SkpItem, Submission

TRAJECTORY = "trajectory"


# --- the work calendar ---------------------------------------------------------------------


def _moment(today: date) -> datetime:
    """When a year's national days are seeded, if the calendar has not seen that year."""
    return datetime.combine(today, time(), UTC)


# --- periods -------------------------------------------------------------------------------


class PeriodKind(enum.Enum):
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first: date
    last: date

    @property
    def month(self) -> str:
        return f"{self.first.year:04d}-{self.first.month:02d}"

    def until(self, today: date) -> date:
        """The last day that has happened: a running period stops today."""
        return min(self.last, today)


class PeriodError(enum.Enum):
    UNKNOWN = "unknown"
    FUTURE = "future"


def week_of(day: date) -> Period:
    monday = day - timedelta(days=day.weekday())
    return Period(PeriodKind.WEEK, monday, monday + timedelta(days=6))


def month_of(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(PeriodKind.MONTH, date(year, month, 1), date(year, month, last))


_NUMERIC = re.compile(r"(?:(\d{4})-(\d{1,2})|(\d{1,2})[/-](\d{4}))")
_NAMED = re.compile(r"([a-z]+)(?:\s+(\d{4}))?")


def parse_period(text: str, today: date) -> Period | PeriodError:
    """This week by default; 'minggu ini/lalu', 'bulan ini/lalu', a month name (the latest
    one not after today unless a year is given), 'YYYY-MM' or 'MM/YYYY'."""
    low = " ".join(text.lower().split())
    if low in ("", "minggu ini", "pekan ini", "this week", "week"):
        return week_of(today)
    if low in ("minggu lalu", "pekan lalu", "last week"):
        return week_of(today - timedelta(days=7))
    if low in ("bulan ini", "this month", "month"):
        return month_of(today.year, today.month)
    if low in ("bulan lalu", "last month"):
        prev = today.replace(day=1) - timedelta(days=1)
        return month_of(prev.year, prev.month)
    period: Period | None = None
    if m := _NUMERIC.fullmatch(low):
        year = int(m.group(1) or m.group(4))
        month = int(m.group(2) or m.group(3))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            period = month_of(year, month)
    elif (m := _NAMED.fullmatch(low.removeprefix("bulan "))) and m.group(1) in MONTHS:
        month = MONTHS[m.group(1)]
        if m.group(2):
            period = month_of(int(m.group(2)), month)
        else:
            year = today.year if month <= today.month else today.year - 1
            period = month_of(year, month)
    if period is None:
        return PeriodError.UNKNOWN
    if period.first > today:
        return PeriodError.FUTURE
    return period


# --- one person's recap -------------------------------------------------------------------


@dataclass
class DayStat:
    day: date
    minutes: int = 0
    status: str | None = None  # worst submission status of the day; None: not reported
    workday: bool = True


@dataclass
class ItemStat:
    item_id: int | None  # None: tugas tambahan
    title: str
    minutes: int = 0
    entries: int = 0
    kind: str = ""
    target: float | None = None
    unit: str | None = None
    realised: float = 0.0  # trajectory: this year up to the period's end


@dataclass
class Recap:
    employee_id: int
    period: Period
    until: date
    workday_minutes: int
    days: list[DayStat] = field(default_factory=list)
    items: list[ItemStat] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(d.minutes for d in self.days)

    @property
    def expected_minutes(self) -> int:
        return self.workday_minutes * sum(1 for d in self.days if d.workday)

    @property
    def missing(self) -> list[date]:
        return [d.day for d in self.days if d.workday and d.status is None]

    def with_status(self, *statuses: str) -> list[date]:
        return [d.day for d in self.days if d.status in statuses]

    @property
    def empty(self) -> bool:
        return not any(d.minutes or d.status for d in self.days)


# A day with several submissions shows the one that needs attention most.
_STATUS_RANK = {
    "rejected": 5,
    "revision_requested": 4,
    "partly_approved": 3,
    "submitted": 2,
    "approved": 1,
}
# Waiting on someone: the atasan's decision, or the employee's fix after a revision request
# or a partial approval.
_OPEN = ("submitted", "revision_requested", "partly_approved")


def _counted() -> Any:
    """An activity counts unless its day was rejected or it was rejected on its own (a
    per-activity decision, the day then partly approved)."""
    return and_(
        func.coalesce(Submission.status, "none") != "rejected",
        func.coalesce(Activity.review_status, "none") != "rejected",
    )


async def person_recap(
    session: AsyncSession,
    employee: Employee,
    period: Period,
    today: date,
    workday_minutes: int,
    since: date | None = None,
) -> Recap:
    """Counts for one person: days up to today, SKP items, trajectory progress.
    Rejected entries count for nothing but their day's status. Workdays before `since`
    (when the person joined) are not counted as missing."""
    until = period.until(today)
    recap = Recap(employee.id, period, until, workday_minutes)
    # The person's own workdays: their unit's local days off, leave and dinas are not missing.
    cal = await load_calendar(
        session, period.first, until, now=_moment(today), employee_ids=[employee.id]
    )
    first = max(period.first, since or period.first)
    work = set(cal.workdays(first, until, employee.unit_id, employee.id))
    by_day = {
        d: DayStat(d, workday=d in work)
        for d in (period.first + timedelta(days=i) for i in range((until - period.first).days + 1))
    }
    counted = _counted()
    rows = await session.execute(
        select(
            Activity.work_date,
            Submission.status,
            func.sum(case((counted, Activity.minutes), else_=0)),
        )
        .outerjoin(Submission, Submission.id == Activity.submission_id)
        .where(
            Activity.employee_id == employee.id,
            Activity.work_date >= period.first,
            Activity.work_date <= until,
        )
        .group_by(Activity.work_date, Submission.status)
    )
    for day, status, minutes in rows.all():
        stat = by_day.get(day)
        if stat is None:
            continue
        stat.minutes += int(minutes or 0)
        status = status or "submitted"
        if _STATUS_RANK.get(status, 0) > _STATUS_RANK.get(stat.status or "", 0):
            stat.status = status
    recap.days = [by_day[d] for d in sorted(by_day)]
    recap.items = await _item_stats(session, employee.id, period.first, until)
    return recap


async def _item_stats(
    session: AsyncSession, employee_id: int, first: date, until: date
) -> list[ItemStat]:
    not_rejected = _counted()
    rows = await session.execute(
        select(
            Activity.skp_item_id,
            SkpItem.title,
            SkpItem.kind,
            SkpItem.target_qty,
            SkpItem.unit,
            func.sum(Activity.minutes),
            func.count(Activity.id),
        )
        .outerjoin(Submission, Submission.id == Activity.submission_id)
        .outerjoin(SkpItem, SkpItem.id == Activity.skp_item_id)
        .where(
            Activity.employee_id == employee_id,
            Activity.work_date >= first,
            Activity.work_date <= until,
            not_rejected,
        )
        .group_by(
            Activity.skp_item_id, SkpItem.title, SkpItem.kind, SkpItem.target_qty, SkpItem.unit
        )
    )
    items = [
        ItemStat(iid, title or "", int(minutes or 0), int(count), kind or "", target, unit)
        for iid, title, kind, target, unit, minutes, count in rows.all()
    ]
    # Trajectory items of the year, also those not worked on in this period (0/12 shows).
    year_first = date(until.year, 1, 1)
    traj = await session.execute(
        select(
            SkpItem.id,
            SkpItem.title,
            SkpItem.target_qty,
            SkpItem.unit,
            func.coalesce(
                func.sum(case((not_rejected, func.coalesce(Activity.quantity, 1.0)), else_=0.0)),
                0.0,
            ),
        )
        .outerjoin(
            Activity,
            and_(
                Activity.skp_item_id == SkpItem.id,
                Activity.work_date >= year_first,
                Activity.work_date <= until,
            ),
        )
        .outerjoin(Submission, Submission.id == Activity.submission_id)
        .where(
            SkpItem.employee_id == employee_id,
            SkpItem.year == until.year,
            SkpItem.kind == TRAJECTORY,
            SkpItem.active.is_(True),
        )
        .group_by(SkpItem.id, SkpItem.title, SkpItem.target_qty, SkpItem.unit)
    )
    by_id = {i.item_id: i for i in items}
    for iid, title, target, unit, realised in traj.all():
        stat = by_id.get(iid)
        if stat is None:
            stat = ItemStat(iid, title, kind=TRAJECTORY, target=target, unit=unit)
            items.append(stat)
        stat.realised = float(realised or 0)
    items.sort(key=lambda i: (-i.minutes, i.item_id is None, i.title))
    return items


# --- the team -----------------------------------------------------------------------------


@dataclass
class MemberStat:
    employee_id: int
    name: str
    nip: str
    minutes: int = 0
    reported_days: int = 0
    pending_days: int = 0
    rejected_days: int = 0
    missing_days: int = 0
    expected_minutes: int = 0

    @property
    def behind(self) -> bool:
        return self.missing_days > 0 or self.minutes < self.expected_minutes


async def team_recap(
    session: AsyncSession,
    members: list[Employee],
    period: Period,
    today: date,
    workday_minutes: int,
) -> list[MemberStat]:
    """Per member: hours, days reported, missing, pending; the most behind first.
    One grouped query for the whole team, not one per member."""
    until = period.until(today)
    cal = await load_calendar(
        session, period.first, until, now=_moment(today), employee_ids=[m.id for m in members]
    )
    work = {m.id: set(cal.workdays(period.first, until, m.unit_id, m.id)) for m in members}
    stats = {
        m.id: MemberStat(m.id, m.name, m.nip, expected_minutes=workday_minutes * len(work[m.id]))
        for m in members
    }
    if stats:
        rows = await session.execute(
            select(
                Activity.employee_id,
                Activity.work_date,
                Submission.status,
                func.sum(case((_counted(), Activity.minutes), else_=0)),
            )
            .outerjoin(Submission, Submission.id == Activity.submission_id)
            .where(
                Activity.employee_id.in_(list(stats)),
                Activity.work_date >= period.first,
                Activity.work_date <= until,
            )
            .group_by(Activity.employee_id, Activity.work_date, Submission.status)
        )
        days: dict[int, dict[date, str]] = {}
        for emp_id, day, status, minutes in rows.all():
            status = status or "submitted"
            stats[emp_id].minutes += int(minutes or 0)
            seen = days.setdefault(emp_id, {})
            if _STATUS_RANK.get(status, 0) > _STATUS_RANK.get(seen.get(day, ""), 0):
                seen[day] = status
        for emp_id, seen in days.items():
            s = stats[emp_id]
            s.reported_days = len(seen)
            s.pending_days = sum(1 for v in seen.values() if v in _OPEN)
            s.rejected_days = sum(1 for v in seen.values() if v == "rejected")
        for emp_id, s in stats.items():
            reported = set(days.get(emp_id, {}))
            # Today is still open: it counts (hours expected, or missing) only once the
            # person reported it; at noon nobody is "behind" for a day not yet over.
            mine = work[emp_id]
            counted = mine if today in reported else mine - {today}
            s.missing_days = len(counted - reported)
            s.expected_minutes = workday_minutes * len(counted)
    return sorted(stats.values(), key=lambda s: (-s.missing_days, s.minutes, s.name))
