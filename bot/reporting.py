"""The report being composed (a draft) and its submission. No Telegram here.

The draft lives in `drafts.payload["report"]`; every step reads and writes it, so the
conversation survives restarts and can be served by any process. Buttons carry the
draft's random token: a button from an older or cancelled draft is recognised as stale.
Buttons also carry the draft's `step` (bumped by every change that moves the
conversation on), so a button of an earlier step of the same draft is stale too.

What is stored is what was shown (DESIGN §9): whenever the draft is stored, its days are
compared with what was already sent for them. Each activity gets the clock times Kirim
will store (`planned_start/end`, laid out by bot.workday and shown as proposed), each
day its total including what was sent, and an activity whose own times collide with a
sent entry gets `conflicts` that must be resolved (shift, change, keep with a reason)
before Kirim. A day never holds more than 24 hours.
"""

from __future__ import annotations

import enum
import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import drafts
from bot.clock import local_today, zone
from bot.matching import PastChoice, SkpCandidate, history_phrase, rank
from bot.parsing import (
    FUTURE_DATE_IGNORED,
    IMPOSSIBLE_DATE,
    OVERNIGHT_LATER,
    OVERNIGHT_SPLIT,
    ParsedActivity,
    is_generic_description,
    parse_duration_text,
    parse_report,
)
from bot.workday import LayoutItem, lay_out
from storage.models import Activity, Employee, SkpChoice, SkpItem, Submission

MAX_ACTIVITIES = 20
MAX_DESCRIPTION = 500
MIN_MINUTES, MAX_MINUTES = 1, 16 * 60  # one activity: a minute to a 16-hour day
QUICK_MINUTES = (30, 60, 90, 120, 180)  # the duration buttons offered
OPEN_STATUSES = ("submitted", "rejected", "revision_requested")
SUGGESTIONS = 3  # SKP items offered as numbered buttons for one activity
DAY_LIMIT = 24 * 60  # no date can hold more than this, sent and drafted together
MAX_NOTE = 200
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
    # Computed at every store (see the module docstring): the times Kirim will store ...
    planned_start: str | None = None
    planned_end: str | None = None
    # ... and the sent entries its own times overlap: [start "HH:MM", end, description].
    conflicts: list[list[str]] = field(default_factory=list)
    overlap_note: str | None = None  # the reason to keep an overlap as it is
    future_ok: bool = False  # the user agreed that a future date becomes today
    future_date: str | None = None  # the future date read ("lusa"), named in the question

    @property
    def work_date(self) -> Day:
        return Day.fromisoformat(self.date)

    @property
    def fixed(self) -> bool:
        """The user gave a clock time: it is kept, not laid out."""
        return self.start is not None or self.end is not None

    @property
    def future_pending(self) -> bool:
        return FUTURE_DATE_IGNORED in self.warnings and not self.future_ok

    @property
    def overlap_pending(self) -> bool:
        return bool(self.conflicts) and self.overlap_note is None

    @property
    def vague(self) -> bool:
        return "generic_description" in self.warnings


@dataclass
class ReportDraft:
    token: str
    activities: list[DraftActivity]
    message_id: int | None = None  # the bot message that shows the current question
    step: int = 0  # bumped by every change; buttons of an earlier step are stale
    # A question opened from the Ubah menu (duration or time of one activity):
    # {"kind": ..., "index": i}; typed text answers it until it is answered or left.
    asking: dict[str, Any] | None = None
    sent: dict[str, int] = field(default_factory=dict)  # date → minutes already sent
    # Typed again although already in the draft (same date, text, duration): kept aside
    # until the user says they really did it twice (issue 8 defect 4).
    held: list[DraftActivity] = field(default_factory=list)

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> ReportDraft:
        known = {f for f in DraftActivity.__dataclass_fields__}
        acts = [
            DraftActivity(**{k: v for k, v in a.items() if k in known})
            for a in data.get("activities", [])
        ]
        return cls(
            str(data["token"]),
            acts,
            data.get("message_id"),
            int(data.get("step") or 0),
            data.get("asking"),
            dict(data.get("sent") or {}),
            [
                DraftActivity(**{k: v for k, v in a.items() if k in known})
                for a in data.get("held", [])
            ],
        )

    def to_payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "token": self.token,
            "activities": [asdict(a) for a in self.activities],
            "message_id": self.message_id,
            "step": self.step,
            "asking": self.asking,
            "sent": self.sent,
        }
        if self.held:
            data["held"] = [asdict(a) for a in self.held]
        return data

    def next_question(self) -> Question | None:
        asked = self.asking
        if asked is not None and 0 <= int(asked.get("index", -1)) < len(self.activities):
            return Question(str(asked["kind"]), int(asked["index"]))
        for i, act in enumerate(self.activities):
            if not act.description.strip():
                return Question("description", i)
            if act.future_pending:
                return Question("future", i)
            if act.minutes is None:
                return Question("duration", i)
            if act.overlap_pending:
                return Question("overlap", i)
            if not act.skp_done:
                return Question("skp", i)
        return None

    def day_minutes(self) -> dict[date, tuple[int, int]]:
        """For each date of the draft: (minutes already sent, minutes in this draft)."""
        return {
            day: (self.sent.get(day.isoformat(), 0), minutes)
            for day, minutes in self.minutes_by_date().items()
        }

    def over_limit(self) -> list[date]:
        """Dates that would hold more than 24 hours with this draft."""
        return [d for d, (sent, mine) in self.day_minutes().items() if sent + mine > DAY_LIMIT]

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
    # description (empty) · future (a future date became today: ok?) · duration ·
    # overlap (with a sent entry) · skp · time (a range, asked from Ubah)
    kind: str
    index: int

    @property
    def typed(self) -> bool:
        """Whether a typed answer can answer it (else only its buttons can)."""
        return self.kind in ("description", "duration", "overlap", "time")


class Status(enum.Enum):
    OK = "ok"
    STALE = "stale"  # no draft, another draft's button, or an index out of range
    INVALID = "invalid"  # the value is not acceptable (e.g. someone else's SKP item)
    OVER_DAY = "over_day"  # the day would hold more than 24 hours
    CHANGED = "changed"  # Kirim found the proposed times changed: shown again, not sent
    NO_ROOM = "no_room"  # an activity without times finds no free minute left that day


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
    year = local_today(now, employee.zone_name).year
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
        # Over 16 hours for one activity: shown as a warning and asked again.
        minutes=act.minutes if valid_minutes(act.minutes) else None,
        description=act.description[:MAX_DESCRIPTION],
        start=act.start.strftime("%H:%M") if act.start else None,
        end=act.end.strftime("%H:%M") if act.end else None,
        quantity=act.quantity,
        unit=act.unit,
        warnings=list(act.warnings),
        future_date=act.future_date.isoformat() if act.future_date else None,
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
    # What the text did when it did not (only) add activities:
    answered: Question | None = None  # it answered this open question
    unanswered: Question | None = None  # it looked like an answer but fits no open question
    empty: int = 0  # activities left out because they had no description
    over_day: list[date] = field(default_factory=list)  # left out: the day would pass 24 h
    tell_no_skp: bool = False  # first report without SKP items: say how to add them
    approval_word: int = 0  # "setuju"/"ok" from an atasan with this many pending decisions
    warnings: list[str] = field(default_factory=list)  # message-level parser warnings
    impossible: list[str] = field(default_factory=list)  # refused: a date not in the calendar


async def load_draft(
    session: AsyncSession, employee_id: int
) -> tuple[drafts.DraftState, ReportDraft | None]:
    state = await drafts.load(session, employee_id)
    data = state.report
    return state, (ReportDraft.from_payload(data) if data else None)


