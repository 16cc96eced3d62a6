"""The employee's own stored entries for a day: view, edit, delete until approved.

An approved entry is what the atasan signed off and what gets copied to e-Kinerja, so it
is frozen; anything else (not yet sent, waiting, rejected, revision requested) can be
fixed. Every change checks ownership here, not in the handler, so a forged button that
names someone else's entry does nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import approval_requests
from bot.approval_buttons import ApprovalPress
from bot.parsing import parse_date_text, parse_duration_text
from storage.models import Activity, SkpItem, Submission
from storage.types import utcnow

APPROVED = "approved"
REOPENED = (
    approval_requests.REJECTED,
    approval_requests.REVISION,
    approval_requests.PARTLY,
)
MAX_DESCRIPTION = 500
MAX_MINUTES = 24 * 60 - 1


@dataclass
class EntryView:
    activity: Activity
    skp_title: str | None  # None = tugas tambahan
    locked: bool  # its submission is approved

    @property
    def has_evidence(self) -> bool:
        return bool((self.activity.evidence or {}).get("items"))


@dataclass
class DayView:
    work_date: date
    entries: list[EntryView]
    submission_status: str | None  # the day's latest submission; None = not sent yet
    total_minutes: int
    # 'Kirim ulang' for a rejected / revision / partly approved day (None otherwise): the
    # employee who fixed the day in /hariini sends it from here, not from an old notice.
    resubmit: ApprovalPress | None = None

    @property
    def editable(self) -> bool:
        return any(not e.locked for e in self.entries)

    def overlaps(self) -> dict[int, list[int]]:
        """For each entry (by position) whose clock times collide with others': their
        positions (1-based, as numbered in the view). Issue 7 defect 5: shown, not hidden."""
        spans = [
            (i, e.activity.start_time, e.activity.end_time)
            for i, e in enumerate(self.entries, start=1)
            if e.activity.start_time is not None and e.activity.end_time is not None
        ]
        out: dict[int, list[int]] = {}
        for i, s1, e1 in spans:
            hits = [j for j, s2, e2 in spans if j != i and s1 < e2 and s2 < e1]  # type: ignore[operator]
            if hits:
                out[i] = hits
        return out


class EditResult(enum.Enum):
    OK = "ok"
    NOT_FOUND = "not_found"  # missing or someone else's
    LOCKED = "locked"  # its submission is approved
    INVALID = "invalid"  # empty text, or a duration that is not one
    #: The new duration runs past midnight from the entry's start (issue 8 defect 6): an
    #: entry is one date's Jam Mulai-Jam Selesai; the rest is the next date's activity.
    PAST_MIDNIGHT = "past_midnight"


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
        EntryView(activity=act, skp_title=title, locked=_locked(status, act))
        for act, title, status in rows
    ]
    entries.sort(
        key=lambda e: (
            e.activity.start_time is None,
            e.activity.start_time or time(0),
            e.activity.id,
        )
    )
    latest = (
        await session.execute(
            select(Submission)
            .where(Submission.employee_id == employee_id, Submission.work_date == work_date)
            .order_by(Submission.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    status = latest.status if latest is not None else None
    resubmit = None
    if latest is not None and latest.status in REOPENED and entries:
        resubmit = ApprovalPress("rs", "h", latest.id, approval_requests.current_round(latest))
    total = sum(e.activity.minutes for e in entries)
    return DayView(work_date, entries, status, total, resubmit)


async def resubmitted_day(
    session: AsyncSession, employee_id: int, submission_id: int
) -> DayView | None:
    """The day of the employee's own submission (after 'Kirim ulang' from /hariini)."""
    sub = await session.get(Submission, submission_id)
    if sub is None or sub.employee_id != employee_id:
        return None
    return await day_entries(session, employee_id, sub.work_date)


def _locked(status: str | None, act: Activity) -> bool:
    """Approved: the whole day, or this activity in a per-activity decision."""
    return status == APPROVED or act.review_status == APPROVED


async def _editable(
    session: AsyncSession, employee_id: int, activity_id: int
) -> tuple[Activity | None, EditResult]:
    act = await session.get(Activity, activity_id, with_for_update=True)
    if act is None or act.employee_id != employee_id:
        return None, EditResult.NOT_FOUND
    if act.submission_id is not None:
        sub = await session.get(Submission, act.submission_id)
        if _locked(sub.status if sub is not None else None, act):
            return act, EditResult.LOCKED
    return act, EditResult.OK


async def _changed(session: AsyncSession, submission_id: int | None, now: datetime | None) -> None:
    """A day waiting for its atasan shows the change in the same request (edited in place)."""
    if submission_id is not None:
        await approval_requests.refresh_request(session, submission_id, now or utcnow())


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
    session: AsyncSession,
    employee_id: int,
    activity_id: int,
    text: str,
    now: datetime | None = None,
) -> EditResult:
    act, result = await _editable(session, employee_id, activity_id)
    if act is None or result is not EditResult.OK:
        return result
    text = clean_description(text)
    # Issue 7 defect 2: a description needs a word, not just "..." or "&".
    if not any(ch.isalnum() for ch in text) or len(text) > MAX_DESCRIPTION:
        return EditResult.INVALID
    act.description = text
    await session.flush()
    await _changed(session, act.submission_id, now)
    return EditResult.OK


def end_time(start: time, minutes: int) -> time | None:
    """start + minutes; ending at midnight exactly is 23:59 (e-Kinerja has no 24.00, the
    entry still counts to 24.00, as the report parser's midnight split does); None if it
    runs past midnight (e-Kinerja has no such entry)."""
    end = datetime.combine(date.min, start) + timedelta(minutes=minutes)
    if end.date() != date.min:
        return time(23, 59) if end.time() == time(0) and start != time(0) else None
    return end.time()


async def edit_minutes(
    session: AsyncSession,
    employee_id: int,
    activity_id: int,
    minutes: int,
    now: datetime | None = None,
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
            return EditResult.PAST_MIDNIGHT
        act.end_time = end
    act.minutes = minutes
    await session.flush()
    await _changed(session, act.submission_id, now)
    return EditResult.OK


async def delete_entry(
    session: AsyncSession, employee_id: int, activity_id: int, now: datetime | None = None
) -> EditResult:
    act, result = await _editable(session, employee_id, activity_id)
    if act is None or result is not EditResult.OK:
        return result
    submission_id = act.submission_id
    await session.delete(act)
    await session.flush()
    await _changed(session, submission_id, now)
    return EditResult.OK


# --- reading the user's date and duration ---------------------------------------------
# The report parser owns the grammar; /hariini reads dates and durations the same way.


def parse_day(text: str, now: datetime, tz: ZoneInfo) -> date | None:
    """'20/11', '20/11/2026', 'kemarin', 'Senin' → a date in the employee's zone."""
    text = text.strip()
    if not text:
        return now.astimezone(tz).date()
    return parse_date_text(text, now, tz)


def parse_minutes(text: str) -> int | None:
    """'1,5 jam', '90 menit', '1j 30m', '45' → minutes; None if it is not a duration."""
    return parse_duration_text(text)
