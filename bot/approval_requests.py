"""The approval request: its content, its messages, sending and superseding (issue 9).

A submitted day reaches each approver (the atasan, and a delegate active that day) as one
request message: an outbox row linked by `approval_messages`. While the day waits, edits by
the employee update that message in place; after a decision, "Kirim ulang" sends a fresh
request (a new round, saying what changed) and marks the old one superseded. Every press
names its round, so a superseded request's buttons are stale. No Telegram here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.approval_buttons import ApprovalPress, Button, btn, markup
from bot.clock import local_today, zone
from bot.i18n import Html, format_date, format_datetime, format_duration, format_span, t
from bot.outbox import blocked_notice, enqueue, enqueue_edit
from bot.report_text import approval_request_text, short
from bot.reporting import SubmitResult
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
QUICK_REASONS = (1, 2, 3)  # approval.reason_1..3


# --- who receives it -------------------------------------------------------------------------


def can_receive(employee: Employee | None) -> bool:
    return employee is not None and employee.active and employee.telegram_user_id is not None


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
    overlap_note: str | None = None  # why the staff kept an overlap (issue 7 defect 5)
    start: time | None = None  # the stored clock times, written in the reader's glossary
    end: time | None = None

    def span(self, lang: str) -> str:
        if self.start is not None and self.end is not None:
            return format_span(self.start, self.end, lang)
        return self.range


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
                (act.evidence or {}).get("overlap_note"),
                act.start_time,
                act.end_time,
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
            _MARK.get(r.review or "", "") + r.span(lang),
            _with_note(r, lang),
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


def when_text(at: datetime, viewer: Employee) -> str:
    return format_datetime(at.astimezone(zone(viewer.zone_name)), viewer.language, "d MMM y, HH.mm")


async def who_text(session: AsyncSession, sub: Submission, lang: str) -> str:
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
    who = Html(await who_text(session, sub, lang))
    line = t(
        lang, f"approval.decided_{sub.status}", who=who, when=when_text(sub.decided_at, viewer)
    )
    if sub.note:
        line += "\n" + t(lang, "approval.reason_line", reason=sub.note)
    return line


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


# --- sending, updating and superseding requests ----------------------------------------------


async def messages(
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
    for msg, out, rec in await messages(session, sub.id, ("decided",)):
        text = str(out.payload.get("text", ""))
        note = t(rec.language, "approval.superseded", when=when_text(now, rec))
        await enqueue_edit(session, out, text + "\n\n" + note, now=now)
        msg.state = "superseded"
    today = local_today(now, staff.zone_name)
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
            on_blocked=_if_blocked(staff, rec, sub.work_date),
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
    open_ = await messages(session, sub.id, ("open",))
    if not open_:
        return False
    round_ = current_round(sub)
    for _msg, out, rec in open_:
        lang = rec.language
        note = t(lang, "approval.updated", when=when_text(now, rec))
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


def _with_note(row: Row, lang: str) -> str:
    """The description, plus the reason an overlap was kept (the atasan sees it)."""
    if not row.overlap_note:
        return row.description
    note = t(lang, "report.approval_overlap", reason=Html(row.overlap_note))
    return f"{row.description} — {note}"


def _if_blocked(staff: Employee, rec: Employee, work_date: date) -> dict[str, Any]:
    """If the approver has blocked the bot, the staff member hears the truth and the admins
    are told once (issue 8 defect 7); the request goes out again when the approver unblocks
    (handlers/membership.py)."""
    tell = []
    if staff.telegram_user_id is not None:
        lang = staff.language
        text = t(lang, "guard.approval_blocked", name=rec.name, date=format_date(work_date, lang))
        tell.append((staff.telegram_user_id, text))
    return blocked_notice(tell, "guard.blocked_admin", {"name": rec.name, "staff": staff.name})
