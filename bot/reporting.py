"""The report being composed (a draft) and its submission. No Telegram here.

The draft lives in `drafts.payload["report"]`; every step reads and writes it, so the
conversation survives restarts and can be served by any process. Buttons carry the
draft's random token: a button from an older or cancelled draft is recognised as stale.
"""

from __future__ import annotations

import enum
import secrets
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import drafts
from bot.clock import local_today, zone
from bot.matching import PastChoice, SkpCandidate, history_phrase, rank
from bot.parsing import ParsedActivity, is_generic_description, parse_report
from bot.workday import LayoutItem, lay_out
from storage.models import Activity, Employee, SkpChoice, SkpItem, Submission

MAX_ACTIVITIES = 20
MAX_DESCRIPTION = 500
MIN_MINUTES, MAX_MINUTES = 1, 16 * 60  # one activity: a minute to a 16-hour day
QUICK_MINUTES = (30, 60, 90, 120, 180)  # the duration buttons offered
OPEN_STATUSES = ("submitted", "rejected", "revision_requested")
Day = date  # DraftActivity has a field named `date`; inside it the type needs another name


@dataclass
class DraftActivity:
    date: str
    minutes: int | None
    description: str
    start: str | None = None
    end: str | None = None
    quantity: float | None = None
    unit: str | None = None
    warnings: list[str] = field(default_factory=list)
    skp_id: int | None = None
    skp_done: bool = False  # True once chosen; skp_id None then means tugas tambahan
    suggestions: list[int] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    @property
    def work_date(self) -> Day:
        return Day.fromisoformat(self.date)

    @property
    def vague(self) -> bool:
        return "generic_description" in self.warnings


@dataclass
class ReportDraft:
    token: str
    activities: list[DraftActivity]
    message_id: int | None = None  # the bot message that shows the current question
    # Typed again although already in the draft (same date, text, duration): kept aside
    # until the user says they really did it twice (issue 8 defect 4).
    held: list[DraftActivity] = field(default_factory=list)

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> ReportDraft:
        acts = [DraftActivity(**a) for a in data.get("activities", [])]
        held = [DraftActivity(**a) for a in data.get("held", [])]
        return cls(str(data["token"]), acts, data.get("message_id"), held)

    def to_payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "token": self.token,
            "activities": [asdict(a) for a in self.activities],
            "message_id": self.message_id,
        }
        if self.held:
            data["held"] = [asdict(a) for a in self.held]
        return data

    def next_question(self) -> Question | None:
        for i, act in enumerate(self.activities):
            if act.minutes is None:
                return Question("duration", i)
            if not act.skp_done:
                return Question("skp", i)
        return None

    def current_index(self) -> int:
        q = self.next_question()
        return q.index if q else len(self.activities) - 1

    def total_minutes(self) -> int:
        return sum(a.minutes or 0 for a in self.activities)

    def minutes_by_date(self) -> dict[date, int]:
        out: dict[date, int] = defaultdict(int)
        for a in self.activities:
            out[a.work_date] += a.minutes or 0
        return dict(sorted(out.items()))


@dataclass(frozen=True)
class Question:
    kind: str  # "duration" | "skp"
    index: int


class Status(enum.Enum):
    OK = "ok"
    STALE = "stale"  # no draft, another draft's button, or an index out of range
    INVALID = "invalid"  # the value is not acceptable (e.g. someone else's SKP item)


@dataclass
class Outcome:
    status: Status
    draft: ReportDraft | None = None
    # The drafts row the draft was read from (set by open_step), for a step that writes.
    state: drafts.DraftState | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    def opened(self) -> tuple[drafts.DraftState, ReportDraft]:
        """The row and draft of an OK outcome from open_step."""
        if self.state is None or self.draft is None:
            raise ValueError(f"no open draft in a {self.status.value} outcome")
        return self.state, self.draft


def valid_minutes(minutes: int | None) -> bool:
    """Whether `minutes` is an acceptable duration for one activity."""
    return minutes is not None and MIN_MINUTES <= minutes <= MAX_MINUTES


async def skp_candidates(session: AsyncSession, employee: Employee, year: int) -> list[SkpItem]:
    rows = await session.execute(
        select(SkpItem)
        .where(SkpItem.employee_id == employee.id, SkpItem.year == year, SkpItem.active.is_(True))
        .order_by(SkpItem.id)
    )
    return list(rows.scalars())


async def skp_titles(session: AsyncSession, employee: Employee, now: datetime) -> dict[int, str]:
    """The titles of the employee's active SKP items of their current (local) year, by id."""
    year = local_today(now, employee.timezone).year
    return {i.id: i.title for i in await skp_candidates(session, employee, year)}


