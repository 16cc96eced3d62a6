"""The sender pipelines: a slow row holds its own chat only, never a whole batch; a chat's
rows keep their order."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select

from bot.clock import FixedClock
from bot.outbox import enqueue
from bot.outbox_sender import OutboxSender
from storage.db import Database
from storage.models import OutboxMessage

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
SLOW_CHAT = 1


class SlowFirstBot:
    """Telegram, except that the first message to SLOW_CHAT takes a while to answer."""

    def __init__(self) -> None:
        self.log: list[tuple[int, str]] = []  # (chat, text) in the order answered
        self.slow_done = asyncio.Event()
        self.others_before_slow = -1

    async def send_message(self, *, chat_id: int, text: str, **_: Any) -> Any:
        if chat_id == SLOW_CHAT and text == "slow 1":
            await asyncio.sleep(1.5)
            self.others_before_slow = sum(1 for c, _ in self.log if c != SLOW_CHAT)
            self.slow_done.set()
        self.log.append((chat_id, text))
        return SimpleNamespace(id=len(self.log))


async def test_a_slow_row_does_not_hold_the_batch_and_order_is_kept(db: Database) -> None:
    async with db.session() as session:
        await enqueue(session, SLOW_CHAT, "slow 1", now=NOW)
        await enqueue(session, SLOW_CHAT, "slow 2", now=NOW)
        for chat in range(100, 160):
            await enqueue(session, chat, f"m {chat}", now=NOW)
    bot = SlowFirstBot()
    sender = OutboxSender(bot, db, FixedClock(NOW), rate_per_second=500, batch=10)  # type: ignore[arg-type]
    sender.start()
    try:
        await asyncio.wait_for(bot.slow_done.wait(), 10)
        for _ in range(200):
            async with db.session() as session:
                states = list((await session.execute(select(OutboxMessage.status))).scalars())
            if states.count("sent") == 62:
                break
            await asyncio.sleep(0.05)
    finally:
        await sender.stop()
    assert states.count("sent") == 62
    # While the slow row was in flight, the other 60 chats were served (a batch is 10).
    assert bot.others_before_slow == 60
    assert [text for chat, text in bot.log if chat == SLOW_CHAT] == ["slow 1", "slow 2"]
    assert len(bot.log) == 62  # each once
