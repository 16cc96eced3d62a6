"""The scheduling tick: everything the bot says on its own, decided at one instant.

`tick(db, settings, clock)` runs in every process that runs the Application's job queue
(`run`, `serve`, `worker`) every TICK_SECONDS, and tests call it with a moved clock. It
queues due reminders, deadline reminders and scheduled broadcasts into the outbox; the
sender delivers them. On PostgreSQL a transaction-scoped advisory lock lets one tick at a
time do the work (another process ticking at the same moment skips that round); the
unique keys of `reminder_log` and `outbox.dedupe_key` make a second tick a no-op anyway.

`release_after_takeover` is for a `worker` that has just taken the worker advisory lock:
the worker before it is dead, so rows it left 'sending' are released within seconds
instead of after the sender's STUCK_AFTER.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text, update

from bot import broadcast, deadlines, reminders
from bot.clock import Clock
from bot.config import Settings
from storage.db import Database
from storage.models import OutboxMessage

log = logging.getLogger(__name__)

TICK_SECONDS = 20.0
TICK_LOCK_ID = 0x4B494E53  # "KINS": one scheduler tick at a time across processes
TAKEOVER_GRACE = timedelta(seconds=10)  # a live sender finishes a claimed row by then


@dataclass
class TickResult:
    skipped: bool = False
    reminders: int = 0
    deadlines: int = 0
    broadcasts: int = 0

    @property
    def queued(self) -> int:
        return self.reminders + self.deadlines + self.broadcasts


async def tick(db: Database, settings: Settings, clock: Clock) -> TickResult:
    """Queue what is due now; one transaction, so a crash mid-tick queues nothing."""
    now = clock.now()
    result = TickResult()
    async with db.session() as session:
        if db.is_postgres:
            got = await session.execute(
                text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": TICK_LOCK_ID}
            )
            if not got.scalar_one():
                result.skipped = True
                return result
        result.reminders = (await reminders.run_due(session, settings, now)).total
        result.deadlines = await deadlines.run_due(session, settings, now)
        result.broadcasts = await broadcast.start_due(session, now)
    if result.queued:
        log.info("tick %s: queued %s", now.isoformat(), result)
    return result


async def release_after_takeover(db: Database, now: datetime) -> int:
    """Rows claimed before `now - TAKEOVER_GRACE` back to pending (their sender is gone)."""
    async with db.session() as session:
        released = await session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.status == "sending",
                OutboxMessage.not_before < now - TAKEOVER_GRACE,
            )
            .values(status="pending")
        )
    return int(getattr(released, "rowcount", 0) or 0)


async def after_takeover(db: Database, clock: Clock, poke: Callable[[], None]) -> None:
    """Run by a worker that just took the worker lock: release the dead worker's claimed
    rows now, and again once TAKEOVER_GRACE has passed for those it claimed last."""
    for attempt in range(2):
        if attempt:
            await asyncio.sleep(TAKEOVER_GRACE.total_seconds() + 0.5)
        try:
            released = await release_after_takeover(db, clock.now())
        except Exception:
            log.exception("takeover release failed")
            continue
        if released:
            log.info("took over: %d rows left 'sending' by the previous worker", released)
            poke()


class WorkerLock:
    """One active `worker`: a PostgreSQL session advisory lock, or on SQLite an OS file lock
    beside the database file. Both are released by the operating system when the holder
    dies, which is how the next worker knows it is gone."""

    def __init__(self, db: Database, key: int) -> None:
        self.db = db
        self.key = key
        self._conn: Any = None
        self._file: Any = None

    async def try_acquire(self) -> bool:
        if self.db.is_postgres:
            if self._conn is None:
                self._conn = await self.db.engine.connect()
            got = await self._conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})
            return bool(got.scalar_one())
        path = self.db.url.split(":///", 1)[-1]
        if not path or ":memory:" in path:
            return True
        self._file = _flock(f"{path}.worker-lock")
        return self._file is not None

    async def release(self) -> None:
        if self._conn is not None:
            await self._conn.close()  # closing the session releases the advisory lock
            self._conn = None
        if self._file is not None:
            self._file.close()
            self._file = None


def _flock(path: str) -> Any:
    """The open lock file if this process got the exclusive lock, else None."""
    import fcntl

    handle = open(path, "a+")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle
