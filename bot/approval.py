"""The atasan's decisions on a submitted day, and the employee's resubmission (issue 9).

The request message itself (content, sending, superseding) is bot.approval_requests.
Every decision is checked here against the
database — the press's ids are never trusted — and is claimed with a conditional UPDATE,
so a second tap, a replay or a second process changes nothing. A decision edits every
open request message in place (through the outbox) and tells the employee, in the same
transaction. Only the employee's current atasan, or a delegate (Plt) whose range covers
the day of the decision, may decide; a delegate's decision records both names.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot import drafts
from bot.approval_buttons import ApprovalPress, Button, btn, markup
from bot.approval_requests import APPROVED as APPROVED
from bot.approval_requests import PARTLY as PARTLY
from bot.approval_requests import QUICK_REASONS as QUICK_REASONS
from bot.approval_requests import REJECTED as REJECTED
from bot.approval_requests import REVISION as REVISION
from bot.approval_requests import SUBMITTED as SUBMITTED
from bot.approval_requests import (
    Row,
    current_round,
    day_rows,
    decision_buttons,
    decision_footer,
    messages,
    request_text,
    send_request,
    when_text,
    who_text,
)
from bot.approval_requests import can_receive as can_receive
from bot.approval_requests import queue_requests as queue_requests
from bot.clock import local_today
from bot.i18n import Html, format_date, t
from bot.outbox import enqueue, enqueue_edit
from bot.report_text import short
from storage.models import (
    Activity,
    Delegation,
    Employee,
    Submission,
)

REOPENED = (REJECTED, REVISION, PARTLY)  # the employee may fix and send again
MAX_REASON = 500
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


#: A day waits for its atasan's decision while it is `submitted`, also when some of its
#: activities were decided one by one already (the day's status follows once all are).
#: `partly_approved`, `rejected` and `revision_requested` wait for the employee instead.
AWAITING = (SUBMITTED,)


async def awaiting_count(session: AsyncSession, decider: Employee, today: date) -> int:
    """Days waiting for `decider`'s decision: of their own staff and of the staff of anyone
    they stand in for (Plt) on `today`; never their own days (see `authority`)."""
    principals = select(Delegation.principal_id).where(
        Delegation.delegate_id == decider.id,
        Delegation.start_date <= today,
        Delegation.end_date >= today,
    )
    found = await session.execute(
        select(func.count(Submission.id))
        .join(Employee, Employee.id == Submission.employee_id)
        .where(
            or_(Employee.supervisor_id == decider.id, Employee.supervisor_id.in_(principals)),
            Employee.id != decider.id,
            Submission.status.in_(AWAITING),
        )
    )
    return int(found.scalar_one())


async def _viewable(
    session: AsyncSession, submission_id: int, viewer: Employee, now: datetime
) -> tuple[Submission, Employee] | None:
    """The submission and its employee if `viewer` may decide it (so may see it)."""
    sub = await session.get(Submission, submission_id)
    if sub is None:
        return None
    staff = await session.get(Employee, sub.employee_id)
    assert staff is not None
    allowed, _ = await authority(session, viewer, staff, local_today(now, viewer.zone_name))
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
    allowed, principal = await authority(session, actor, staff, local_today(now, actor.zone_name))
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
    for msg, out, rec in await messages(session, sub.id, ("open",)):
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
    who = Html(await who_text(session, sub, lang))
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
    for msg, out, rec in await messages(session, sub.id, ("decided",)):
        rows = await day_rows(session, sub.id)
        footer = await decision_footer(session, sub, rec)
        note = t(rec.language, "approval.superseded", when=when_text(now, rec))
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


async def evidence_text(
    session: AsyncSession, actor: Employee, submission_id: int, now: datetime
) -> str | None:
    """The day's evidence (links and file names) for an approver; None if not allowed."""
    sub = await session.get(Submission, submission_id)
    if sub is None:
        return None
    staff = await session.get(Employee, sub.employee_id)
    assert staff is not None
    allowed, _ = await authority(session, actor, staff, local_today(now, actor.zone_name))
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
