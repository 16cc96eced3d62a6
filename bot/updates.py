"""Per-user ordering and redelivery protection for incoming updates (DESIGN §2).

Updates of different users run concurrently; one user's updates run one at a time
in arrival order, so two quick taps on a draft never race each other.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Awaitable
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from telegram import Update
from telegram.ext import BaseUpdateProcessor

from storage.db import Database
from storage.models import Employee, ProcessedUpdate
from storage.queries import employee_by_telegram_id


class PerUserUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        key = _user_key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if self._users[key] == 0:
                del self._users[key]
                del self._locks[key]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


def _user_key(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_user is not None:
        return update.effective_user.id
    return None


async def claim_update(db: Database, update_id: int) -> bool:
    """Record the update as seen; False if some process already took it (a redelivery)."""
    claimed, _ = await claim_update_and_load(db, update_id, None)
    return claimed


_CLAIM = insert(cast(Table, ProcessedUpdate.__table__))  # built once; update_id is a parameter


async def claim_update_and_load(
    db: Database, update_id: int, telegram_user_id: int | None
) -> tuple[bool, Employee | None]:
    """Claim the update and, in the same transaction, load the employee behind it.

    One transaction instead of two: every handler starts by looking up the sender.
    """
    status, employee = await claim(db, update_id, telegram_user_id)
    return status is Claim.NEW, employee


class Claim(enum.Enum):
    NEW = "new"  # first delivery: handle it
    DONE = "done"  # handled to the end before: skip
    UNFINISHED = "unfinished"  # claimed before but never finished (the process died)


async def claim(
    db: Database, update_id: int, telegram_user_id: int | None
) -> tuple[Claim, Employee | None]:
    """Claim the update (and load its sender). A redelivery is DONE if every handler ran
    for it before, else UNFINISHED: the process that took it died half-way, so it is
    handled again (the handlers are idempotent where it matters: a resent activity is
    asked about, a sent draft's press says so) instead of leaving the user in silence
    (issue 8 defect 4)."""
    try:
        async with db.session() as session:
            await session.execute(_CLAIM, {"update_id": update_id})
            employee = None
            if telegram_user_id is not None:
                employee = await employee_by_telegram_id(session, telegram_user_id)
        return Claim.NEW, employee
    except IntegrityError:
        pass
    async with db.session() as session:
        done = (
            await session.execute(
                select(ProcessedUpdate.done_at).where(ProcessedUpdate.update_id == update_id)
            )
        ).scalar_one_or_none()
        if done is not None:
            return Claim.DONE, None
        employee = None
        if telegram_user_id is not None:
            employee = await employee_by_telegram_id(session, telegram_user_id)
    return Claim.UNFINISHED, employee


_DONE = (
    update(cast(Table, ProcessedUpdate.__table__))
    .where(ProcessedUpdate.update_id == bindparam("uid"))
    .values(done_at=bindparam("now", type_=ProcessedUpdate.__table__.c.done_at.type))
)


async def mark_done(db: Database, update_id: int, now: datetime) -> None:
    """Every handler ran for the update: a redelivery of it is skipped."""
    async with db.session() as session:
        await session.execute(_DONE, {"uid": update_id, "now": now})


async def forget_old_updates(db: Database, now: datetime, keep: timedelta) -> int:
    async with db.session() as session:
        result = await session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < now - keep)
        )
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