async def store_draft(
    session: AsyncSession,
    state: drafts.DraftState,
    draft: ReportDraft | None,
    *,
    bump: bool = True,
) -> None:
    """Write the draft back. `bump` (a change the user made): recompute what the draft's
    days hold (module docstring) and start a new step, so older buttons become stale."""
    if draft is None:
        state.payload.pop("report", None)
    else:
        if bump:
            await refresh(session, state.employee_id, draft)
            draft.step += 1
        state.payload["report"] = draft.to_payload()
    await drafts.save(session, state)


def _hm(value: time) -> str:
    return value.strftime("%H:%M")


async def refresh(session: AsyncSession, employee_id: int, draft: ReportDraft) -> None:
    """Recompute the draft's proposed times, its days' sent minutes and its conflicts."""
    days = sorted({a.work_date for a in draft.activities})
    sent: dict[date, list[tuple[time | None, time | None, int, str]]] = defaultdict(list)
    if days:
        rows = await session.execute(
            select(
                Activity.work_date,
                Activity.start_time,
                Activity.end_time,
                Activity.minutes,
                Activity.description,
            ).where(Activity.employee_id == employee_id, Activity.work_date.in_(days))
        )
        for day, start, end, minutes, description in rows.all():
            sent[day].append((start, end, minutes or 0, description))
    draft.sent = {d.isoformat(): sum(r[2] for r in sent[d]) for d in days if sent[d]}
    for day in days:
        acts = [a for a in draft.activities if a.work_date == day]
        taken = [(s, e) for s, e, _, _ in sent[day] if s is not None and e is not None]
        ranges = lay_out(day, taken, [_layout_item(a) for a in acts])
        for act, (start, end) in zip(acts, ranges, strict=True):
            act.planned_start, act.planned_end = _hm(start), _hm(end)
            hits = [
                [_hm(s), _hm(e), desc]
                for s, e, _, desc in sent[day]
                if act.fixed and s is not None and e is not None and start < e and s < end
            ]
            if hits != act.conflicts:
                act.conflicts = hits
                act.overlap_note = None


def _layout_item(act: DraftActivity) -> LayoutItem:
    return LayoutItem(
        minutes=act.minutes or 0,
        start=time.fromisoformat(act.start) if act.start else None,
        end=time.fromisoformat(act.end) if act.end else None,
    )


APPROVAL_WORDS = frozenset(
    {"setuju", "ok", "oke", "okay", "okey", "acc", "approve", "approved", "disetujui", "sip"}
)


async def pending_decisions(session: AsyncSession, employee: Employee, now: datetime) -> int:
    """Days waiting for this person's decision (the approval domain's `awaiting_count`)."""
    from bot.approval import awaiting_count  # bot.approval builds on this module

    return await awaiting_count(session, employee, local_today(now, employee.zone_name))


def shown_suggestions(act: DraftActivity, titles: Mapping[int, str]) -> list[int]:
    """The SKP items offered for `act`, in the order of their numbered buttons."""
    return [i for i in act.suggestions if i in titles][:SUGGESTIONS]


async def _typed_choice(
    session: AsyncSession,
    employee: Employee,
    draft: ReportDraft,
    q: Question,
    text: str,
    now: datetime,
) -> int | None:
    """A typed "2" under the SKP question picks suggestion 2, as its button would."""
    word = text.strip().rstrip(".")
    if not (word.isascii() and word.isdigit() and len(word) <= 2):
        return None
    titles = await skp_titles(session, employee, now)
    shown = shown_suggestions(draft.activities[q.index], titles)
    number = int(word)
    if not 1 <= number <= len(shown):
        return None
    act = draft.activities[q.index]
    act.skp_id, act.skp_done = shown[number - 1], True
    return act.skp_id


def _answer_shaped(parsed: list[ParsedActivity]) -> bool:
    """Text with a duration, time or date but no activity of its own ("2 jam", "09.00-11.00")."""
    return all(not _words(a.description) for a in parsed)


