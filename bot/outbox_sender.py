"""The outbox sender: paced delivery with Telegram's errors handled (touches `telegram`).

Several senders may run at once (web replicas and a worker): rows are claimed with
SKIP LOCKED on PostgreSQL and a conditional UPDATE everywhere, so no two senders take
the same row. Sends overlap (a chat's rows one after the other, so its messages keep
their order) and are paced by one token bucket, so the configured rate is reached even
when each request takes a while. Delivery is pipelined: up to `batch` rows in flight, more
claimed as soon as half of them are done, so a slow or failing row (a 429's retry_after,
5xx backoff, a timeout) holds only its own chat, never a whole batch. `stop()` lets sends
in flight finish and puts unsent rows back at once; a row left 'sending' by a hard crash
is retried after STUCK_AFTER. Only messages in flight at a crash (about rate x request
time) can be duplicated; nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import select, update
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.clock import Clock
from bot.outbox import BLOCKED, DOCUMENT_METHOD, EDIT_METHOD, ON_BLOCKED, report_blocked
from bot.transport import maybe_sent
from storage.db import Database
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
# last_error of a row whose send may have reached Telegram (a read or write timeout): such a
# row is tried once more at most, so a slow Telegram yields at most one duplicate.
MAYBE_SENT = "maybe delivered: "
STUCK_AFTER = timedelta(minutes=5)
RELEASE_EVERY = 60.0  # seconds between sweeps for rows a crashed sender left 'sending'
STOP_GRACE = 5.0  # seconds stop() waits for sends in flight before cancelling them


class TokenBucket:
    """Paces sends to `rate` per second with a small burst, so Telegram never says 429.

    Waiters queue on a lock, so they get tokens in turn instead of all waking at once.
    """

    def __init__(self, rate: float, burst: float = 1.0) -> None:
        self.rate = rate
        self.capacity = max(1.0, burst)
        self.tokens = self.capacity
        self.updated = time.monotonic()
        self._lock = asyncio.Lock()

    async def take(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
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
        self._claiming = False
        self._flight: dict[asyncio.Task[None], OutboxMessage] = {}

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._loop(), name="outbox-sender")

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Start no new sends, let those in flight finish (up to `grace` s), then stop."""
        self._stopping = True
        self.wakeup.set()
        task, self._task = self._task, None
        if task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(task), grace)
        except TimeoutError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def idle(self) -> bool:
        """Nothing to deliver right now: no poke pending, no claim running, no send in
        flight (rows due later do not count). Lets an in-process harness stop waiting."""
        return not self.wakeup.is_set() and not self._claiming and not self._flight

    def poke(self) -> None:
        """Deliver soon: called after a transaction that queued messages commits."""
        self.wakeup.set()

    async def _loop(self) -> None:
        """Pipelined: up to `batch` rows in flight; more are claimed as soon as half the
        slots are free (or a poke or a second comes), so a slow or failing row (a 429's
        retry_after, 5xx backoff, a timeout) holds only its own chat, not a whole batch.
        A chat's rows go one after the other (each waits for the chat's previous one)."""
        loop = asyncio.get_running_loop()
        next_release = loop.time()
        flight = self._flight = {}
        tails: dict[int, asyncio.Task[None]] = {}  # chat → its newest row's task
        delivered: set[int] = set()
        try:
            while not self._stopping:
                self.wakeup.clear()  # before claiming: a poke from now on is not lost
                room = self.batch - len(flight)
                claimed = 0
                try:
                    # Not only at start: a crashed replica's rows must not wait for our restart.
                    if loop.time() >= next_release:
                        next_release = loop.time() + RELEASE_EVERY
                        await self.release_stuck()
                    self._claiming = True
                    rows = await self._claim(room) if room > 0 else []
                    claimed = len(rows)
                    for row in rows:
                        task = asyncio.create_task(
                            self._in_order(row, tails.get(row.chat_id), delivered)
                        )
                        flight[task] = row
                        tails[row.chat_id] = task
                except Exception:
                    log.exception("outbox sender iteration failed")
                finally:
                    self._claiming = False
                await self._settle_some(flight, tails, delivered, claimed > 0 and claimed == room)
            if flight:  # stopping: sends in flight finish (stop() bounds the wait)
                await asyncio.wait(flight)
        finally:
            for task in flight:
                task.cancel()
            await asyncio.gather(*flight, return_exceptions=True)
            # Unsent rows go back now rather than after STUCK_AFTER.
            unfinished = [row.id for row in flight.values() if row.id not in delivered]
            try:
                await self._release(unfinished)
            except Exception:
                log.exception("could not release claimed outbox rows")

    async def _settle_some(
        self,
        flight: dict[asyncio.Task[None], OutboxMessage],
        tails: dict[int, asyncio.Task[None]],
        delivered: set[int],
        more: bool,
    ) -> None:
        """Until it is time to claim again: half the slots free when the last claim filled
        them all (`more` may be due), else a poke (with a free slot) or one second. Rows
        that finish meanwhile are forgotten (one whose task failed goes back at once)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 1.0
        poked = asyncio.ensure_future(self.wakeup.wait())
        try:
            while not self._stopping:
                if more and len(flight) <= self.batch // 2:
                    return
                if poked.done() and len(flight) < self.batch:
                    return
                left = deadline - loop.time()
                if left <= 0:
                    return
                done, _ = await asyncio.wait(
                    [*flight, poked], timeout=left, return_when=asyncio.FIRST_COMPLETED
                )
                unsent: list[int] = []
                for future in done - {poked}:
                    task = cast("asyncio.Task[None]", future)
                    row = flight.pop(task)
                    if tails.get(row.chat_id) is task:
                        del tails[row.chat_id]
                    if not task.cancelled() and task.exception() is not None:
                        log.error("outbox row %s failed", row.id, exc_info=task.exception())
                    if row.id in delivered:
                        delivered.discard(row.id)
                    else:
                        unsent.append(row.id)
                await self._release(unsent)
        finally:
            poked.cancel()

    async def _in_order(
        self, row: OutboxMessage, before: asyncio.Task[None] | None, delivered: set[int]
    ) -> None:
        """Send `row` after its chat's previous row and a token from the bucket."""
        if before is not None and not before.done():
            await asyncio.wait([before])
        if self._stopping:
            return
        await self.bucket.take()
        if self._stopping:
            return
        await self._deliver(row)
        delivered.add(row.id)

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

    async def _claim(self, limit: int | None = None) -> list[OutboxMessage]:
        now = self.clock.now()
        async with self.db.session() as session:
            due = (
                select(OutboxMessage.id)
                .where(OutboxMessage.status == "pending", OutboxMessage.not_before <= now)
                .order_by(OutboxMessage.not_before, OutboxMessage.id)
                .limit(limit or self.batch)
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
        """Claim one batch and deliver all of it; returns how many rows were claimed. (The
        running sender pipelines instead, see _loop; this is for tests and one-off runs.)"""
        rows = await self._claim()
        if not rows:
            return 0
        finished: set[int] = set()
        tails: dict[int, asyncio.Task[None]] = {}
        tasks = []
        for row in rows:  # a chat's rows one after the other, chats side by side
            task = asyncio.create_task(self._in_order(row, tails.get(row.chat_id), finished))
            tails[row.chat_id] = task
            tasks.append(task)
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            # Cancelled or failed mid-batch: sends still in flight may or may not have
            # reached Telegram, so those rows may be duplicated when they are retried.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        finally:
            # Unsent rows go back now rather than after STUCK_AFTER.
            unfinished = [row.id for row in rows if row.id not in finished]
            try:
                await self._release(unfinished)
            except Exception:
                log.exception("could not release claimed outbox rows")
        return len(rows)

    async def _edit_target(self, row: OutboxMessage) -> int | str | None:
        """The message id an edit row applies to; "wait" while its target is still queued."""
        known = row.payload.get("message_id")
        if isinstance(known, int):
            return known
        async with self.db.session() as session:
            target = await session.get(OutboxMessage, row.payload.get("ref_outbox_id"))
            if target is None or target.status == "failed":
                return None
            if target.result_message_id is None:
                return "wait"
            return int(target.result_message_id)

    async def _deliver(self, row: OutboxMessage) -> None:
        payload = dict(row.payload)
        markup = payload.pop("reply_markup", None)
        payload.pop(ON_BLOCKED, None)
        values: dict[str, Any] = {"attempts": row.attempts + 1}
        blocked = False
        try:
            keyboard = InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None
            if row.method == EDIT_METHOD:
                target = await self._edit_target(row)
                if target == "wait":  # the target resolves (sent or failed) in time
                    values.update(
                        status="pending",
                        attempts=row.attempts,
                        not_before=self.clock.now() + timedelta(seconds=1),
                    )
                elif not isinstance(target, int):
                    values.update(status="failed", last_error="message to edit was not sent")
                else:
                    try:
                        await self.bot.edit_message_text(
                            chat_id=row.chat_id,
                            message_id=target,
                            text=payload["text"],
                            parse_mode=payload.get("parse_mode"),
                            reply_markup=keyboard,
                        )
                    except BadRequest as exc:
                        if "not modified" not in str(exc):
                            raise
                    values.update(status="sent", sent_at=self.clock.now(), result_message_id=target)
            elif row.method == DOCUMENT_METHOD:
                message = await self.bot.send_document(
                    chat_id=row.chat_id,
                    document=payload["document"],
                    caption=payload.get("caption") or None,
                    parse_mode=payload.get("parse_mode"),
                    reply_markup=keyboard,
                )
                values.update(status="sent", sent_at=self.clock.now(), result_message_id=message.id)
            else:
                message = await self.bot.send_message(
                    chat_id=row.chat_id, reply_markup=keyboard, **payload
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
            values.update(status="failed", last_error=f"{BLOCKED}{exc}")
            blocked = True
        except BadRequest as exc:
            values.update(status="failed", last_error=str(exc))
        except Exception as exc:  # 5xx, network, or anything unforeseen: retry, then give up
            was_unsure = (row.last_error or "").startswith(MAYBE_SENT)
            unsure = maybe_sent(exc)
            error = f"{MAYBE_SENT}{exc}" if unsure or was_unsure else str(exc)
            if row.attempts + 1 >= MAX_ATTEMPTS or (unsure and was_unsure):
                values.update(status="failed", last_error=error)
            else:
                backoff = timedelta(seconds=min(600, 2 ** (row.attempts + 1)))
                values.update(
                    status="pending", last_error=error, not_before=self.clock.now() + backoff
                )
        async with self.db.session() as session:
            await session.execute(
                update(OutboxMessage).where(OutboxMessage.id == row.id).values(**values)
            )
            if blocked:  # mark the recipient, tell who must know (issue 8 defect 7)
                await report_blocked(session, row, self.clock.now())
