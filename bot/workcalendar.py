"""The work calendar: "is this a workday for this person?", and where they are on the clock.

One place answers it for reminders, deadlines and dry runs:
- Monday–Friday;
- minus national holidays and cuti bersama, copied per year from the `holidays` package
  (Indonesia, categories public + government, names in Indonesian) into `holidays`, where an
  admin can see them and switch a wrong one off (reseeding never brings it back);
- minus local days off of the person's unit or any unit above it (`/libur`);
- minus the person's own leave and duty travel (`/cuti`, `/dinas`).
Time zone per unit (inherited down the tree), which an employee's own setting overrides;
reminder time likewise (employee, unit chain, then REMINDER_TIME).

`Calendar` is a snapshot loaded with a few queries for a date range and many employees, so
a scheduler tick for 10,000 people does not query per person. The free-text readers for
dates, ranges and times ("24 Des", "29-31 Des", "3 hari mulai senin", "besok 08.00") live
here too: the report parser reads past dates of work done, these read days still to come.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import holidays as holidays_pkg
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import zone
from bot.parsing.dates import MONTHS, WEEKDAYS
from bot.parsing.normalize import clean
from bot.parsing.numbers import NUMBER_WORD, word_to_int
from bot.workday import DAY_START, break_range
from storage.models import Holiday, HolidayYear, Leave, Unit

ZONES: Final[dict[str, str]] = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}
ZONE_LABELS: Final[dict[str, str]] = {v: k for k, v in ZONES.items()}
MAX_RANGE_WORKDAYS: Final = 60


# --- holidays from the package, stored per year --------------------------------------------


def package_holidays(year: int) -> list[tuple[date, str, str]]:
    """(day, name, kind) of Indonesia's national holidays and cuti bersama in `year`."""
    out: list[tuple[date, str, str]] = []
    for category, kind in (("public", "national"), ("government", "cuti_bersama")):
        days = holidays_pkg.country_holidays(
            "ID", years=year, categories=(category,), language="id"
        )
        for day, names in sorted(days.items()):
            for name in str(names).split("; "):
                out.append((day, name, kind))
    return out


async def ensure_years(session: AsyncSession, years: Iterable[int], now: datetime) -> None:
    """Copy each year's national days into `holidays` once; admins' corrections stay."""
    wanted = set(years)
    if not wanted:
        return
    seeded = set(
        (await session.execute(select(HolidayYear.year).where(HolidayYear.year.in_(wanted))))
        .scalars()
        .all()
    )
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    for year in sorted(wanted - seeded):
        # Two processes may seed at once: only the one whose year row went in adds the days.
        claimed = await session.execute(
            insert(HolidayYear)
            .values(year=year, seeded_at=now)
            .on_conflict_do_nothing(index_elements=["year"])
            .returning(HolidayYear.year)
        )
        if claimed.first() is None:
            continue
        for day, name, kind in package_holidays(year):
            session.add(Holiday(day=day, name=name, kind=kind, created_at=now))
    await session.flush()


# --- the snapshot ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DayOff:
    """Why a day is not a workday: weekend, holiday (with its name), cuti_bersama, local,
    leave or dinas."""

    reason: str
    name: str = ""


