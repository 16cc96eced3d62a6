"""Digest mode (issue 9): one message a day listing the days waiting for an atasan. No Telegram.

An atasan in digest mode gets no message per submitted day; at their digest time (their
own zone) the job sends one message with the waiting days, "Setujui semua" (with a
confirm step showing the count) and a button per day. The message is an outbox row with
the dedupe key digest:<atasan>:<local date>, so two processes never send it twice, and it
is found again by that key to be edited as items are decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot import approval
from bot.approval_buttons import Button, DigestPress, btn, markup
from bot.clock import DEFAULT_ZONE, local_today
from bot.i18n import format_date, format_hours, t
from bot.outbox import enqueue, enqueue_edit, queued_keys
from bot.report_text import short
from bot.workcalendar import load_calendar
from storage.models import Activity, Delegation, Employee, OutboxMessage, Submission
from storage.queries import linked_with

DEFAULT_TIME = time(16, 0)
PAGE = 15
TIME_CHOICES = (time(7, 30), time(12, 0), time(16, 0))


@dataclass
class Pending:
    submission_id: int
    name: str
    work_date: date
    minutes: int
    count: int


def digest_key(approver_id: int, day: date) -> str:
    return f"digest:{approver_id}:{day:%Y%m%d}"


async def principals(session: AsyncSession, actor_id: int, today: date) -> list[int]:
    """The atasan whose staff `actor` may decide for today: themself and those they act for."""
    rows = await session.execute(
        select(Delegation.principal_id).where(
            Delegation.delegate_id == actor_id,
            Delegation.start_date <= today,
            Delegation.end_date >= today,
        )
    )
    return [actor_id, *sorted(set(rows.scalars()) - {actor_id})]


async def pending_for(
    session: AsyncSession, actor: Employee, today: date, max_id: int | None = None
) -> list[Pending]:
    """Days waiting for `actor` (as atasan or active delegate), oldest first; one statement
    after the delegation look-up."""
    roots = await principals(session, actor.id, today)
    stmt = (
        select(
            Submission.id,
            Employee.name,
            Submission.work_date,
            func.coalesce(func.sum(Activity.minutes), 0),
            func.count(Activity.id),
        )
        .join(Employee, Employee.id == Submission.employee_id)
        .outerjoin(Activity, Activity.submission_id == Submission.id)
        .where(
            Submission.status.in_(approval.AWAITING),
            Employee.supervisor_id.in_(roots),
            Employee.id != actor.id,  # nobody decides their own day (approval.authority)
        )
        .group_by(Submission.id, Employee.name, Submission.work_date)
        .order_by(Submission.work_date, Employee.name, Submission.id)
    )
    if max_id is not None:
        stmt = stmt.where(Submission.id <= max_id)
    return [Pending(*row) for row in (await session.execute(stmt)).tuples().all()]


def build_digest(
    items: list[Pending], lang: str, page: int = 0, note: str = ""
) -> tuple[str, dict[str, Any] | None]:
    """The digest message: a page of waiting days, approve-all and a button per day."""
    if not items:
        return "\n\n".join(x for x in (note, t(lang, "digest.empty")) if x), None
    pages = -(-len(items) // PAGE)
    page = max(0, min(page, pages - 1))
    shown = list(enumerate(items, start=1))[page * PAGE : (page + 1) * PAGE]
    total = sum(i.minutes for i in items)
    lines = [t(lang, "digest.head", count=len(items), hours=format_hours(total, lang))]
    if note:
        lines.insert(0, note)
    for n, item in shown:
        lines.append(
            t(
                lang,
                "digest.line",
                n=n,
                name=short(item.name, 60),
                date=format_date(item.work_date, lang, "short"),
                hours=format_hours(item.minutes, lang),
                count=item.count,
            )
        )
    if pages > 1:
        lines.append(t(lang, "digest.page", page=page + 1, pages=pages))
    per_day = [
        btn(f"{n}. {short(item.name, 20)}", DigestPress("p", item.submission_id, page))
        for n, item in shown
    ]
    grid: list[list[Button]] = [per_day[i : i + 3] for i in range(0, len(per_day), 3)]
    nav = []
    if page > 0:
        nav.append(btn(t(lang, "digest.btn_prev"), DigestPress("pg", 0, page - 1)))
    if page < pages - 1:
        nav.append(btn(t(lang, "digest.btn_next"), DigestPress("pg", 0, page + 1)))
    grid.append(nav)
    max_id = max(i.submission_id for i in items)
    grid.append(
        [btn(t(lang, "digest.btn_all", total=len(items)), DigestPress("all", max_id, page))]
    )
    return "\n".join(lines), markup(grid)


async def due_digests(session: AsyncSession, now: datetime) -> list[Employee]:
    """Atasan in digest mode whose digest time has come today and who have not had it yet."""
    candidates = await linked_with(session, Employee.digest_mode)
    keyed: dict[str, Employee] = {}
    day = now.date()
    cal = await load_calendar(session, day - timedelta(days=1), day + timedelta(days=1), now=now)
    for emp in candidates:
        local = now.astimezone(cal.zone(emp.timezone, emp.unit_id, DEFAULT_ZONE))
        workday = cal.is_workday(local.date(), emp.unit_id, emp.id)
        if local.time() >= (emp.digest_time or DEFAULT_TIME) and workday:
            keyed[digest_key(emp.id, local.date())] = emp
    sent = await queued_keys(session, list(keyed))
    return [emp for key, emp in keyed.items() if key not in sent]


async def send_digest(session: AsyncSession, approver: Employee, now: datetime) -> bool:
    """Queue today's digest (once per atasan and day); False if nothing waits or already sent."""
    today = local_today(now, approver.zone_name)
    items = await pending_for(session, approver, today)
    if not items or approver.telegram_user_id is None:
        return False
    text, buttons = build_digest(items, approver.language)
    row = await enqueue(
        session,
        approver.telegram_user_id,
        text,
        now=now,
        dedupe_key=digest_key(approver.id, today),
        reply_markup=buttons,
    )
    return row is not None


