"""The atasan's side of a submitted day: requests, decisions, resubmission (issue 9). No Telegram.

A submitted day (a `submissions` row) reaches each approver as one request message (an
outbox row, linked by `approval_messages`). Every decision is checked here against the
database — the press's ids are never trusted — and is claimed with a conditional UPDATE,
so a second tap, a replay or a second process changes nothing. A decision edits every
open request message in place (through the outbox) and tells the employee, in the same
transaction. Only the employee's current atasan, or a delegate (Plt) whose range covers
the day of the decision, may decide; a delegate's decision records both names.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import drafts
from bot.approval_buttons import ApprovalPress, Button, btn, markup
from bot.i18n import Html, format_date, format_datetime, format_duration, t
from bot.outbox import enqueue, enqueue_edit
from bot.report_text import approval_request_text, short
from bot.reporting import SubmitResult, employee_tz, local_today
from storage.models import (
    Activity,
    ApprovalMessage,
    Delegation,
    Employee,
    OutboxMessage,
    SkpItem,
    Submission,
)

SUBMITTED = "submitted"
APPROVED = "approved"
REJECTED = "rejected"
REVISION = "revision_requested"
PARTLY = "partly_approved"
REOPENED = (REJECTED, REVISION, PARTLY)  # the employee may fix and send again
MAX_REASON = 500
QUICK_REASONS = (1, 2, 3)  # approval.reason_1..3
INPUT_REASON = "ap_reason"
_VERDICT_OF_OP = {"ok": APPROVED, "no": REJECTED, "rev": REVISION}


class Outcome(enum.Enum):
    OK = "ok"
    STALE = "stale"  # no such submission/activity, or it is not waiting any more
    NOT_ALLOWED = "not_allowed"  # the presser is not the atasan or an active delegate
    ALREADY = "already"  # decided before (second tap, another approver, replay)
    INVALID = "invalid"  # empty reason
    TOO_LONG = "too_long"  # reason over MAX_REASON


@dataclass
class Decision:
    outcome: Outcome
    submission: Submission | None = None
    staff: Employee | None = None
    finished: bool = False  # the day's status is final (per-activity: all decided)


def verdict_of(op: str) -> str | None:
    return _VERDICT_OF_OP.get(op)


def can_receive(employee: Employee | None) -> bool:
    return employee is not None and employee.active and employee.telegram_user_id is not None


def clean_reason(text: str | None) -> str:
    return " ".join((text or "").split())


# --- who may decide ----------------------------------------------------------------------


async def authority(
    session: AsyncSession, actor: Employee, staff: Employee, today: date
) -> tuple[bool, Employee | None]:
    """(may decide, the atasan decided for when the actor is a delegate). Nobody decides
    their own day, not even as Plt for their own atasan."""
    if staff.supervisor_id is None or not actor.active or actor.id == staff.id:
        return False, None
    if actor.id == staff.supervisor_id:
        return True, None
    found = (
        await session.execute(
            select(Delegation.id)
            .where(
                Delegation.delegate_id == actor.id,
                Delegation.principal_id == staff.supervisor_id,
                Delegation.start_date <= today,
                Delegation.end_date >= today,
            )
            .limit(1)
        )
    ).scalar_one_or_none()
    if found is None:
        return False, None
    return True, await session.get(Employee, staff.supervisor_id)


async def approvers(session: AsyncSession, staff: Employee, today: date) -> list[Employee]:
    """Who gets the request now: the atasan and any delegate active today."""
    if staff.supervisor_id is None:
        return []
    sup = await session.get(Employee, staff.supervisor_id)
    delegates = (
        await session.execute(
            select(Employee)
            .join(Delegation, Delegation.delegate_id == Employee.id)
            .where(
                Delegation.principal_id == staff.supervisor_id,
                Delegation.start_date <= today,
                Delegation.end_date >= today,
            )
            .order_by(Employee.id)
        )
    ).scalars()
    seen: set[int] = set()
    out = []
    for emp in [sup, *delegates]:
        if emp is not None and emp.id not in seen:
            seen.add(emp.id)
            out.append(emp)
    return out


# --- the request's content -----------------------------------------------------------------


@dataclass
class Row:
    id: int
    range: str
    description: str
    minutes: int
    skp_id: int | None
    skp: str | None
    review: str | None
    evidence: list[dict[str, Any]] = field(default_factory=list)


async def day_rows(session: AsyncSession, submission_id: int) -> list[Row]:
    """The submission's activities in day order, with their SKP titles (one statement)."""
    result = await session.execute(
        select(Activity, SkpItem.title)
        .outerjoin(SkpItem, SkpItem.id == Activity.skp_item_id)
        .where(Activity.submission_id == submission_id)
        .order_by(Activity.start_time, Activity.id)
        .execution_options(populate_existing=True)
    )
    rows = []
    for act, title in result.all():
        rng = (
            f"{act.start_time:%H.%M}–{act.end_time:%H.%M}"
            if act.start_time and act.end_time
            else ""
        )
        items = (act.evidence or {}).get("items") or []
        rows.append(
            Row(
                act.id,
                rng,
                act.description,
                act.minutes,
                act.skp_item_id,
                title,
                act.review_status,
                list(items),
            )
        )
    return rows