@dataclass
class Calendar:
    start: date
    end: date
    parents: dict[int, int | None] = field(default_factory=dict)
    unit_zones: dict[int, str | None] = field(default_factory=dict)
    unit_times: dict[int, time | None] = field(default_factory=dict)
    national: dict[date, tuple[str, str]] = field(default_factory=dict)  # day → (kind, name)
    local: dict[date, dict[int, str]] = field(default_factory=dict)  # day → unit → name
    leaves: dict[int, list[tuple[date, date, str]]] = field(default_factory=dict)

    def units_up(self, unit_id: int | None) -> list[int]:
        """The unit and every unit above it (a day off of a parent applies below)."""
        chain: list[int] = []
        while unit_id is not None and unit_id not in chain:
            chain.append(unit_id)
            unit_id = self.parents.get(unit_id)
        return chain

    def subunits(self, unit_id: int) -> set[int]:
        """The unit and every unit below it."""
        children: dict[int, list[int]] = {}
        for child, parent in self.parents.items():
            if parent is not None:
                children.setdefault(parent, []).append(child)
        found, todo = {unit_id}, [unit_id]
        while todo:
            for child in children.get(todo.pop(), []):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    def day_off(
        self, day: date, unit_id: int | None = None, employee_id: int | None = None
    ) -> DayOff | None:
        """None on a workday, else why not (the person's own leave is checked last)."""
        if day.weekday() >= 5:
            return DayOff("weekend")
        national = self.national.get(day)
        if national is not None:
            kind, name = national
            return DayOff("holiday" if kind == "national" else "cuti_bersama", name)
        local = self.local.get(day)
        if local:
            for unit in (*self.units_up(unit_id), 0):
                if unit in local:
                    return DayOff("local", local[unit])
        if employee_id is not None:
            for start, end, kind in self.leaves.get(employee_id, ()):
                if start <= day <= end:
                    return DayOff("leave" if kind == "cuti" else "dinas")
        return None

    def is_workday(
        self, day: date, unit_id: int | None = None, employee_id: int | None = None
    ) -> bool:
        return self.day_off(day, unit_id, employee_id) is None

    def workdays(
        self, first: date, last: date, unit_id: int | None = None, employee_id: int | None = None
    ) -> list[date]:
        """The person's workdays in [first, last] (clipped to the snapshot): their unit's
        local days off and, with `employee_id`, their own leave and dinas days left out."""
        out: list[date] = []
        day = max(first, self.start)
        while day <= min(last, self.end):
            if self.day_off(day, unit_id, employee_id) is None:
                out.append(day)
            day += timedelta(days=1)
        return out

    def office_workday(self, day: date, unit_id: int | None = None) -> bool:
        """A workday of the office (leave not counted): what a leave range counts."""
        return self.day_off(day, unit_id) is None

    def zone(self, employee_tz: str | None, unit_id: int | None, default: str) -> ZoneInfo:
        """The employee's own zone if they chose one (even the default's), else their
        unit's (inherited down the tree), else the default."""
        if employee_tz:
            return zone(employee_tz)
        for unit in self.units_up(unit_id):
            tz = self.unit_zones.get(unit)
            if tz:
                return zone(tz)
        return zone(default)

    def reminder_time(self, own: time | None, unit_id: int | None, default: time) -> time:
        if own is not None:
            return own
        for unit in self.units_up(unit_id):
            value = self.unit_times.get(unit)
            if value is not None:
                return value
        return default


async def load_calendar(
    session: AsyncSession,
    start: date,
    end: date,
    *,
    now: datetime,
    employee_ids: Sequence[int] | None = None,
) -> Calendar:
    """Everything needed to answer for [start, end]; leaves of `employee_ids` (None: all)."""
    await ensure_years(session, range(start.year, end.year + 1), now)
    cal = Calendar(start, end)
    for unit_id, parent, tz, at in (
        await session.execute(select(Unit.id, Unit.parent_id, Unit.timezone, Unit.reminder_time))
    ).tuples():
        cal.parents[unit_id] = parent
        cal.unit_zones[unit_id] = tz
        cal.unit_times[unit_id] = at
    rows = await session.execute(
        select(Holiday.day, Holiday.kind, Holiday.name, Holiday.unit_id)
        .where(Holiday.day >= start, Holiday.day <= end, Holiday.active.is_(True))
        .order_by(Holiday.id)
    )
    for day, kind, name, holiday_unit in rows.tuples():
        if kind == "local":
            cal.local.setdefault(day, {}).setdefault(holiday_unit or 0, name)  # 0: everyone
        elif day not in cal.national or cal.national[day][0] != "national":
            cal.national[day] = (kind, name)  # a national holiday wins over cuti bersama
    query = select(Leave.employee_id, Leave.start_date, Leave.end_date, Leave.kind).where(
        Leave.cancelled_at.is_(None), Leave.end_date >= start, Leave.start_date <= end
    )
    if employee_ids is not None:
        query = query.where(Leave.employee_id.in_(list(employee_ids)))
    for emp, s, e, kind in (await session.execute(query)).tuples():
        cal.leaves.setdefault(emp, []).append((s, e, kind))
    return cal


