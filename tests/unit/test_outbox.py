"""The outbox queue on a real database: dedupe, transactions, claiming and stuck rows.

Nothing here talks to Telegram: the sender's ``bot`` is never called by these paths.
Delivery through the sandbox is in tests/e2e/test_outbox.py.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select
from telegram import Bot

from bot.clock import FixedClock
from bot.outbox import enqueue
from bot.outbox_sender import STUCK_AFTER, OutboxSender
from storage.db import Database
from storage.models import Employee, OutboxMessage

NOW = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)


class Boom(Exception):
    pass


async def outbox_rows(db: Database) -> list[OutboxMessage]:
    async with db.session() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        return list((await session.execute(query)).scalars())


def unused_bot() -> Bot:
    """A Bot these tests never call (claiming and releasing rows only touch the database)."""
    return Bot("123456789:UNUSED-token", base_url="http://127.0.0.1:9/bot")


async def test_the_same_dedupe_key_twice_gives_one_row(db: Database) -> None:
    async with db.session() as session:
        first = await enqueue(session, 7, "Halo", now=NOW, dedupe_key="approval:1")
        second = await enqueue(session, 7, "Halo lagi", now=NOW, dedupe_key="approval:1")
        assert first is not None and first in session  # a persistent row the caller may edit
        first.broadcast_id = 5
    assert second is None
    # In a later transaction too.
    async with db.session() as session:
        assert await enqueue(session, 7, "Halo", now=NOW, dedupe_key="approval:1") is None
    rows = await outbox_rows(db)
    assert [(r.dedupe_key, r.payload["text"], r.status, r.broadcast_id) for r in rows] == [
        ("approval:1", "Halo", "pending", 5)
    ]


async def test_a_duplicate_does_not_spoil_the_rest_of_the_transaction(db: Database) -> None:
    async with db.session() as session:
        await enqueue(session, 7, "satu", now=NOW, dedupe_key="k1")
        assert await enqueue(session, 7, "satu lagi", now=NOW, dedupe_key="k1") is None
        await enqueue(session, 7, "dua", now=NOW, dedupe_key="k2")
        await enqueue(session, 7, "tanpa kunci", now=NOW)
        await enqueue(session, 7, "tanpa kunci", now=NOW)  # no key: no dedupe
        session.add(Employee(nip="199001012015011001", name="Siti"))
    assert [r.payload["text"] for r in await outbox_rows(db)] == [
        "satu",
        "dua",
        "tanpa kunci",
        "tanpa kunci",
    ]
    async with db.session() as session:
        assert (await session.execute(select(func.count()).select_from(Employee))).scalar() == 1


@pytest.mark.parametrize("dedupe_key", ["approval:9", None])
async def test_rows_of_a_rolled_back_transaction_are_never_queued(
    db: Database, dedupe_key: str | None
) -> None:
    # The enqueue is the first write of the transaction: the case where a savepoint on
    # SQLite's legacy transaction handling would commit on release.
    with pytest.raises(Boom):
        async with db.session() as session:
            await enqueue(session, 7, "Ditolak", now=NOW, dedupe_key=dedupe_key)
            session.add(Employee(nip="199001012015011002", name="Andi"))
            raise Boom
    assert await outbox_rows(db) == []
    async with db.session() as session:
        assert (await session.execute(select(func.count()).select_from(Employee))).scalar() == 0
    # The key is free again for the retry of the same fact.
    async with db.session() as session:
        assert await enqueue(session, 7, "Ditolak", now=NOW, dedupe_key=dedupe_key) is not None
    assert len(await outbox_rows(db)) == 1


async def test_enqueue_stores_a_pending_html_send_message(db: Database) -> None:
    markup = {"inline_keyboard": [[{"text": "Setujui", "callback_data": "ap:1"}]]}
    later = NOW + timedelta(hours=1)
    async with db.session() as session:
        row = await enqueue(
            session, 42, "<b>Hai</b>", now=NOW, reply_markup=markup, not_before=later
        )
    assert row is not None
    (stored,) = await outbox_rows(db)
    assert stored.chat_id == 42 and stored.method == "sendMessage"
    assert stored.payload == {"text": "<b>Hai</b>", "parse_mode": "HTML", "reply_markup": markup}
    assert stored.status == "pending" and stored.attempts == 0
    assert stored.not_before == later and stored.created_at == NOW


async def test_claim_takes_due_pending_rows_in_order_and_marks_them_sending(db: Database) -> None:
    async with db.session() as session:
        await enqueue(session, 1, "later", now=NOW, not_before=NOW + timedelta(minutes=1))
        await enqueue(session, 2, "second", now=NOW, not_before=NOW - timedelta(seconds=1))
        await enqueue(session, 3, "first", now=NOW, not_before=NOW - timedelta(seconds=2))
        failed = await enqueue(session, 4, "failed", now=NOW - timedelta(hours=1))
        assert failed is not None
        failed.status = "failed"
    clock = FixedClock(NOW)
    sender = OutboxSender(unused_bot(), db, clock, rate_per_second=25, batch=10)
    claimed = await sender._claim()
    assert [r.payload["text"] for r in claimed] == ["first", "second"]
    assert {r.status for r in claimed} == {"sending"}
    by_text = {r.payload["text"]: r for r in await outbox_rows(db)}
    assert by_text["first"].status == by_text["second"].status == "sending"
    assert by_text["first"].not_before == NOW  # the claim time, for release_stuck
    assert by_text["later"].status == "pending" and by_text["failed"].status == "failed"
    assert await sender._claim() == []  # claimed rows are not claimed twice


async def test_two_senders_never_claim_the_same_row(db: Database) -> None:
    """Senders claiming at the same moment (several processes) share rows, never duplicate."""
    clock = FixedClock(NOW)
    a = OutboxSender(unused_bot(), db, clock, rate_per_second=25, batch=8)
    b = OutboxSender(unused_bot(), db, clock, rate_per_second=25, batch=8)
    for _ in range(10):
        async with db.session() as session:
            await session.execute(delete(OutboxMessage))
            for n in range(12):
                await enqueue(session, n, f"m{n}", now=NOW)
        first, second = await asyncio.gather(a._claim(), b._claim())
        ids_a, ids_b = {r.id for r in first}, {r.id for r in second}
        assert not ids_a & ids_b
        claimed = ids_a | ids_b | {r.id for r in await a._claim()}
        assert claimed == {r.id for r in await outbox_rows(db)}


async def test_release_stuck_frees_only_old_claims(db: Database) -> None:
    clock = FixedClock(NOW)
    async with db.session() as session:
        old = await enqueue(session, 1, "old claim", now=NOW)
        fresh = await enqueue(session, 2, "fresh claim", now=NOW)
        sent = await enqueue(session, 3, "sent", now=NOW)
        assert old and fresh and sent
        old.status, old.not_before = "sending", NOW - STUCK_AFTER - timedelta(seconds=1)
        fresh.status, fresh.not_before = "sending", NOW - timedelta(seconds=30)
        sent.status, sent.not_before = "sent", NOW - timedelta(hours=1)
    sender = OutboxSender(unused_bot(), db, clock, rate_per_second=25)
    await sender.release_stuck()
    status = {r.payload["text"]: r.status for r in await outbox_rows(db)}
    assert status == {"old claim": "pending", "fresh claim": "sending", "sent": "sent"}
    # A fresh claim becomes stuck once STUCK_AFTER has passed.
    clock.advance(seconds=STUCK_AFTER.total_seconds())
    await sender.release_stuck()
    assert {r.status for r in await outbox_rows(db) if r.payload["text"] != "sent"} == {"pending"}
