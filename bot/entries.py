"""The employee's own stored entries for a day: view, edit, delete until approved.

An approved entry is what the atasan signed off and what gets copied to e-Kinerja, so it
is frozen; anything else (not yet sent, waiting, rejected, revision requested) can be
fixed. Every change checks ownership here, not in the handler, so a forged button that
names someone else's entry does nothing.
"""

from __future__ import annotations

import enum
import importlib
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Activity, SkpItem, Submission

APPROVED = "approved"
MAX_DESCRIPTION = 500
MAX_MINUTES = 24 * 60 - 1


@dataclass
class EntryView:
    activity: Activity
    skp_title: str | None  # None = tugas tambahan
    locked: bool  # its submission is approved

    @property
    def has_evidence(self) -> bool:
        return bool(self.activity.evidence)


@dataclass
class DayView:
    work_date: date
    entries: list[EntryView]
    submission_status: str | None  # the day's latest submission; None = not sent yet
    total_minutes: int

    @property
    def editable(self) -> bool:
        return any(not e.locked for e in self.entries)


class EditResult(enum.Enum):
    OK = "ok"
    NOT_FOUND = "not_found"  # missing or someone else's
    LOCKED = "locked"  # its submission is approved
    INVALID = "invalid"  # empty text, or a duration that does not fit the day


