"""Approval requests to the atasan (the decision side comes with the approval feature)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import Html, format_span, t
from bot.outbox import enqueue
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
            rng = format_span(a.start_time, a.end_time, lang) if a.start_time and a.end_time else ""
            skp = titles.get(a.skp_item_id, "") if a.skp_item_id else t(lang, "report.extra_task")
            rows.append((rng, _with_note(a, lang), a.minutes, skp))
        text = approval_request_text(employee.name, employee.position, day.work_date, rows, lang)
        ids = ",".join(map(str, day.activity_ids))
        await enqueue(
            session,
            sup.telegram_user_id,
            text,
            now=now,
            dedupe_key=f"approval:{day.submission_id}:{ids}"[:200],
        )
    return True


def _with_note(activity: Activity, lang: str) -> str:
    """The description, plus the reason an overlap was kept (the atasan sees what was kept)."""
    items = (activity.evidence or {}).get("items") or []
    notes = [
        i.get("text", "") for i in items if isinstance(i, dict) and i.get("kind") == "overlap_note"
    ]
    if not notes:
        return activity.description
    return activity.description + " — " + t(lang, "report.approval_overlap", reason=Html(notes[0]))