def _words(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def _answer(
    draft: ReportDraft, q: Question, text: str, parsed: list[ParsedActivity], today: date
) -> Status:
    """Apply a typed answer to the open question `q`; INVALID when it does not answer it."""
    act = draft.activities[q.index]
    ranged = [a for a in parsed if a.start is not None and a.end is not None]
    overnight = any(OVERNIGHT_SPLIT in a.warnings or OVERNIGHT_LATER in a.warnings for a in ranged)
    if q.kind in ("time", "overlap") or (q.kind == "duration" and ranged):
        if overnight and len(ranged) <= 2:  # "23.00-01.00": split at midnight below
            got, minutes = ranged[0], parse_duration_text(text)
            if got.start is None or minutes is None or not valid_minutes(minutes):
                return Status.INVALID
            act.start, act.end, act.minutes = _hm(got.start), None, minutes
        elif len(ranged) != 1 or not valid_minutes(ranged[0].minutes):
            return Status.INVALID
        else:
            got = ranged[0]
            assert got.start is not None and got.end is not None and got.minutes is not None
            act.start, act.end, act.minutes = _hm(got.start), _hm(got.end), got.minutes
            act.warnings = [w for w in act.warnings if w not in _OVERNIGHT]
        _apply_minutes(act, act.minutes)
    elif q.kind == "duration":
        minutes = parse_duration_text(text)
        if minutes is None or not valid_minutes(minutes):
            return Status.INVALID
        _apply_minutes(act, minutes)
    else:
        return Status.INVALID
    split_overnight(draft, q.index, today)
    act.warnings = [w for w in act.warnings if w != "no_duration"]
    draft.asking = None
    return Status.OK


_OVERNIGHT = (OVERNIGHT_SPLIT, OVERNIGHT_LATER)


def split_overnight(draft: ReportDraft, index: int, today: date) -> None:
    """Issue 8 defect 6: an activity whose start and minutes run past midnight is split
    there, as the parser splits "23.00-01.00" (bot.parsing.parser's docstring): the part
    until midnight keeps its day (stored until 23:59, counted to 24.00), the rest becomes
    an activity of the next day from 00:00, inserted after it; when the next day is still
    in the future, only the first part is kept and the activity says so."""
    act = draft.activities[index]
    if act.start is None or not act.minutes:
        return
    first = 24 * 60 - _minutes_of(act.start)
    if act.minutes <= first:
        return
    rest = act.minutes - first
    act.minutes, act.end = first, "23:59"
    act.warnings = [w for w in act.warnings if w not in _OVERNIGHT]
    next_day = act.work_date + timedelta(days=1)
    if next_day > today:
        act.warnings.append(OVERNIGHT_LATER)
        return
    act.warnings.append(OVERNIGHT_SPLIT)
    tail = replace(
        act,
        date=next_day.isoformat(),
        minutes=rest,
        start="00:00",
        end=f"{rest // 60:02d}:{rest % 60:02d}",
        warnings=[w for w in act.warnings if w in (OVERNIGHT_SPLIT, "generic_description")],
        evidence=[],
        planned_start=None,
        planned_end=None,
        conflicts=[],
        overlap_note=None,
        future_ok=False,
        future_date=None,
    )
    draft.activities.insert(index + 1, tail)


def _minutes_of(hhmm: str) -> int:
    hour, _, minute = hhmm.partition(":")
    return int(hour) * 60 + int(minute)


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
    tz = zone(employee.zone_name)
    if state is None:
        state, draft = await load_draft(session, employee.id)
    else:
        data = state.report
        draft = ReportDraft.from_payload(data) if data else None
    if _words(text).lower() in APPROVAL_WORDS:
        pending = await pending_decisions(session, employee, now)
        if pending:
            return ParseOutcome(draft, 0, draft is not None, state=state, approval_word=pending)
    question = draft.next_question() if draft is not None else None
    if draft is not None and question is not None and question.kind == "skp":
        picked = await _typed_choice(session, employee, draft, question, text, now)
        if picked is not None:
            await store_draft(session, state, draft)
            return ParseOutcome(draft, 0, True, state=state, answered=question)
    parsed = parse_report(text, now, tz)
    acts = list(parsed.activities)
    # The open question owns the next text (DESIGN §9): an answer-shaped text answers it.
    if draft is not None and question is not None and _answer_shaped(acts):
        if question.typed and question.kind != "description" and acts:
            today = local_today(now, employee.zone_name)
            status = _answer(draft, question, text, acts, today)
            if status is Status.OK and draft.over_limit():
                status = Status.OVER_DAY
            if status is Status.OK:
                await store_draft(session, state, draft)
                return ParseOutcome(draft, 0, True, state=state, answered=question)
        return ParseOutcome(draft, 0, True, state=state, unanswered=question)
    if draft is not None and question is not None and question.kind == "description":
        only = acts[0] if len(acts) == 1 else None
        if not acts or (only is not None and only.minutes is None and only.start is None):
            # No duration or time of its own: it is the description asked for.
            if _set_text(draft.activities[question.index], text):
                await store_draft(session, state, draft)
                return ParseOutcome(draft, 0, True, state=state, answered=question)
    if not acts:
        return ParseOutcome(None, 0, False)
    items = await skp_candidates(session, employee, local_today(now, employee.zone_name).year)
    history = await past_choices(session, employee.id)
    extended = draft is not None
    if draft is None:
        draft = ReportDraft(secrets.token_hex(3), [])
    # A date that does not exist ("31 februari") is refused, not moved to another day.
    impossible = [a.description for a in acts if IMPOSSIBLE_DATE in a.warnings]
    acts = [a for a in acts if IMPOSSIBLE_DATE not in a.warnings]
    new = [_from_parsed(a, items, history) for a in acts if _words(a.description)]
    empty = len(acts) - len(new)
    # Issue 8 defect 4: the same activity typed again is held and asked about, not added.
    seen = {_same_key(a) for a in draft.activities}
    held = [] if redelivered else [a for a in new if _same_key(a) in seen]
    new = [a for a in new if _same_key(a) not in seen]
    held_changed = bool(held or draft.held)
    draft.held = held
    if not new:
        if held_changed and extended:
            await store_draft(session, state, draft)
        return ParseOutcome(
            draft if extended else None,
            0,
            extended,
            state=state,
            empty=empty,
            impossible=impossible,
        )
    room = max(MAX_ACTIVITIES - len(draft.activities), 0)
    before = len(draft.activities)
    draft.activities.extend(new[:room])
    await refresh(session, employee.id, draft)
    over = draft.over_limit()
    if over:  # the new activities of a day past 24 h are left out
        keep = draft.activities[:before]
        draft.activities = keep + [a for a in draft.activities[before:] if a.work_date not in over]
    added = len(draft.activities) - before
    if not draft.activities:
        return ParseOutcome(None, 0, False, state=state, over_day=over, empty=empty)
    tell_no_skp = not items and not state.payload.get("told_no_skp")
    if tell_no_skp:
        state.payload["told_no_skp"] = True
    if added or tell_no_skp or held_changed:
        await store_draft(session, state, draft)
    message_warnings = [w for w in parsed.warnings if w == FUTURE_DATE_IGNORED]
    return ParseOutcome(
        draft,
        added,
        extended,
        len(new) > room,
        state,
        items,
        empty=empty,
        over_day=over,
        tell_no_skp=tell_no_skp,
        impossible=impossible,
        warnings=message_warnings if not any(a.future_pending for a in new) else [],
    )


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
    session: AsyncSession,
    employee: Employee,
    token: str,
    index: int,
    minutes: int,
    now: datetime | None = None,
) -> Outcome:
    """A duration for activity `index`; with a start time past midnight it is split
    (`split_overnight`; without `now` the next day counts as not yet come)."""
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    if not valid_minutes(minutes):
        return Outcome(Status.INVALID, draft)
    act = draft.activities[index]
    _apply_minutes(act, minutes)
    today = local_today(now, employee.zone_name) if now is not None else act.work_date
    split_overnight(draft, index, today)
    act.warnings = [w for w in act.warnings if w != "no_duration"]
    if draft.over_limit():
        return Outcome(Status.OVER_DAY, draft)
    draft.asking = None
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