def package_calendar(start: date, end: date) -> Calendar:
    """A snapshot with only the package's national days (no database): for pure code and
    benchmarks that need plausible workdays, not an instansi's corrections."""
    cal = Calendar(start, end)
    for year in range(start.year, end.year + 1):
        for day, name, kind in package_holidays(year):
            if day not in cal.national or cal.national[day][0] != "national":
                cal.national[day] = (kind, name)
    return cal


async def workdays_of(
    session: AsyncSession,
    first: date,
    last: date,
    *,
    now: datetime,
    unit_id: int | None = None,
    employee_id: int | None = None,
) -> list[date]:
    """One person's (or, without `employee_id`, one unit's) workdays in [first, last]."""
    ids = [employee_id] if employee_id is not None else []
    cal = await load_calendar(session, first, last, now=now, employee_ids=ids)
    return cal.workdays(first, last, unit_id, employee_id)


# --- working hours --------------------------------------------------------------------------


def work_end(day: date, workday_minutes: int = 450) -> time:
    """End of the working day: 07.30 + the workday minutes + the break (Perpres 21/2023):
    16.00 Monday–Thursday, 16.30 on Friday with 450 minutes."""
    brk_start, brk_end = break_range(day)
    brk = (brk_end.hour * 60 + brk_end.minute) - (brk_start.hour * 60 + brk_start.minute)
    minutes = DAY_START.hour * 60 + DAY_START.minute + workday_minutes + brk
    minutes = min(minutes, 23 * 60 + 59)
    return time(minutes // 60, minutes % 60)


def due_window(day: date, at: time, workday_minutes: int = 450) -> tuple[time, time]:
    """When a reminder set for `at` may go out: from `at` to the end of working hours (a
    worker that was down catches up, but never after hours); a reminder set after hours
    gets one hour."""
    end = work_end(day, workday_minutes)
    if at >= end:
        minutes = min(at.hour * 60 + at.minute + 60, 23 * 60 + 59)
        end = time(minutes // 60, minutes % 60)
    return at, end


# --- free text: days, ranges, times ---------------------------------------------------------

_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_WD = "|".join(sorted((re.escape(w) for w in WEEKDAYS), key=len, reverse=True))
# Word separators only as whole words: "to" inside "tomorrow", "sd" inside "wednesday".
_TO = r"\s*(?:-|(?<![a-z])(?:s\.?/?d\.?|sampai|hingga|to|until)(?![a-z]))\s*"
_YEAR = r"(?:\s+(?P<{0}>(?:19|20)\d\d))?"
_DM = rf"(?P<{{0}}d>\d{{{{1,2}}}})\s*(?P<{{0}}m>{_MON})\.?" + _YEAR.format("{0}y")
_NUMERIC = r"(?P<{0}d>\d{{1,2}})[/.](?P<{0}m>\d{{1,2}})(?:[/.](?P<{0}y>\d{{4}}|\d\d))?"
_RELATIVE = {
    "hari ini": 0,
    "today": 0,
    "sekarang": 0,
    "besok": 1,
    "besuk": 1,
    "tomorrow": 1,
    "lusa": 2,
    "day after tomorrow": 2,
}
_SINGLE_RE = re.compile(
    rf"^(?:tanggal\s+|tgl\.?\s+)?(?:{_DM.format('a')}|{_NUMERIC.format('b')}"
    rf"|(?P<rel>{'|'.join(_RELATIVE)})"
    rf"|(?:(?P<pre>next|this|coming)\s+)?(?:hari\s+)?(?P<wd>{_WD})(?:\s+(?P<next>depan|next))?)$"
)
_SPAN_DAYS_RE = re.compile(
    rf"^(?P<n>\d{{1,2}}|{NUMBER_WORD})\s+(?:hari|days?)\s+(?:kerja\s+)?"
    rf"(?:mulai|dari|sejak|starting|from)?\s*(?P<start>.+)$"
)
_START_DAYS_RE = re.compile(
    rf"^(?:mulai|dari|sejak|starting|from)\s+(?P<start>.+?)\s*,?\s+(?:selama\s+|for\s+)?"
    rf"(?P<n>\d{{1,2}}|{NUMBER_WORD})\s+(?:hari|days?)(?:\s+kerja)?$"
)
_DAY_RANGE_RE = re.compile(
    rf"^(?P<d1>\d{{1,2}}){_TO}(?P<d2>\d{{1,2}})\s*(?P<m>{_MON})\.?" + _YEAR.format("y") + "$"
)
_WHEN_RE = re.compile(
    r"^(?:(?P<day>.+?)\s+)?"
    r"(?P<h>\d{1,2})(?:[:.](?P<mi>\d{2}))?\s*(?:wib|wita|wit)?$"
)


def _norm(text: str) -> str:
    return " ".join(clean(text).lower().replace(",", " ").split())


def _year_for(today: date, month: int, day: int) -> int:
    """A date written without a year is the coming one, or one within the last 60 days."""
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if value >= today - timedelta(days=60):
            return year
    return today.year


def _make(today: date, d: str, m: str, y: str | None) -> date | None:
    month = MONTHS.get(m.rstrip(".")) if not m.isdigit() else int(m)
    if month is None:
        return None
    day = int(d)
    year = int(y) if y else _year_for(today, month, day)
    if y and len(y) == 2:
        year = 2000 + int(y)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_day(text: str, today: date) -> date | None:
    """One day still to come (or recent): "besok", "24 Des", "24/12", "senin", "Jumat depan"."""
    m = _SINGLE_RE.match(_norm(text))
    if m is None:
        return None
    if m["ad"]:
        return _make(today, m["ad"], m["am"], m["ay"])
    if m["bd"]:
        return _make(today, m["bd"], m["bm"], m["by"])
    if m["rel"]:
        return today + timedelta(days=_RELATIVE[m["rel"]])
    wd = WEEKDAYS[m["wd"]]
    ahead = (wd - today.weekday()) % 7
    if (m["next"] or m["pre"] == "next") and ahead == 0:
        ahead = 7
    return today + timedelta(days=ahead)


@dataclass(frozen=True)
class RangeSpec:
    """A range as written: fixed ends, or a start and a count of workdays."""

    start: date
    end: date | None = None
    workdays: int | None = None


def _count(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else word_to_int(raw)


def parse_range(text: str, today: date) -> RangeSpec | None:
    """ "24-26 Nov", "24 Nov - 2 Des", "besok", "3 hari mulai senin", "mulai 1 Des 5 hari"."""
    low = _norm(text)
    if not low:
        return None
    m = _DAY_RANGE_RE.match(low)
    if m:
        start = _make(today, m["d1"], m["m"], m["y"])
        end = _make(today, m["d2"], m["m"], m["y"])
        if start is None or end is None:
            return None
        if end < start and not m["y"]:
            start = _make(today, m["d1"], m["m"], str(end.year - 1)) or start
        return RangeSpec(start, end)
    for pattern in (_SPAN_DAYS_RE, _START_DAYS_RE):
        m = pattern.match(low)
        if m:
            n = _count(m["n"])
            start_text = m["start"].strip() or "hari ini"
            start = parse_day(start_text, today)
            if n is None or n < 1 or start is None:
                return None
            return RangeSpec(start, workdays=n)
    parts = re.split(_TO, low, maxsplit=1)
    if len(parts) == 2:
        start, end = parse_day(parts[0], today), parse_day(parts[1], today)
        if start is None or end is None:
            # "24 - 26 Des" style was taken above; "24 Des - 2 Jan" crosses a year
            return None
        if end < start:
            end = end.replace(year=end.year + 1) if (start - end).days < 366 else end
        return RangeSpec(start, end)
    day = parse_day(low, today)
    return RangeSpec(day, day) if day else None


class RangeError(ValueError):
    """`code` is a locale key suffix: unparseable, backwards, too_long, no_workdays."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def resolve_range(
    spec: RangeSpec | None,
    is_workday: Callable[[date], bool],
    *,
    max_workdays: int = MAX_RANGE_WORKDAYS,
) -> tuple[date, date, int]:
    """(start, end, workdays in it); raises RangeError with a reason a person can act on."""
    if spec is None:
        raise RangeError("unparseable")
    if spec.workdays is not None:
        if spec.workdays > max_workdays:
            raise RangeError("too_long")
        day, counted = spec.start, 0
        while not is_workday(day):
            day += timedelta(days=1)
        start = day
        for _ in range(366):
            if is_workday(day):
                counted += 1
                if counted == spec.workdays:
                    return start, day, counted
            day += timedelta(days=1)
        raise RangeError("too_long")
    end = spec.end or spec.start
    if end < spec.start:
        raise RangeError("backwards")
    if (end - spec.start).days > 366:
        raise RangeError("too_long")
    workdays = sum(
        1 for n in range((end - spec.start).days + 1) if is_workday(spec.start + timedelta(n))
    )
    if workdays > max_workdays:
        raise RangeError("too_long")
    if workdays == 0:
        raise RangeError("no_workdays")
    return spec.start, end, workdays


_AT_WORD = re.compile(r"(?:^|\s)(?:jam|pukul|pkl\.?|at)(?=\s|\d|$)\s*")


def parse_clock(text: str) -> time | None:
    """ "15:30", "15.30", "jam 8", "08.00 WIB" → a time of day."""
    m = _WHEN_RE.match(_AT_WORD.sub(" ", _norm(text)).strip())
    if m is None or m["day"]:
        return None
    return _clock(m["h"], m["mi"])


def _clock(h: str, mi: str | None) -> time | None:
    hour, minute = int(h), int(mi or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def parse_when(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """A moment in free text, local to `tz`: "sekarang", "15:30", "besok 08.00",
    "24 Des jam 9". A time without a day is today's. Returns an aware datetime."""
    low = _norm(text)
    local = now.astimezone(tz)
    if low in ("sekarang", "now", "kirim sekarang", "saat ini"):
        return now
    m = _WHEN_RE.match(_AT_WORD.sub(" ", low).strip())
    if m is None:
        return None
    at = _clock(m["h"], m["mi"])
    if at is None:
        return None
    day = local.date() if not m["day"] else parse_day(m["day"], local.date())
    if day is None:
        return None
    return datetime.combine(day, at, tzinfo=tz)


def zone_label(tz: str) -> str:
    return ZONE_LABELS.get(tz, tz)


# --- what /cuti, /dinas and /libur change ---------------------------------------------------


async def add_leave(
    session: AsyncSession,
    employee_id: int,
    unit_id: int | None,
    kind: str,
    text: str,
    today: date,
    now: datetime,
) -> tuple[Leave, int]:
    """Record leave or dinas from free text; RangeError (nothing saved) when it cannot."""
    spec = parse_range(text, today)
    if spec is None:
        raise RangeError("unparseable")
    cal = await load_calendar(
        session, spec.start, spec.end or spec.start + timedelta(days=400), now=now, employee_ids=[]
    )
    start, end, days = resolve_range(spec, lambda d: cal.office_workday(d, unit_id))
    row = Leave(employee_id=employee_id, start_date=start, end_date=end, kind=kind, created_at=now)
    session.add(row)
    await session.flush()
    return row, days


async def upcoming_leaves(session: AsyncSession, employee_id: int, today: date) -> list[Leave]:
    rows = await session.execute(
        select(Leave)
        .where(
            Leave.employee_id == employee_id,
            Leave.cancelled_at.is_(None),
            Leave.end_date >= today,
        )
        .order_by(Leave.start_date)
        .limit(10)
    )
    return list(rows.scalars())


async def cancel_leave(
    session: AsyncSession, employee_id: int, leave_id: int, now: datetime
) -> Leave | None:
    """The cancelled leave, or None if it is not this person's or already cancelled."""
    row = await session.get(Leave, leave_id)
    if row is None or row.employee_id != employee_id or row.cancelled_at is not None:
        return None
    row.cancelled_at = now
    await session.flush()
    return row


def split_days_and_name(text: str, today: date) -> tuple[RangeSpec | None, str]:
    """ "29-31 Des Libur semester" → (the range, "Libur semester"): the longest leading
    words that read as a range."""
    words = text.replace(";", " ; ").split()
    for n in range(len(words), 0, -1):
        spec = parse_range(" ".join(words[:n]), today)
        if spec is not None:
            name = " ".join(w for w in words[n:] if w != ";").strip(" -:")
            return spec, name
    return None, ""


EVERYONE_WORDS = ("semua", "all", "seluruh instansi", "everyone")


class UnitChoiceError(ValueError):
    """`code`: unknown_unit, ambiguous_unit (with the candidates' paths), unit_not_allowed."""

    def __init__(self, code: str, paths: Sequence[str] = ()) -> None:
        super().__init__(code)
        self.code = code
        self.paths = list(paths)


async def choose_unit(
    session: AsyncSession, admin_unit: int | None, text: str, now: datetime
) -> tuple[int | None, str | None]:
    """The unit an admin names for /libur: (unit id, its path); (None, None) for everyone.
    An admin of a unit may choose it or a unit below it; an admin without a unit (the whole
    instansi) any unit, or everyone. UnitChoiceError otherwise."""
    from bot.employees import find_units

    if " ".join(text.lower().split()) in EVERYONE_WORDS:
        if admin_unit is not None:
            raise UnitChoiceError("unit_not_allowed")
        return None, None
    found = await find_units(session, text)
    if not found:
        raise UnitChoiceError("unknown_unit")
    if admin_unit is not None:
        cal = await load_calendar(session, now.date(), now.date(), now=now, employee_ids=[])
        mine = cal.subunits(admin_unit)
        allowed = [f for f in found if f[0].id in mine]
        if not allowed:
            raise UnitChoiceError("unit_not_allowed")
        found = allowed
    if len(found) > 1:
        raise UnitChoiceError("ambiguous_unit", [path for _, path in found])
    return found[0][0].id, found[0][1]


async def add_local_days(
    session: AsyncSession,
    unit_id: int | None,
    text: str,
    default_name: str,
    author_id: int,
    today: date,
    now: datetime,
) -> tuple[date, date, str]:
    """Local days off for a unit (and its sub-units; None = everyone); every calendar day
    in the range (weekends are off anyway)."""
    spec, name = split_days_and_name(text, today)
    start, end, _days = resolve_range(spec, lambda d: d.weekday() < 5)
    name = (name or default_name)[:200]
    day = start
    while day <= end:
        if day.weekday() < 5:
            session.add(
                Holiday(
                    day=day,
                    name=name,
                    kind="local",
                    unit_id=unit_id,
                    created_by=author_id,
                    created_at=now,
                )
            )
        day += timedelta(days=1)
    await session.flush()
    return start, end, name


async def upcoming_days_off(
    session: AsyncSession, unit_id: int | None, today: date, now: datetime, days: int = 60
) -> list[Holiday]:
    """National, cuti bersama and local days off that apply to the unit, next `days` days."""
    cal = await load_calendar(
        session, today, today + timedelta(days=days), now=now, employee_ids=[]
    )
    units = set(cal.units_up(unit_id))
    rows = await session.execute(
        select(Holiday)
        .where(
            Holiday.day >= today,
            Holiday.day <= today + timedelta(days=days),
            Holiday.active.is_(True),
        )
        .order_by(Holiday.day, Holiday.id)
    )
    return [
        h for h in rows.scalars() if h.kind != "local" or h.unit_id is None or h.unit_id in units
    ]


async def switch_off_holiday(session: AsyncSession, holiday_id: int) -> Holiday | None:
    """Remove a local day, or switch off a seeded national one (it stays off)."""
    row = await session.get(Holiday, holiday_id)
    if row is None or not row.active:
        return None
    row.active = False
    await session.flush()
    return row