async def past_choices(session: AsyncSession, employee_id: int) -> list[PastChoice]:
    rows = await session.execute(
        select(SkpChoice.phrase, SkpChoice.skp_item_id, SkpChoice.count).where(
            SkpChoice.employee_id == employee_id
        )
    )
    return [PastChoice(p, i, c) for p, i, c in rows.all()]


def _from_parsed(
    act: ParsedActivity, items: list[SkpItem], history: list[PastChoice]
) -> DraftActivity:
    candidates = [SkpCandidate(i.id, i.title, i.rhk) for i in items]
    suggestions = rank(act.description, candidates, history) if candidates else []
    return DraftActivity(
        date=act.work_date.isoformat(),
        minutes=act.minutes,
        description=act.description[:MAX_DESCRIPTION],
        start=act.start.strftime("%H:%M") if act.start else None,
        end=act.end.strftime("%H:%M") if act.end else None,
        quantity=act.quantity,
        unit=act.unit,
        warnings=list(act.warnings),
        suggestions=suggestions,
        # No SKP items yet: nothing to ask, the activity counts as tugas tambahan.
        skp_done=not candidates,
    )


@dataclass
class ParseOutcome:
    draft: ReportDraft | None
    added: int
    extended: bool  # the activities were added to a draft already open
    truncated: bool = False
    state: drafts.DraftState | None = None  # as stored, for remember_message
    items: list[SkpItem] = field(default_factory=list)  # the employee's SKP items this year


async def load_draft(
    session: AsyncSession, employee_id: int
) -> tuple[drafts.DraftState, ReportDraft | None]:
    state = await drafts.load(session, employee_id)
    data = state.report
    return state, (ReportDraft.from_payload(data) if data else None)


async def store_draft(
    session: AsyncSession, state: drafts.DraftState, draft: ReportDraft | None
) -> None:
    if draft is None:
        state.payload.pop("report", None)
    else:
        state.payload["report"] = draft.to_payload()
    await drafts.save(session, state)


async def report_from_text(
    session: AsyncSession,
    employee: Employee,
    text: str,
    now: datetime,
    state: drafts.DraftState | None = None,
    *,
    redelivered: bool = False,
) -> ParseOutcome:
    """Parse free text into the open draft (or a new one).

    `state` is the draft as the caller just read it, if it did; the write is checked
    against its version either way. An activity identical to one in the draft is held
    and asked about; in a `redelivered` message (its first handling died after storing
    it) it is simply the same one, so it is dropped.
    """
    tz = zone(employee.timezone)
    parsed = parse_report(text, now, tz)
    if not parsed.activities:
        return ParseOutcome(None, 0, False)
    today = now.astimezone(tz).date()
    items = await skp_candidates(session, employee, today.year)
    history = await past_choices(session, employee.id)
    if state is None:
        state, draft = await load_draft(session, employee.id)
    else:
        data = state.report
        draft = ReportDraft.from_payload(data) if data else None
    extended = draft is not None
    if draft is None:
        draft = ReportDraft(secrets.token_hex(3), [])
    new = [_from_parsed(a, items, history) for a in parsed.activities]
    seen = {_same_key(a) for a in draft.activities}
    draft.held = [] if redelivered else [a for a in new if _same_key(a) in seen]
    new = [a for a in new if _same_key(a) not in seen]
    room = MAX_ACTIVITIES - len(draft.activities)
    draft.activities.extend(new[: max(room, 0)])
    await store_draft(session, state, draft)
    added = min(len(new), max(room, 0))
    return ParseOutcome(draft, added, extended, len(new) > room, state, items)


def _same_key(act: DraftActivity) -> tuple[str, str, int | None]:
    """What makes two activities "the same one typed twice": date, text, duration."""
    return act.date, " ".join(act.description.casefold().split()), act.minutes


async def add_held(session: AsyncSession, employee: Employee, token: str) -> Outcome:
    """The user confirms the activities held as duplicates were really done twice."""
    step = await open_step(session, employee.id, token)
    if not step.ok:
        return step
    state, draft = step.opened()
    if not draft.held:
        return Outcome(Status.STALE)
    room = max(MAX_ACTIVITIES - len(draft.activities), 0)
    draft.activities.extend(draft.held[:room])
    draft.held = []
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def open_step(
    session: AsyncSession, employee_id: int, token: str, index: int | None = None
) -> Outcome:
    """The employee's draft if a button of it was pressed: OK with the draft (and its row)
    when `token` is the open draft's and `index` (if given) one of its activities, else
    STALE (no draft, another draft's button, an index out of range). Every step starts here."""
    state, draft = await load_draft(session, employee_id)
    if draft is None or draft.token != token:
        return Outcome(Status.STALE)
    if index is not None and not 0 <= index < len(draft.activities):
        return Outcome(Status.STALE)
    return Outcome(Status.OK, draft, state)