def current_round(sub: Submission) -> int:
    """How many requests this day has had (each fresh request is a new round)."""
    return int((sub.snapshot or {}).get("round", 0))


def snapshot(rows: Sequence[Row], round_: int) -> dict[str, Any]:
    items = [{"id": r.id, "d": r.description, "m": r.minutes, "s": r.skp_id} for r in rows]
    return {"round": round_, "items": items}


def changes(old: Mapping[str, Any] | None, rows: Sequence[Row], lang: str) -> list[str]:
    """What the employee changed since the atasan last saw the day, one line each."""
    if old is None:
        return []
    before = {int(i["id"]): i for i in old.get("items", [])}
    lines = []
    for n, row in enumerate(rows, start=1):
        prev = before.pop(row.id, None)
        desc = short(row.description, 60)
        if prev is None:
            lines.append(t(lang, "approval.change_added", n=n, description=desc))
            continue
        if prev.get("d") != row.description:
            lines.append(t(lang, "approval.change_text", n=n, description=desc))
        if prev.get("m") != row.minutes:
            lines.append(
                t(
                    lang,
                    "approval.change_minutes",
                    n=n,
                    old=format_duration(int(prev.get("m") or 0), lang),
                    new=format_duration(row.minutes, lang),
                )
            )
        if prev.get("s") != row.skp_id:
            lines.append(t(lang, "approval.change_skp", n=n))
    for prev in before.values():
        desc = short(str(prev.get("d", "")), 60)
        lines.append(t(lang, "approval.change_removed", description=desc))
    if len(lines) > 12:
        lines = [*lines[:12], t(lang, "approval.change_more", count=len(lines) - 12)]
    return lines or [t(lang, "approval.change_none")]


_MARK = {APPROVED: "✅ ", REJECTED: "❌ "}


def request_text(
    staff: Employee,
    work_date: date,
    rows: Sequence[Row],
    lang: str,
    *,
    extra: Sequence[str] = (),
) -> str:
    """The request: the day's activities, then `extra` blocks (changes, decision, …)."""
    tail = "".join("\n\n" + block for block in extra if block)
    body_rows = [
        (
            _MARK.get(r.review or "", "") + r.range,
            r.description,
            r.minutes,
            r.skp or t(lang, "report.extra_task"),
        )
        for r in rows
    ]
    body = approval_request_text(
        staff.name, staff.position, work_date, body_rows, lang, reserve=len(tail)
    )
    if not rows:
        body += "\n" + t(lang, "approval.no_activities")
    return body + tail


def decision_buttons(
    submission_id: int, round_: int, rows: Sequence[Row], lang: str, src: str
) -> list[list[Button]]:
    first = [
        btn(t(lang, "approval.btn_approve"), ApprovalPress("ok", src, submission_id, round_)),
        btn(t(lang, "approval.btn_reject"), ApprovalPress("no", src, submission_id, round_)),
        btn(t(lang, "approval.btn_revise"), ApprovalPress("rev", src, submission_id, round_)),
    ]
    second = []
    if len(rows) > 1:
        second.append(
            btn(
                t(lang, "approval.btn_one_by_one"), ApprovalPress("one", src, submission_id, round_)
            )
        )
    if any(r.evidence for r in rows):
        second.append(
            btn(t(lang, "approval.btn_evidence"), ApprovalPress("ev", src, submission_id, round_))
        )
    return [first, second]


def _when(at: datetime, viewer: Employee) -> str:
    return format_datetime(at.astimezone(employee_tz(viewer)), viewer.language, "d MMM y, HH.mm")


async def _who(session: AsyncSession, sub: Submission, lang: str) -> str:
    decider = await session.get(Employee, sub.decided_by) if sub.decided_by else None
    name = decider.name if decider else "-"
    if sub.decided_for is None:
        return name
    principal = await session.get(Employee, sub.decided_for)
    return t(
        lang, "approval.who_plt", delegate=name, principal=principal.name if principal else "-"
    )


async def decision_footer(session: AsyncSession, sub: Submission, viewer: Employee) -> str:
    """'✅ Disetujui oleh …, kapan' (+ reason) in the viewer's language; '' while pending."""
    if sub.status == SUBMITTED or sub.decided_at is None:
        return ""
    lang = viewer.language
    who = Html(await _who(session, sub, lang))
    line = t(lang, f"approval.decided_{sub.status}", who=who, when=_when(sub.decided_at, viewer))
    if sub.note:
        line += "\n" + t(lang, "approval.reason_line", reason=sub.note)
    return line


async def _viewable(
    session: AsyncSession, submission_id: int, viewer: Employee, now: datetime
) -> tuple[Submission, Employee] | None:
    """The submission and its employee if `viewer` may decide it (so may see it)."""
    sub = await session.get(Submission, submission_id)
    if sub is None:
        return None
    staff = await session.get(Employee, sub.employee_id)
    assert staff is not None
    allowed, _ = await authority(session, viewer, staff, local_today(viewer, now))
    return (sub, staff) if allowed else None


async def request_view(
    session: AsyncSession, submission_id: int, viewer: Employee, src: str, now: datetime
) -> tuple[str, dict[str, Any] | None] | None:
    """The request as `viewer` should see it now: buttons while pending, the decision after;
    None if the viewer may not decide it."""
    found = await _viewable(session, submission_id, viewer, now)
    if found is None:
        return None
    sub, staff = found
    rows = await day_rows(session, sub.id)
    lang = viewer.language
    if sub.status == SUBMITTED:
        text = request_text(staff, sub.work_date, rows, lang)
        return text, markup(decision_buttons(sub.id, current_round(sub), rows, lang, src))
    footer = await decision_footer(session, sub, viewer)
    return request_text(staff, sub.work_date, rows, lang, extra=[footer]), None


async def activities_view(
    session: AsyncSession, submission_id: int, viewer: Employee, src: str, now: datetime
) -> tuple[str, dict[str, Any] | None] | None:
    """'Periksa satu per satu': each activity with ✅/❌, marks for those decided."""
    found = await _viewable(session, submission_id, viewer, now)
    if found is None:
        return None
    sub, staff = found
    if sub.status != SUBMITTED:
        return await request_view(session, submission_id, viewer, src, now)
    rows = await day_rows(session, sub.id)
    lang = viewer.language
    round_ = current_round(sub)
    text = request_text(staff, sub.work_date, rows, lang, extra=[t(lang, "approval.one_by_one")])
    buttons: list[Button] = []
    for n, row in enumerate(rows[:40], start=1):
        ok = ("• " if row.review == APPROVED else "") + t(lang, "approval.btn_act_ok", n=n)
        no = ("• " if row.review == REJECTED else "") + t(lang, "approval.btn_act_no", n=n)
        buttons.append(btn(ok, ApprovalPress("aok", src, sub.id, round_, row.id)))
        buttons.append(btn(no, ApprovalPress("ano", src, sub.id, round_, row.id)))
    grid = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    grid.append([btn(t(lang, "approval.btn_back"), ApprovalPress("cx", src, sub.id, round_))])
    return text, markup(grid)


# --- sending, updating and superseding requests ----------------------------------------------


async def _messages(
    session: AsyncSession, submission_id: int, states: Sequence[str]
) -> list[tuple[ApprovalMessage, OutboxMessage, Employee]]:
    result = await session.execute(
        select(ApprovalMessage, OutboxMessage, Employee)
        .join(OutboxMessage, OutboxMessage.id == ApprovalMessage.outbox_id)
        .join(Employee, Employee.id == ApprovalMessage.recipient_id)
        .where(ApprovalMessage.submission_id == submission_id, ApprovalMessage.state.in_(states))
        .order_by(ApprovalMessage.id)
    )
    return [(m, o, e) for m, o, e in result.tuples().all()]


