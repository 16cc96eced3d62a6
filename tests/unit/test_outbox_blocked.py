"""Rows refused with 403 wait for the unblock (issue 8 defect 7, outbox side)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from telegram.error import Forbidden

from bot.clock import FixedClock
from bot.outbox import BLOCKED, enqueue, pending_for_chat, requeue_blocked
from bot.outbox_sender import OutboxSender
from storage.db import Database
from storage.models import Employee, OutboxMessage

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
ATASAN, OTHER = 7001, 7002


class Bot:
    """Stands in for telegram.Bot: refuses while `blocked`, else delivers."""

    def __init__(self) -> None:
        self.blocked = True
        self.delivered: list[str] = []

    async def send_message(self, **kwargs: Any) -> Any:
        if self.blocked:
            raise Forbidden("Forbidden: bot was blocked by the user")
        self.delivered.append(kwargs["text"])
        return type("Message", (), {"id": len(self.delivered)})()


async def rows(db: Database) -> dict[str, OutboxMessage]:
    async with db.session() as session:
        found = (await session.execute(select(OutboxMessage))).scalars()
        return {r.payload["text"]: r for r in found}


async def test_a_403_is_kept_as_blocked_and_requeued_in_order_after_the_unblock(
    db: Database,
) -> None:
    async with db.session() as session:
        session.add(Employee(nip="197505101998031003", name="Bambang", telegram_user_id=ATASAN))
        for text, chat in [("Laporan 1", ATASAN), ("Laporan 2", ATASAN), ("Lain", OTHER)]:
            await enqueue(session, chat, text, now=NOW)
    clock = FixedClock(NOW)
    bot = Bot()
    sender = OutboxSender(bot, db, clock, rate_per_second=100)  # type: ignore[arg-type]
    await sender.run_once()
    before = await rows(db)
    assert {r.status for r in before.values()} == {"failed"}
    assert all(r.last_error and r.last_error.startswith(BLOCKED) for r in before.values())
    async with db.session() as session:
        atasan = (await session.execute(select(Employee))).scalar_one()
        assert atasan.blocked_bot_at is not None
        waiting = await pending_for_chat(session, ATASAN)
    assert [r.payload["text"] for r in waiting] == ["Laporan 1", "Laporan 2"]

    bot.blocked = False
    later = NOW + timedelta(hours=2)
    clock.set(later)
    async with db.session() as session:
        assert await requeue_blocked(session, ATASAN, later) == 2
    after = await rows(db)
    assert after["Laporan 1"].status == "pending" and after["Laporan 1"].last_error is None
    assert after["Lain"].status == "failed"  # another chat is not touched
    await sender.run_once()
    assert bot.delivered == ["Laporan 1", "Laporan 2"]
    async with db.session() as session:
        assert await pending_for_chat(session, ATASAN) == []
        assert await requeue_blocked(session, ATASAN, later) == 0  # nothing twice


async def test_requeue_leaves_other_failures_and_old_rows_alone(db: Database) -> None:
    async with db.session() as session:
        old = await enqueue(session, ATASAN, "Lama", now=NOW - timedelta(days=8))
        new = await enqueue(session, ATASAN, "Baru", now=NOW)
        bad = await enqueue(session, ATASAN, "Rusak <b", now=NOW)
        queued = await enqueue(session, ATASAN, "Antre", now=NOW)
        assert old and new and bad and queued
        for row in (old, new):
            row.status, row.last_error = "failed", f"{BLOCKED}Forbidden: bot was blocked"
        bad.status, bad.last_error = "failed", "Bad Request: can't parse entities"
    async with db.session() as session:
        waiting = [r.payload["text"] for r in await pending_for_chat(session, ATASAN)]
        assert waiting == ["Lama", "Baru", "Antre"]
        assert await requeue_blocked(session, ATASAN, NOW, since=NOW - timedelta(days=7)) == 1
    after = await rows(db)
    assert after["Baru"].status == "pending"
    assert after["Lama"].status == "failed" and after["Rusak <b"].status == "failed"