async def ask(
    session: AsyncSession, employee: Employee, token: str, index: int, kind: str
) -> Outcome:
    """Store a free-text question (`kind`) about activity `index`; its answer comes as text."""
    step = await open_step(session, employee.id, token, index)
    if step.ok:
        state, _ = step.opened()
        drafts.set_input(state, kind, token=token, index=index)
        await drafts.save(session, state)
    return step


async def choose_skp(
    session: AsyncSession, employee: Employee, token: str, index: int, skp_id: int | None
) -> Outcome:
    """Map activity `index` to an SKP item (None = tugas tambahan)."""
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    if skp_id is not None:
        item = await session.get(SkpItem, skp_id)
        if item is None or item.employee_id != employee.id or not item.active:
            return Outcome(Status.INVALID, draft)
    act = draft.activities[index]
    act.skp_id, act.skp_done = skp_id, True
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def set_minutes(
    session: AsyncSession, employee: Employee, token: str, index: int, minutes: int
) -> Outcome:
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    if not valid_minutes(minutes):
        return Outcome(Status.INVALID, draft)
    act = draft.activities[index]
    act.minutes = minutes
    if act.start:  # keep a given start; the end follows the new duration
        start = datetime.combine(act.work_date, time.fromisoformat(act.start))
        end = start + timedelta(minutes=minutes)
        act.end = end.strftime("%H:%M") if end.date() == act.work_date else "23:59"
    act.warnings = [w for w in act.warnings if w != "no_duration"]
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def set_description(
    session: AsyncSession, employee: Employee, token: str, index: int, text: str
) -> Outcome:
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    text = " ".join(text.split())[:MAX_DESCRIPTION]
    if not text:
        return Outcome(Status.INVALID, draft)
    act = draft.activities[index]
    act.description = text
    act.warnings = [w for w in act.warnings if w != "generic_description"]
    if is_generic_description(text):
        act.warnings.append("generic_description")
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def set_date(
    session: AsyncSession, employee: Employee, token: str, index: int, day: date, now: datetime
) -> Outcome:
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    today = local_today(now, employee.timezone)
    if day > today or day < today - timedelta(days=62):
        return Outcome(Status.INVALID, draft)
    draft.activities[index].date = day.isoformat()
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def reopen_skp(session: AsyncSession, employee: Employee, token: str, index: int) -> Outcome:
    """Ask the SKP question again for one activity (from the Ubah menu)."""
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    draft.activities[index].skp_done = False
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def remove_activity(
    session: AsyncSession, employee: Employee, token: str, index: int
) -> Outcome:
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    del draft.activities[index]
    await store_draft(session, state, draft if draft.activities else None)
    return Outcome(Status.OK, draft if draft.activities else None)


async def add_evidence(
    session: AsyncSession, employee: Employee, evidence: dict[str, Any]
) -> tuple[ReportDraft, int] | None:
    """Attach a photo/document/link to the activity being asked about (or the last one)."""
    state, draft = await load_draft(session, employee.id)
    if draft is None or not draft.activities:
        return None
    index = draft.current_index()
    draft.activities[index].evidence.append(evidence)
    await store_draft(session, state, draft)
    return draft, index


async def remember_message(
    session: AsyncSession,
    employee: Employee,
    token: str,
    message_id: int,
    known: tuple[drafts.DraftState, ReportDraft] | None = None,
) -> None:
    """Record the message showing the draft's question. `known` is the state and draft as
    just stored: written back without reading them again unless the row moved on."""
    if known is not None and known[1].token == token:
        state, draft = known
        draft.message_id = message_id
        try:
            await store_draft(session, state, draft)
            return
        except drafts.StaleDraft:
            pass  # changed meanwhile (another process): read it again
    step = await open_step(session, employee.id, token)
    if step.ok:
        state, draft = step.opened()
        draft.message_id = message_id
        await store_draft(session, state, draft)


async def cancel(session: AsyncSession, employee: Employee, token: str | None = None) -> bool:
    state, draft = await load_draft(session, employee.id)
    if draft is None or (token is not None and draft.token != token):
        return False
    await store_draft(session, state, None)
    return True


@dataclass
class SubmittedDay:
    work_date: date
    submission_id: int
    activity_ids: list[int]
    minutes: int


@dataclass
class SubmitResult:
    status: Status
    days: list[SubmittedDay] = field(default_factory=list)
    supervisor: Employee | None = None