async def send_request(
    session: AsyncSession, staff: Employee, sub: Submission, now: datetime
) -> None:
    """The day's request: edited in place while one is open, else a fresh one (saying what
    changed since the last one, which is marked superseded)."""
    rows = await day_rows(session, sub.id)
    if await _refresh_open(session, staff, sub, rows, now):
        return
    for msg, out, rec in await _messages(session, sub.id, ("decided",)):
        text = str(out.payload.get("text", ""))
        note = t(rec.language, "approval.superseded", when=_when(now, rec))
        await enqueue_edit(session, out, text + "\n\n" + note, now=now)
        msg.state = "superseded"
    today = local_today(staff, now)
    round_ = current_round(sub) + 1
    for rec in await approvers(session, staff, today):
        if not can_receive(rec) or rec.digest_mode:
            continue
        assert rec.telegram_user_id is not None
        lang = rec.language
        diff = changes(sub.snapshot, rows, lang)
        extra = [t(lang, "approval.resubmitted") + "\n" + "\n".join(diff)] if diff else []
        text = request_text(staff, sub.work_date, rows, lang, extra=extra)
        sent = await enqueue(
            session,
            rec.telegram_user_id,
            text,
            now=now,
            reply_markup=markup(decision_buttons(sub.id, round_, rows, lang, "r")),
        )
        assert sent is not None
        session.add(
            ApprovalMessage(
                submission_id=sub.id, recipient_id=rec.id, outbox_id=sent.id, created_at=now
            )
        )
    sub.snapshot = snapshot(rows, round_)
    await session.flush()


async def _refresh_open(
    session: AsyncSession, staff: Employee, sub: Submission, rows: list[Row], now: datetime
) -> bool:
    """Edit the open request messages to show the day as it is now; False if none is open."""
    open_ = await _messages(session, sub.id, ("open",))
    if not open_:
        return False
    round_ = current_round(sub)
    for _msg, out, rec in open_:
        lang = rec.language
        note = t(lang, "approval.updated", when=_when(now, rec))
        text = request_text(staff, sub.work_date, rows, lang, extra=[note])
        await enqueue_edit(
            session,
            out,
            text,
            now=now,
            reply_markup=markup(decision_buttons(sub.id, round_, rows, lang, "r")),
        )
    sub.snapshot = snapshot(rows, round_)
    await session.flush()
    return True


async def queue_requests(
    session: AsyncSession,
    employee: Employee,
    result: SubmitResult,
    titles: Mapping[int, str],
    now: datetime,
) -> bool:
    """Requests for the submitted days, in the submission's transaction; False if no atasan
    can receive one. A day already waiting gets its request edited, never a second one."""
    del titles  # the request reads the titles with the activities
    for day in result.days:
        sub = await session.get(Submission, day.submission_id)
        if sub is not None:
            await send_request(session, employee, sub, now)
    return can_receive(result.supervisor)


async def refresh_request(session: AsyncSession, submission_id: int, now: datetime) -> None:
    """After the employee edited or deleted an entry of a waiting day: the request in place."""
    sub = await session.get(Submission, submission_id)
    if sub is None or sub.status != SUBMITTED:
        return
    staff = await session.get(Employee, sub.employee_id)
    assert staff is not None
    await _refresh_open(session, staff, sub, await day_rows(session, sub.id), now)


# --- decisions ----------------------------------------------------------------------------


async def _load(
    session: AsyncSession,
    actor: Employee,
    submission_id: int,
    now: datetime,
    round_: int | None = None,
) -> tuple[Decision, Employee | None]:
    """The submission if `actor` may decide it now (from the current request, when the
    press names its round); else the refusal."""
    sub = await session.get(Submission, submission_id)
    if sub is None:
        return Decision(Outcome.STALE), None
    staff = await session.get(Employee, sub.employee_id)
    assert staff is not None
    allowed, principal = await authority(session, actor, staff, local_today(actor, now))
    if not allowed:
        return Decision(Outcome.NOT_ALLOWED), None
    if sub.status != SUBMITTED:
        return Decision(Outcome.ALREADY, sub, staff), None
    if round_ is not None and round_ != current_round(sub):
        return Decision(Outcome.STALE, sub, staff), None  # a superseded request's button
    return Decision(Outcome.OK, sub, staff), principal


async def _claim(
    session: AsyncSession,
    sub: Submission,
    actor: Employee,
    principal: Employee | None,
    status: str,
    note: str | None,
    now: datetime,
) -> bool:
    """Move the day from waiting to `status`; False if someone else did first."""
    result = await session.execute(
        update(Submission)
        .where(Submission.id == sub.id, Submission.status == SUBMITTED)
        .values(
            status=status,
            decided_by=actor.id,
            decided_for=principal.id if principal else None,
            decided_at=now,
            note=note,
        )
        .execution_options(synchronize_session="fetch")
    )
    return (result.rowcount or 0) == 1  # type: ignore[attr-defined]