def _apply_minutes(act: DraftActivity, minutes: int) -> None:
    """The new duration; past midnight the end is 23:59 until `split_overnight` runs."""
    act.minutes = minutes
    if act.start:  # keep a given start; the end follows the new duration
        start = datetime.combine(act.work_date, time.fromisoformat(act.start))
        end = start + timedelta(minutes=minutes)
        act.end = end.strftime("%H:%M") if end.date() == act.work_date else "23:59"
    elif act.end:  # only an end was given: it stays, the start follows
        act.start = None


def _set_text(act: DraftActivity, text: str) -> bool:
    """Set the description; False (unchanged) when the text has no word in it."""
    text = " ".join(text.split())[:MAX_DESCRIPTION]
    if not _words(text):
        return False
    act.description = text
    act.warnings = [
        w for w in act.warnings if w not in ("generic_description", "empty_description")
    ]
    if is_generic_description(text):
        act.warnings.append("generic_description")
    return True


async def set_description(
    session: AsyncSession, employee: Employee, token: str, index: int, text: str
) -> Outcome:
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    if not _set_text(draft.activities[index], text):
        return Outcome(Status.INVALID, draft)
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def set_date(
    session: AsyncSession, employee: Employee, token: str, index: int, day: date, now: datetime
) -> Outcome:
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    today = local_today(now, employee.zone_name)
    if day > today or day < today - timedelta(days=62):
        return Outcome(Status.INVALID, draft)
    act = draft.activities[index]
    act.date = day.isoformat()
    act.future_ok = True  # a date chosen by hand is no longer the parser's guess
    await refresh(session, employee.id, draft)
    if draft.over_limit():
        return Outcome(Status.OVER_DAY, draft)
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def ask_about(
    session: AsyncSession, employee: Employee, token: str, index: int, kind: str
) -> Outcome:
    """Open a question from the Ubah menu ("duration", "time") that typed text answers."""
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    draft.asking = {"kind": kind, "index": index}
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def leave_question(session: AsyncSession, employee: Employee, token: str) -> Outcome:
    """Close a question opened from the Ubah menu (⬅️ Kembali)."""
    step = await open_step(session, employee.id, token)
    if not step.ok:
        return step
    state, draft = step.opened()
    if draft.asking is not None:
        draft.asking = None
        await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def keep_today(session: AsyncSession, employee: Employee, token: str, index: int) -> Outcome:
    """The user agrees that an activity dated in the future is recorded for today."""
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    draft.activities[index].future_ok = True
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def shift_activity(
    session: AsyncSession, employee: Employee, token: str, index: int
) -> Outcome:
    """Resolve an overlap by moving the activity to the next free time (its duration kept)."""
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    act = draft.activities[index]
    if not act.conflicts:  # nothing to resolve (a forged press): the user's times stay
        return Outcome(Status.STALE)
    act.start = act.end = None
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def keep_overlap(
    session: AsyncSession, employee: Employee, token: str, index: int, reason: str
) -> Outcome:
    """Resolve an overlap by keeping the times, with the reason (sent with the entry)."""
    step = await open_step(session, employee.id, token, index)
    if not step.ok:
        return step
    state, draft = step.opened()
    reason = " ".join(reason.split())[:MAX_NOTE]
    act = draft.activities[index]
    if not _words(reason) or not act.conflicts:
        return Outcome(Status.INVALID, draft)
    act.overlap_note = reason
    await store_draft(session, state, draft)
    return Outcome(Status.OK, draft)