async def refresh_digests(session: AsyncSession, staff: Employee, now: datetime) -> None:
    """Today's digests that list `staff`'s days, edited to what still waits."""
    if staff.supervisor_id is None:
        return
    ids = [staff.supervisor_id]
    ids += list(
        (
            await session.execute(
                select(Delegation.delegate_id).where(
                    Delegation.principal_id == staff.supervisor_id,
                    Delegation.end_date >= local_today(now, staff.zone_name),
                )
            )
        ).scalars()
    )
    approvers = (
        await session.execute(
            select(Employee).where(Employee.id.in_(ids), Employee.digest_mode.is_(True))
        )
    ).scalars()
    for approver in approvers:
        today = local_today(now, approver.zone_name)
        row = (
            await session.execute(
                select(OutboxMessage).where(
                    OutboxMessage.dedupe_key == digest_key(approver.id, today)
                )
            )
        ).scalar_one_or_none()
        if row is None:
            continue
        text, buttons = build_digest(await pending_for(session, approver, today), approver.language)
        await enqueue_edit(session, row, text, now=now, reply_markup=buttons)


async def is_atasan(session: AsyncSession, employee: Employee) -> bool:
    """An atasan: the supervisor role, or anyone with an active subordinate."""
    if "supervisor" in employee.role_set:
        return True
    found = await session.scalar(
        select(Employee.id)
        .where(Employee.supervisor_id == employee.id, Employee.active.is_(True))
        .limit(1)
    )
    return found is not None


async def set_digest(
    session: AsyncSession, employee: Employee, *, on: bool | None = None, at: time | None = None
) -> Employee:
    """Switch digest mode or set its time (a time also switches it on)."""
    emp = await session.get(Employee, employee.id)
    assert emp is not None
    if at is not None:
        emp.digest_time, emp.digest_mode = at, True
    if on is not None:
        emp.digest_mode = on
    await session.flush()
    return emp


async def approve_all(session: AsyncSession, actor: Employee, max_id: int, now: datetime) -> int:
    """Approve every day waiting for `actor` up to the digest's newest (not later arrivals)."""
    done = 0
    for item in await pending_for(session, actor, local_today(now, actor.zone_name), max_id):
        result = await approval.decide(session, actor, item.submission_id, approval.APPROVED, now)
        done += result.outcome is approval.Outcome.OK
    return done