async def decide(
    session: AsyncSession,
    actor: Employee,
    submission_id: int,
    verdict: str,
    now: datetime,
    *,
    reason: str | None = None,
    quick: int | None = None,
    round_: int | None = None,
) -> Decision:
    """Approve, reject or ask for revision of a whole day (a reason for the last two)."""
    if quick is not None:
        reason = t("id", f"approval.reason_{quick}") if quick in QUICK_REASONS else None
    note: str | None = None
    if verdict != APPROVED:
        note = clean_reason(reason)
        if not note:
            return Decision(Outcome.INVALID)
        if len(note) > MAX_REASON:
            return Decision(Outcome.TOO_LONG)
    found, principal = await _load(session, actor, submission_id, now, round_)
    if found.outcome is not Outcome.OK:
        return found
    sub, staff = found.submission, found.staff
    assert sub is not None and staff is not None
    if not await _claim(session, sub, actor, principal, verdict, note, now):
        return Decision(Outcome.ALREADY, sub, staff)
    if verdict == APPROVED:
        await session.execute(
            update(Activity)
            .where(Activity.submission_id == sub.id)
            .values(review_status=APPROVED)
            .execution_options(synchronize_session=False)
        )
    await _finish(session, sub, staff, now, quick=quick)
    await clear_reason_question(session, actor.id)
    return Decision(Outcome.OK, sub, staff, finished=True)


async def decide_activity(
    session: AsyncSession,
    actor: Employee,
    submission_id: int,
    activity_id: int,
    verdict: str,
    now: datetime,
    round_: int | None = None,
) -> Decision:
    """One activity approved or rejected; once all are, the day follows (all approved →
    approved; any rejected → partly approved, the rejected ones back to the employee)."""
    found, principal = await _load(session, actor, submission_id, now, round_)
    if found.outcome is not Outcome.OK:
        return found
    sub, staff = found.submission, found.staff
    assert sub is not None and staff is not None
    act = await session.get(Activity, activity_id)
    if act is None or act.submission_id != sub.id or verdict not in (APPROVED, REJECTED):
        return Decision(Outcome.STALE)
    if act.review_status == verdict:
        return Decision(Outcome.ALREADY, sub, staff)
    act.review_status = verdict
    await session.flush()
    counts = dict(
        (
            await session.execute(
                select(Activity.review_status, func.count())
                .where(Activity.submission_id == sub.id)
                .group_by(Activity.review_status)
            )
        )
        .tuples()
        .all()
    )
    if counts.get(None):
        return Decision(Outcome.OK, sub, staff)
    rejected = counts.get(REJECTED, 0)
    status = PARTLY if rejected else APPROVED
    if not await _claim(session, sub, actor, principal, status, None, now):
        return Decision(Outcome.ALREADY, sub, staff)
    await _finish(session, sub, staff, now)
    return Decision(Outcome.OK, sub, staff, finished=True)


async def _finish(
    session: AsyncSession, sub: Submission, staff: Employee, now: datetime, quick: int | None = None
) -> None:
    """After a decision: request messages edited in place, the employee told."""
    rows = await day_rows(session, sub.id)
    for msg, out, rec in await _messages(session, sub.id, ("open",)):
        footer = await decision_footer(session, sub, rec)
        await enqueue_edit(
            session,
            out,
            request_text(staff, sub.work_date, rows, rec.language, extra=[footer]),
            now=now,
        )
        msg.state = "decided"
    if can_receive(staff):
        assert staff.telegram_user_id is not None
        text, buttons = await _notice(session, sub, staff, rows, quick)
        await enqueue(session, staff.telegram_user_id, text, now=now, reply_markup=buttons)
    from bot.digest import refresh_digests  # the digest module builds on this one

    await refresh_digests(session, staff, now)
    await session.flush()


async def _notice(
    session: AsyncSession, sub: Submission, staff: Employee, rows: list[Row], quick: int | None
) -> tuple[str, dict[str, Any] | None]:
    """The employee's message about the decision, in their language."""
    lang = staff.language
    who = Html(await _who(session, sub, lang))
    day = format_date(sub.work_date, lang)
    lines = [t(lang, f"approval.notice_{sub.status}", who=who, date=day)]
    if sub.note:
        reason = t(lang, f"approval.reason_{quick}") if quick else sub.note
        lines.append(t(lang, "approval.reason_line", reason=reason))
    if sub.status == PARTLY:
        for n, row in enumerate(rows, start=1):
            if row.review == REJECTED:
                lines.append(
                    t(
                        lang,
                        "approval.notice_rejected_item",
                        n=n,
                        description=short(row.description, 80),
                    )
                )
    if sub.status == APPROVED:
        return "\n".join(lines), None
    lines.append(t(lang, "approval.notice_fix", day=f"{sub.work_date:%d/%m}"))
    again = btn(
        t(lang, "approval.btn_resubmit"), ApprovalPress("rs", "e", sub.id, current_round(sub))
    )
    return "\n".join(lines), markup([[again]])