async def submit(
    session: AsyncSession, employee: Employee, token: str, now: datetime
) -> SubmitResult:
    """Store the draft's activities, one submission per date, and learn the SKP choices."""
    step = await open_step(session, employee.id, token)
    if not step.ok:
        return SubmitResult(step.status)
    state, draft = step.opened()
    if draft.next_question() is not None:
        return SubmitResult(Status.INVALID)
    by_date: dict[date, list[DraftActivity]] = defaultdict(list)
    for act in draft.activities:
        by_date[act.work_date].append(act)
    days: list[SubmittedDay] = []
    for work_date, acts in sorted(by_date.items()):
        days.append(await _store_day(session, employee, work_date, acts, now))
    await _learn(session, employee.id, draft.activities, now)
    state.payload[SENT] = {
        "token": draft.token,
        "at": now.isoformat(),
        "draft": draft.to_payload(),
        "days": [
            [d.work_date.isoformat(), d.submission_id, d.activity_ids, d.minutes] for d in days
        ],
    }
    await store_draft(session, state, None)
    supervisor = None
    if employee.supervisor_id is not None:
        supervisor = await session.get(Employee, employee.supervisor_id)
    return SubmitResult(Status.OK, days, supervisor)


# The drafts payload keeps the last submitted draft, so a press on its buttons after a
# crash (the submission committed, the message never edited) is answered with the truth
# instead of "stale" (issue 8 defect 5).
SENT = "sent"


@dataclass
class SentDraft:
    at: datetime
    draft: ReportDraft
    result: SubmitResult


async def already_sent(session: AsyncSession, employee: Employee, token: str) -> SentDraft | None:
    """The submitted draft `token` (when and what was stored), if it was the last one sent."""
    state = await drafts.load(session, employee.id)
    data = state.payload.get(SENT)
    if not isinstance(data, dict) or data.get("token") != token:
        return None
    try:
        at = datetime.fromisoformat(str(data["at"]))
        draft = ReportDraft.from_payload(data["draft"])
        days = [
            SubmittedDay(Day.fromisoformat(d), int(sub), [int(i) for i in ids], int(minutes))
            for d, sub, ids, minutes in data["days"]
        ]
    except (KeyError, TypeError, ValueError):
        return None
    supervisor = None
    if employee.supervisor_id is not None:
        supervisor = await session.get(Employee, employee.supervisor_id)
    return SentDraft(at, draft, SubmitResult(Status.OK, days, supervisor))


async def _store_day(
    session: AsyncSession,
    employee: Employee,
    work_date: date,
    acts: list[DraftActivity],
    now: datetime,
) -> SubmittedDay:
    existing = await session.execute(
        select(Activity.start_time, Activity.end_time).where(
            Activity.employee_id == employee.id, Activity.work_date == work_date
        )
    )
    taken = [(s, e) for s, e in existing.all() if s is not None and e is not None]
    items = [
        LayoutItem(
            minutes=a.minutes or 0,
            start=time.fromisoformat(a.start) if a.start else None,
            end=time.fromisoformat(a.end) if a.end else None,
        )
        for a in acts
    ]
    ranges = lay_out(work_date, taken, items)
    submission = (
        await session.execute(
            select(Submission)
            .where(
                Submission.employee_id == employee.id,
                Submission.work_date == work_date,
                Submission.status.in_(OPEN_STATUSES),
            )
            .order_by(Submission.id.desc())
            .limit(1)
        )
    ).scalar_one_or_none()
    if submission is None:
        submission = Submission(
            employee_id=employee.id, work_date=work_date, status="submitted", created_at=now
        )
        session.add(submission)
        await session.flush()
    else:
        submission.status = "submitted"
        submission.decided_by = None
        submission.decided_at = None
    ids: list[int] = []
    for act, (start, end) in zip(acts, ranges, strict=True):
        row = Activity(
            employee_id=employee.id,
            work_date=work_date,
            start_time=start,
            end_time=end,
            minutes=act.minutes or 0,
            description=act.description,
            skp_item_id=act.skp_id,
            quantity=act.quantity,
            unit=act.unit,
            evidence={"items": act.evidence} if act.evidence else None,
            source="chat",
            submission_id=submission.id,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        await session.flush()
        ids.append(row.id)
    return SubmittedDay(work_date, submission.id, ids, sum(a.minutes or 0 for a in acts))


async def _learn(
    session: AsyncSession, employee_id: int, acts: list[DraftActivity], now: datetime
) -> None:
    """Count each confirmed (phrase → item) so the matcher ranks it first next time."""
    for act in acts:
        if act.skp_id is None:
            continue
        phrase = history_phrase(act.description)[:500]
        if not phrase:
            continue
        row = (
            await session.execute(
                select(SkpChoice).where(
                    SkpChoice.employee_id == employee_id,
                    SkpChoice.phrase == phrase,
                    SkpChoice.skp_item_id == act.skp_id,
                )
            )
        ).scalar_one_or_none()
        if row is None:
            session.add(
                SkpChoice(
                    employee_id=employee_id,
                    phrase=phrase,
                    skp_item_id=act.skp_id,
                    count=1,
                    updated_at=now,
                )
            )
        else:
            row.count += 1
            row.updated_at = now
        await session.flush()