async def advance(session: AsyncSession, employee: Employee, token: str) -> Outcome:
    """A new step without a change (a menu replaced the buttons): older buttons go stale."""
    step = await open_step(session, employee.id, token)
    if step.ok:
        state, draft = step.opened()
        draft.step += 1
        await store_draft(session, state, draft, bump=False)
    return step


class PressAge(enum.Enum):
    """Where a press of the open draft stands against the draft's step (issue 7 defect 14,
    issue 8 kill test)."""

    CURRENT = "current"  # acts
    STALE = "stale"  # an older message or a forged step: answered stale, nothing changes
    BEHIND = "behind"  # the draft's own message drawn at an earlier step: shown again


async def press_age(
    session: AsyncSession, employee_id: int, token: str, message_id: int | None, step: int | None
) -> PressAge:
    """Whether a press of the draft `token` comes from its current message and step.

    A message newer than the remembered one, with the current step, is the current one too:
    the process died after sending it and before remembering its id, and the buttons the
    person sees must still work (superseded messages are always older). The remembered
    message with an earlier step is BEHIND: the process died after storing a step and before
    editing the message (or the person tapped twice); its buttons are redrawn, not acted on.
    Presses without a step (older clients, forged data) are checked by message only."""
    _, draft = await load_draft(session, employee_id)
    if draft is None or draft.token != token:
        return PressAge.CURRENT  # the op itself answers "stale"
    if message_id is not None and draft.message_id is not None and message_id != draft.message_id:
        newer = message_id > draft.message_id
        return PressAge.CURRENT if newer and step == draft.step else PressAge.STALE
    if step is None or step == draft.step:
        return PressAge.CURRENT
    return PressAge.BEHIND if step < draft.step and message_id is not None else PressAge.STALE


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
    draft.asking = None
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
    await store_draft(session, state, draft, bump=False)
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
            await store_draft(session, state, draft, bump=False)
            return
        except drafts.StaleDraft:
            pass  # changed meanwhile (another process): read it again
    step = await open_step(session, employee.id, token)
    if step.ok:
        state, draft = step.opened()
        draft.message_id = message_id
        await store_draft(session, state, draft, bump=False)


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
    draft: ReportDraft | None = None  # CHANGED / OVER_DAY: the draft to show again


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
    shown = [(a.planned_start, a.planned_end, a.conflicts) for a in draft.activities]
    await refresh(session, employee.id, draft)
    if draft.over_limit():
        return SubmitResult(Status.OVER_DAY, draft=draft)
    if any((a.planned_start or "") >= (a.planned_end or "") for a in draft.activities):
        # lay_out's 23:59-23:59: no stored activity may end at or before its start.
        return SubmitResult(Status.NO_ROOM, draft=draft)
    if shown != [(a.planned_start, a.planned_end, a.conflicts) for a in draft.activities]:
        # Something was sent for these days meanwhile: show the new times, store nothing.
        await store_draft(session, state, draft)
        return SubmitResult(Status.CHANGED, draft=draft)
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
    # The times shown as proposed (refresh() just confirmed them).
    ranges = [
        (
            time.fromisoformat(a.planned_start or "00:00"),
            time.fromisoformat(a.planned_end or "00:00"),
        )
        for a in acts
    ]
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
            evidence=_evidence(act),
            source="chat",
            submission_id=submission.id,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        await session.flush()
        ids.append(row.id)
    return SubmittedDay(work_date, submission.id, ids, sum(a.minutes or 0 for a in acts))


def _evidence(act: DraftActivity) -> dict[str, Any] | None:
    """The evidence JSON; the reason to keep an overlap rides along beside the items."""
    out: dict[str, Any] = {}
    if act.evidence:
        out["items"] = list(act.evidence)
    if act.overlap_note:
        out["overlap_note"] = act.overlap_note
    return out or None


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