async def day_entries(session: AsyncSession, employee_id: int, work_date: date) -> DayView:
    """The day's activities by start time (unscheduled ones last), with what the view needs."""
    rows = (
        await session.execute(
            select(Activity, SkpItem.title, Submission.status)
            .outerjoin(SkpItem, SkpItem.id == Activity.skp_item_id)
            .outerjoin(Submission, Submission.id == Activity.submission_id)
            .where(Activity.employee_id == employee_id, Activity.work_date == work_date)
        )
    ).all()
    entries = [
        EntryView(activity=act, skp_title=title, locked=status == APPROVED)
        for act, title, status in rows
    ]
    entries.sort(
        key=lambda e: (
            e.activity.start_time is None,
            e.activity.start_time or time(0),
            e.activity.id,
        )
    )
    status = (
        await session.execute(
            select(Submission.status)
            .where(Submission.employee_id == employee_id, Submission.work_date == work_date)
            .order_by(Submission.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    total = sum(e.activity.minutes for e in entries)
    return DayView(work_date, entries, status, total)


async def _editable(
    session: AsyncSession, employee_id: int, activity_id: int
) -> tuple[Activity | None, EditResult]:
    act = await session.get(Activity, activity_id, with_for_update=True)
    if act is None or act.employee_id != employee_id:
        return None, EditResult.NOT_FOUND
    if act.submission_id is not None:
        sub = await session.get(Submission, act.submission_id)
        if sub is not None and sub.status == APPROVED:
            return act, EditResult.LOCKED
    return act, EditResult.OK


async def own_entry(
    session: AsyncSession, employee_id: int, activity_id: int
) -> tuple[EntryView | None, EditResult]:
    """The entry for an edit screen, or why it cannot be edited."""
    act, result = await _editable(session, employee_id, activity_id)
    if act is None:
        return None, result
    title = None
    if act.skp_item_id is not None:
        item = await session.get(SkpItem, act.skp_item_id)
        title = item.title if item is not None else None
    return EntryView(act, title, result is EditResult.LOCKED), result


def clean_description(text: str) -> str:
    """e-Kinerja's Kegiatan Harian is one line: newlines and runs of spaces collapse."""
    return " ".join(text.split())


async def edit_description(
    session: AsyncSession, employee_id: int, activity_id: int, text: str
) -> EditResult:
    act, result = await _editable(session, employee_id, activity_id)
    if act is None or result is not EditResult.OK:
        return result
    text = clean_description(text)
    if not text or len(text) > MAX_DESCRIPTION:
        return EditResult.INVALID
    act.description = text
    await session.flush()
    return EditResult.OK


def end_time(start: time, minutes: int) -> time | None:
    """start + minutes, or None if that crosses midnight (e-Kinerja has no such entry)."""
    end = datetime.combine(date.min, start) + timedelta(minutes=minutes)
    if end.date() != date.min:
        return None
    return end.time()


async def edit_minutes(
    session: AsyncSession, employee_id: int, activity_id: int, minutes: int
) -> EditResult:
    """New duration; the end time moves with it so jam mulai/selesai stay consistent."""
    act, result = await _editable(session, employee_id, activity_id)
    if act is None or result is not EditResult.OK:
        return result
    if not 1 <= minutes <= MAX_MINUTES:
        return EditResult.INVALID
    if act.start_time is not None:
        end = end_time(act.start_time, minutes)
        if end is None:
            return EditResult.INVALID
        act.end_time = end
    act.minutes = minutes
    await session.flush()
    return EditResult.OK


async def delete_entry(session: AsyncSession, employee_id: int, activity_id: int) -> EditResult:
    act, result = await _editable(session, employee_id, activity_id)
    if act is None or result is not EditResult.OK:
        return result
    await session.delete(act)
    await session.flush()
    return EditResult.OK


# --- reading the user's date and duration ---------------------------------------------
# bot.parsing (the report parser) owns the real grammar; these wrappers use it when it is
# there and fall back to a small grammar, so /hariini works on its own.

_WEEKDAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_RELATIVE = {
    "hari ini": 0,
    "hariini": 0,
    "today": 0,
    "kemarin": -1,
    "kmrn": -1,
    "yesterday": -1,
    "kemarin lusa": -2,
    "lusa kemarin": -2,
}
_DM = re.compile(r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?")
_DURATION = re.compile(
    r"(?:(\d+(?:[.,]\d+)?)\s*(?:jam|j|h|hours?|hrs?|jm))?\s*"
    r"(?:(\d+)\s*(?:menit|mnt|m|min|minutes?))?"
)


def _parser(name: str) -> Any:
    try:
        module = importlib.import_module("bot.parsing")
    except ImportError:
        return None
    return getattr(module, name, None)


def _fallback_date(text: str, today: date) -> date | None:
    text = " ".join(text.lower().split())
    if text in _RELATIVE:
        return today + timedelta(days=_RELATIVE[text])
    name = text.removeprefix("hari ").removeprefix("last ").removesuffix(" lalu")
    if name in _WEEKDAYS:  # the latest such day, today included
        return today - timedelta(days=(today.weekday() - _WEEKDAYS[name]) % 7)
    match = _DM.fullmatch(text)
    if match is None:
        return None
    day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    y = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    try:
        found = date(y, month, day)
    except ValueError:
        return None
    if year is None and found > today + timedelta(days=31):  # "20/12" read in January
        found = found.replace(year=y - 1)
    return found


def parse_day(text: str, now: datetime, tz: ZoneInfo) -> date | None:
    """'20/11', '20/11/2026', 'kemarin', 'Senin' → a date in the employee's zone."""
    text = text.strip()
    if not text:
        return now.astimezone(tz).date()
    parser = _parser("parse_date_text")
    if parser is not None:
        try:
            found = parser(text, now, tz)
        except (ValueError, TypeError):
            found = None
        if isinstance(found, datetime):
            return found.date()
        if isinstance(found, date):
            return found
    return _fallback_date(text, now.astimezone(tz).date())


def _fallback_minutes(text: str) -> int | None:
    text = " ".join(text.lower().split())
    if re.fullmatch(r"\d+", text):  # a bare number is minutes
        return int(text)
    match = _DURATION.fullmatch(text)
    if match is None or not (match.group(1) or match.group(2)):
        return None
    hours = float((match.group(1) or "0").replace(",", "."))
    return round(hours * 60) + int(match.group(2) or 0)


def parse_minutes(text: str) -> int | None:
    """'1,5 jam', '90 menit', '1j 30m', '45' → minutes; None if it is not a duration."""
    parser = _parser("parse_duration_text")
    if parser is not None:
        try:
            found = parser(text)
        except (ValueError, TypeError):
            found = None
        if isinstance(found, int) and not isinstance(found, bool):
            return found
    return _fallback_minutes(text)


def zone(timezone: str) -> ZoneInfo:
    """The employee's zone; a bad name in the database falls back to WIB, not a crash."""
    try:
        return ZoneInfo(timezone)
    except (ValueError, KeyError):
        return ZoneInfo("Asia/Jakarta")


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(zone(timezone)).date()
