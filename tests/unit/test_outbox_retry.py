"""The outbox after a send whose outcome is unknown (issue 8 defect 1): once more, at most."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from telegram.error import NetworkError, TimedOut

from bot.clock import FixedClock
from bot.outbox import enqueue
from bot.outbox_sender import MAYBE_SENT, OutboxSender
from storage.db import Database
from storage.models import OutboxMessage

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def timed_out() -> TimedOut:
    try:
        try:
            raise httpx.ReadTimeout("slow")
        except httpx.ReadTimeout as cause:
            raise TimedOut from cause
    except TimedOut as exc:
        return exc


def refused() -> NetworkError:
    try:
        try:
            raise httpx.ConnectError("refused")
        except httpx.ConnectError as cause:
            raise NetworkError("httpx.ConnectError: refused") from cause
    except NetworkError as exc:
        return exc


class FailingBot:
    """Stands in for telegram.Bot: every send fails with the given errors in turn."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def send_message(self, **kwargs: Any) -> Any:
        self.calls += 1
        raise self.errors[min(self.calls, len(self.errors)) - 1]


async def deliver_until_settled(db: Database, bot: FailingBot, rounds: int = 12) -> OutboxMessage:
    clock = FixedClock(NOW)
    async with db.session() as session:
        await enqueue(session, 42, "Laporan dari Siti", now=NOW)
    sender = OutboxSender(bot, db, clock, rate_per_second=100)  # type: ignore[arg-type]
    for _ in range(rounds):
        await sender.run_once()
        clock.set(clock.now() + timedelta(minutes=15))  # every backoff is due
    async with db.session() as session:
        return (await session.execute(select(OutboxMessage))).scalar_one()


async def test_a_timed_out_send_is_tried_once_more_then_failed(db: Database) -> None:
    bot = FailingBot(timed_out())
    row = await deliver_until_settled(db, bot)
    assert bot.calls == 2
    assert row.status == "failed" and row.attempts == 2
    assert row.last_error is not None and row.last_error.startswith(MAYBE_SENT)


async def test_a_connect_error_is_retried_like_a_5xx(db: Database) -> None:
    bot = FailingBot(refused())
    row = await deliver_until_settled(db, bot)
    assert bot.calls == 8 and row.attempts == 8 and row.status == "failed"
    assert row.last_error is not None and not row.last_error.startswith(MAYBE_SENT)


async def test_the_row_remembers_an_earlier_timeout_across_other_errors(db: Database) -> None:
    bot = FailingBot(timed_out(), refused(), refused(), timed_out())
    row = await deliver_until_settled(db, bot)
    assert bot.calls == 4 and row.status == "failed"
    assert row.last_error is not None and row.last_error.startswith(MAYBE_SENT)
