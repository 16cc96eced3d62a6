"""The outbox sender: paced delivery with Telegram's errors handled (touches `telegram`).

Several senders may run at once (web replicas and a worker): rows are claimed with
SKIP LOCKED on PostgreSQL and a conditional UPDATE everywhere, so no two senders take
the same row. A sender stopped mid-batch puts its unsent rows back at once; a row left
'sending' by a hard crash is retried after STUCK_AFTER. Either way only the message in
flight at that moment can be duplicated, and nothing is lost.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.clock import Clock
from storage.db import Database
from storage.models import Employee, OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
STUCK_AFTER = timedelta(minutes=5)
RELEASE_EVERY = 60.0  # seconds between sweeps for rows a crashed sender left 'sending'


class TokenBucket:
    """Paces sends to `rate` per second with a small burst, so Telegram never says 429."""

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        self.rate = rate
        self.capacity = max(1.0, burst)
        self.tokens = self.capacity
        self.updated = asyncio.get_event_loop().time()

    async def take(self) -> None:
        loop = asyncio.get_event_loop()
        while True:
            now = loop.time()
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / self.rate)


class OutboxSender:
    """Delivers due outbox rows; several senders may run (rows are claimed atomically)."""

    def __init__(
        self, bot: Bot, db: Database, clock: Clock, rate_per_second: float, batch: int = 50
    ) -> None:
        self.bot = bot
        self.db = db
        self.clock = clock
        self.bucket = TokenBucket(rate_per_second, burst=min(rate_per_second, 5))
        self.batch = batch
        self.wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._loop(), name="outbox-sender")

    async def stop(self) -> None:
        self._stopping = True
        self.wakeup.set()
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    def poke(self) -> None:
        """Deliver soon: called after a transaction that queued messages commits."""
        self.wakeup.set()

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        next_release = loop.time()
        while not self._stopping:
            try:
                # Not only at start: a crashed replica's rows must not wait for our restart.
                if loop.time() >= next_release:
                    next_release = loop.time() + RELEASE_EVERY
                    await self.release_stuck()
                sent = await self.run_once()
            except Exception:
                log.exception("outbox sender iteration failed")
                sent = 0
            if sent == 0:
                self.wakeup.clear()
                try:
                    await asyncio.wait_for(self.wakeup.wait(), timeout=1.0)
                except TimeoutError:
                    pass

    async def release_stuck(self) -> None:
        """Rows left 'sending' by a crashed process go back to the queue (may duplicate)."""
        async with self.db.session() as session:
            await session.execute(
                update(OutboxMessage)
                .where(
                    OutboxMessage.status == "sending",
                    OutboxMessage.not_before < self.clock.now() - STUCK_AFTER,
                )
                .values(status="pending")
            )

    async def _release(self, ids: list[int]) -> None:
        """Our own claimed rows back to the queue now (those not finished meanwhile)."""
        if not ids:
            return
        async with self.db.session() as session:
            await session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "sending")
                .values(status="pending")
            )

    async def _claim(self) -> list[OutboxMessage]:
        now = self.clock.now()
        async with self.db.session() as session:
            due = (
                select(OutboxMessage.id)
                .where(OutboxMessage.status == "pending", OutboxMessage.not_before <= now)
                .order_by(OutboxMessage.not_before, OutboxMessage.id)
                .limit(self.batch)
            )
            if self.db.is_postgres:
                due = due.with_for_update(skip_locked=True)
            ids = list((await session.execute(due)).scalars())
            if not ids:
                return []
            # Only rows still pending: without row locks (SQLite) another sender may have
            # selected the same ones, and whoever updates first owns them.
            claim = (
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "pending")
                .values(status="sending", not_before=now)  # not_before: the claim time
                .returning(OutboxMessage)
            )
            rows = list((await session.execute(claim)).scalars())
        order = {row_id: n for n, row_id in enumerate(ids)}
        return sorted(rows, key=lambda row: order[row.id])

    async def run_once(self) -> int:
        rows = await self._claim()
        done = 0
        try:
            for row in rows:
                await self.bucket.take()
                await self._deliver(row)
                done += 1
        except BaseException:
            # Stopped or failed mid-batch: the rest go back now rather than after STUCK_AFTER.
            # The row in flight may have reached Telegram, so it alone may be duplicated.
            try:
                await self._release([row.id for row in rows[done:]])
            except Exception:
                log.exception("could not release claimed outbox rows")
            raise
        return len(rows)

    async def _deliver(self, row: OutboxMessage) -> None:
        payload = dict(row.payload)
        markup = payload.pop("reply_markup", None)
        values: dict[str, Any] = {"attempts": row.attempts + 1}
        blocked = False
        try:
            message = await self.bot.send_message(
                chat_id=row.chat_id,
                reply_markup=InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None,
                **payload,
            )
            values.update(status="sent", sent_at=self.clock.now(), result_message_id=message.id)
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            values.update(
                status="pending", not_before=self.clock.now() + timedelta(seconds=seconds)
            )
            values["attempts"] = row.attempts  # Telegram's pacing is not the message's fault
        except Forbidden as exc:
            values.update(status="failed", last_error=str(exc))
            blocked = True
        except BadRequest as exc:
            values.update(status="failed", last_error=str(exc))
        except Exception as exc:  # 5xx, network, or anything unforeseen: retry, then give up
            if row.attempts + 1 >= MAX_ATTEMPTS:
                values.update(status="failed", last_error=str(exc))
            else:
                backoff = timedelta(seconds=min(600, 2 ** (row.attempts + 1)))
                values.update(
                    status="pending", last_error=str(exc), not_before=self.clock.now() + backoff
                )
        async with self.db.session() as session:
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values)
            )
            if blocked:
                await session.execute(
                    update(Employee)
                    .where(
                        Employee.telegram_user_id == row.chat_id,
                        Employee.blocked_bot_at.is_(None),
                    )
                    .values(blocked_bot_at=self.clock.now())
                )
