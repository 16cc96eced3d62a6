"""Approval requests to the atasan (the decision side comes with the approval feature)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import format_date, t
from bot.outbox import blocked_notice, enqueue
from bot.report_text import approval_request_text
from bot.reporting import SubmitResult
from storage.models import Activity, Employee


def can_receive(employee: Employee | None) -> bool:
    return employee is not None and employee.active and employee.telegram_user_id is not None


async def queue_requests(
    session: AsyncSession,
    employee: Employee,
    result: SubmitResult,
    titles: Mapping[int, str],
    now: datetime,
) -> bool:
    """One request per submitted day, in the submission's transaction; False if no atasan."""
    sup = result.supervisor
    if sup is None or not can_receive(sup):
        return False
    assert sup.telegram_user_id is not None
    lang = sup.language
    for day in result.days:
        acts = (
            await session.execute(
                select(Activity)
                .where(Activity.id.in_(day.activity_ids))
                .order_by(Activity.start_time, Activity.id)
            )
        ).scalars()
        rows = []
        for a in acts:
            rng = f"{a.start_time:%H.%M}–{a.end_time:%H.%M}" if a.start_time and a.end_time else ""
            skp = titles.get(a.skp_item_id, "") if a.skp_item_id else t(lang, "report.extra_task")
            rows.append((rng, a.description, a.minutes, skp))
        text = approval_request_text(employee.name, employee.position, day.work_date, rows, lang)
        ids = ",".join(map(str, day.activity_ids))
        await enqueue(
            session,
            sup.telegram_user_id,
            text,
            now=now,
            dedupe_key=f"approval:{day.submission_id}:{ids}"[:200],
            on_blocked=_if_blocked(employee, sup, day.work_date),
        )
    return True


def _if_blocked(employee: Employee, sup: Employee, work_date: date) -> dict[str, Any]:
    """If the atasan has blocked the bot, the staff member hears the truth and the admins
    are told (issue 8 defect 7); the request goes out again when the atasan unblocks."""
    tell = []
    if employee.telegram_user_id is not None:
        lang = employee.language
        text = t(
            lang,
            "guard.approval_blocked",
            name=sup.name,
            date=format_date(work_date, lang),
        )
        tell.append((employee.telegram_user_id, text))
    return blocked_notice(tell, "guard.blocked_admin", {"name": sup.name, "staff": employee.name})
