"""The sandbox's demo data gives every walk something to show (the QA pass)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from bot import demo, morning
from storage.db import Database
from storage.models import Activity, ApprovalMessage, Employee, OutboxMessage, Submission

FRIDAY = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)  # 10:00 WIB


async def test_demo_has_history_and_requests_waiting_for_bambang(db: Database) -> None:
    async with db.session() as session:
        assert await demo.is_empty(session)
        await demo.seed(session, FRIDAY)
    async with db.session() as session:
        by_tg = {e.telegram_user_id: e for e in (await session.execute(select(Employee))).scalars()}
        boss = by_tg[demo.ATASAN.telegram_id]
        subs = (await session.execute(select(Submission))).scalars().all()
        last = date(2026, 11, 26)
        waiting = sorted(s.employee_id for s in subs if s.status == "submitted")
        assert waiting == sorted([by_tg[1003].id, by_tg[1004].id])
        assert {s.work_date for s in subs if s.status == "submitted"} == {last}
        approved = [s for s in subs if s.status == "approved"]
        assert len(approved) == 3 * (demo.HISTORY_WORKDAYS - 1) - 1  # Dewi skipped one
        assert all(s.decided_by == boss.id for s in approved)
        # Dewi has not reported the last workday: the morning summary names her.
        assert await morning.missing(session, boss, last) == [by_tg[1005].name]
        # Every demo day is a full 7.5 h day.
        per_day = (
            await session.execute(
                select(func.sum(Activity.minutes)).group_by(
                    Activity.employee_id, Activity.work_date
                )
            )
        ).scalars()
        assert set(per_day) == {450}
        # Bambang's two requests are queued to his chat, a little later than the seed.
        requests = (
            (
                await session.execute(
                    select(OutboxMessage).join(
                        ApprovalMessage, ApprovalMessage.outbox_id == OutboxMessage.id
                    )
                )
            )
            .scalars()
            .all()
        )
        assert [r.chat_id for r in requests] == [demo.ATASAN.telegram_id] * 2
        assert all(r.not_before.replace(tzinfo=UTC) > FRIDAY for r in requests)
        assert all(
            e.created_at.replace(tzinfo=UTC) < datetime(2026, 11, 13, tzinfo=UTC)
            for e in by_tg.values()
        )