async def resubmit(
    session: AsyncSession, employee: Employee, submission_id: int, now: datetime
) -> Outcome:
    """'Kirim ulang' after a rejection or a revision request: a fresh request saying what
    changed; the old request is marked superseded."""
    sub = await session.get(Submission, submission_id)
    if sub is None or sub.employee_id != employee.id:
        return Outcome.STALE
    if sub.status not in REOPENED:
        return Outcome.ALREADY
    # Mark the old request superseded while it still shows its decision.
    for msg, out, rec in await _messages(session, sub.id, ("decided",)):
        rows = await day_rows(session, sub.id)
        footer = await decision_footer(session, sub, rec)
        note = t(rec.language, "approval.superseded", when=_when(now, rec))
        text = request_text(employee, sub.work_date, rows, rec.language, extra=[footer, note])
        await enqueue_edit(session, out, text, now=now)
        msg.state = "superseded"
    result = await session.execute(
        update(Submission)
        .where(Submission.id == sub.id, Submission.status.in_(REOPENED))
        .values(status=SUBMITTED, decided_by=None, decided_for=None, decided_at=None, note=None)
        .execution_options(synchronize_session="fetch")
    )
    if (result.rowcount or 0) != 1:  # type: ignore[attr-defined]
        return Outcome.ALREADY
    await session.execute(
        update(Activity)
        .where(Activity.submission_id == sub.id, Activity.review_status == REJECTED)
        .values(review_status=None)
        .execution_options(synchronize_session=False)
    )
    await send_request(session, employee, sub, now)
    return Outcome.OK


# --- the reason question (lives in the atasan's drafts row, answered from any process) -----


async def ask_reason(
    session: AsyncSession,
    actor: Employee,
    submission_id: int,
    verdict: str,
    src: str,
    prompt: int | None,
    now: datetime,
    round_: int | None = None,
) -> Decision:
    """Check the actor may decide, then remember that their next text is the reason."""
    found, _ = await _load(session, actor, submission_id, now, round_)
    if found.outcome is Outcome.OK:
        state = await drafts.load(session, actor.id)
        drafts.set_input(
            state,
            INPUT_REASON,
            submission=submission_id,
            verdict=verdict,
            src=src,
            prompt=prompt,
            round=round_,
        )
        await drafts.save(session, state)
    return found


async def clear_reason_question(session: AsyncSession, employee_id: int) -> None:
    state = await drafts.load(session, employee_id)
    pending = state.pending_input
    if pending is not None and pending.get("kind") == INPUT_REASON:
        drafts.clear_input(state)
        await drafts.save(session, state)


def reason_buttons(
    submission_id: int, round_: int, op: str, src: str, lang: str
) -> list[list[Button]]:
    rows = [
        [btn(t(lang, f"approval.reason_{n}"), ApprovalPress(op, src, submission_id, round_, n))]
        for n in QUICK_REASONS
    ]
    back = ApprovalPress("cx", src, submission_id, round_)
    rows.append([btn(t(lang, "approval.btn_back"), back)])
    return rows


async def evidence_text(
    session: AsyncSession, actor: Employee, submission_id: int, now: datetime
) -> str | None:
    """The day's evidence (links and file names) for an approver; None if not allowed."""
    sub = await session.get(Submission, submission_id)
    if sub is None:
        return None
    staff = await session.get(Employee, sub.employee_id)
    assert staff is not None
    allowed, _ = await authority(session, actor, staff, local_today(actor, now))
    if not allowed:
        return None
    lang = actor.language
    lines = [
        t(lang, "approval.evidence_head", name=staff.name, date=format_date(sub.work_date, lang))
    ]
    for n, row in enumerate(await day_rows(session, sub.id), start=1):
        for item in row.evidence:
            what = str(item.get("url") or item.get("file_name") or item.get("kind") or "")
            lines.append(t(lang, "approval.evidence_line", n=n, what=what))
    return "\n".join(lines)
