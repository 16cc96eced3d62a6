"""Outbox delivery through the sandbox over HTTP: chats, errors, faults, crashes and pacing.

The real bot runs (``world``) with its own outbox sender; tests that need to control the
sender stop that one and run their own against the same database and sandbox.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from telegram import Bot

from bot.outbox import enqueue
from bot.outbox_sender import STUCK_AFTER, OutboxSender
from storage.db import Database
from storage.models import Employee, OutboxMessage
from tests.e2e.conftest import World

Row = tuple[int, str]  # (chat_id, text) of one queued message


class SkewClock:
    """Real time plus an offset the test moves forward, so retry backoffs come due at once."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


async def open_chats(world: World, n: int) -> list[int]:
    """``n`` users who have started the bot; their /start answers are in, stats are reset."""
    ids = [await world.new_user() for _ in range(n)]
    answers = await asyncio.gather(*(world.client.send(tg, "/start", wait=10) for tg in ids))
    assert all(a["replies"] for a in answers)
    await world.client.reset()  # counters and flood buckets start from zero
    return ids


async def queue(world: World, rows: Iterable[Row], **kwargs: Any) -> None:
    now = world.clock.now()
    async with world.db.session() as session:
        for chat_id, text in rows:
            await enqueue(session, chat_id, text, now=now, **kwargs)


def poke(world: World) -> None:
    assert world.runtime is not None
    world.runtime.ctx.poke_outbox()


async def outbox_rows(db: Database) -> list[OutboxMessage]:
    async with db.session() as session:
        query = select(OutboxMessage).order_by(OutboxMessage.id)
        return list((await session.execute(query)).scalars())


async def settled(db: Database, within: float = 20.0) -> list[OutboxMessage]:
    """The outbox once every row is sent or failed (fails the test after ``within`` s)."""
    deadline = time.monotonic() + within
    while True:
        rows = await outbox_rows(db)
        if all(r.status in ("sent", "failed") for r in rows):
            return rows
        if time.monotonic() > deadline:
            states = [(r.id, r.chat_id, r.status, r.attempts, r.last_error) for r in rows]
            raise AssertionError(f"outbox did not settle: {states}")
        await asyncio.sleep(0.05)


async def sent_per_chat(world: World) -> dict[int, int]:
    """Bot messages per chat since the last reset, as the sandbox counted them."""
    stats = await world.client.stats()
    return {int(k): int(v) for k, v in stats["sent_per_chat"].items()}


async def stop_bot_sender(world: World) -> None:
    """Only the test's own sender delivers from here on."""
    assert world.runtime is not None and world.runtime.sender is not None
    await world.runtime.sender.stop()
    world.runtime.sender = None


async def test_messages_reach_the_right_chats_with_html_intact(world: World) -> None:
    users = await open_chats(world, 5)
    texts = {
        tg: f'Laporan <b>pegawai {n}</b> &amp; <i>tim</i>: <a href="https://example.com/{n}">'
        f"buka</a> <code>x &lt; {n}</code>"
        for n, tg in enumerate(users)
    }
    markup = {"inline_keyboard": [[{"text": "Setujui", "callback_data": "ok:1"}]]}
    await queue(world, [(users[0], texts[users[0]])], reply_markup=markup)
    await queue(world, [(tg, texts[tg]) for tg in users[1:]])
    poke(world)

    rows = await settled(world.db)
    assert [r.status for r in rows] == ["sent"] * 5
    assert await sent_per_chat(world) == {tg: 1 for tg in users}
    for row in rows:
        assert row.sent_at is not None and row.attempts == 1 and row.last_error is None
        last = (await world.client.chat(row.chat_id))[-1]
        assert last["from"] == "bot" and last["message_id"] == row.result_message_id
        assert last["html"] == texts[row.chat_id]
        n = users.index(row.chat_id)
        assert last["text"] == f"Laporan pegawai {n} & tim: buka x < {n}"
        expected = [[{"text": "Setujui", "callback_data": "ok:1"}]] if n == 0 else []
        assert last["buttons"] == expected


async def test_dedupe_and_rolled_back_rows_reach_the_chat_once(world: World) -> None:
    (tg,) = await open_chats(world, 1)
    await queue(world, [(tg, "Persetujuan A")], dedupe_key="approval:1")
    await queue(world, [(tg, "Persetujuan A lagi")], dedupe_key="approval:1")
    with pytest.raises(RuntimeError):
        async with world.db.session() as session:
            await enqueue(session, tg, "Dibatalkan", now=world.clock.now(), dedupe_key="x:1")
            raise RuntimeError("the fact was not recorded")
    poke(world)
    rows = await settled(world.db)
    assert [(r.payload["text"], r.status) for r in rows] == [("Persetujuan A", "sent")]
    await asyncio.sleep(0.3)  # nothing else trickles in
    assert await sent_per_chat(world) == {tg: 1}
    assert (await world.client.chat(tg))[-1]["text"] == "Persetujuan A"


async def test_a_user_who_blocked_the_bot_fails_and_is_marked_others_still_get_theirs(
    world: World,
) -> None:
    users = await open_chats(world, 3)
    employees = [await world.add_employee(f"Pegawai {n}") for n in range(3)]
    async with world.db.session() as session:
        for emp, tg in zip(employees, users, strict=True):
            await session.execute(
                update(Employee).where(Employee.id == emp.id).values(telegram_user_id=tg)
            )
    blocked = users[1]
    await world.client.block(blocked)
    await queue(world, [(tg, f"Pengingat {n}") for n, tg in enumerate([*users, blocked, *users])])
    poke(world)

    rows = await settled(world.db)
    for row in rows:
        if row.chat_id == blocked:
            assert row.status == "failed" and row.sent_at is None
            assert row.last_error is not None and "blocked" in row.last_error
            assert row.attempts == 1  # a 403 is final, not retried
        else:
            assert row.status == "sent"
    assert await sent_per_chat(world) == {users[0]: 2, users[2]: 2}
    assert (await world.client.stats())["errors"] == {"403": 3}
    async with world.db.session() as session:
        marks = dict(
            (await session.execute(select(Employee.telegram_user_id, Employee.blocked_bot_at)))
            .tuples()
            .all()
        )
    assert marks[blocked] is not None
    assert marks[users[0]] is None and marks[users[2]] is None


async def test_a_bad_request_fails_once_and_is_not_retried(world: World) -> None:
    (tg,) = await open_chats(world, 1)
    await queue(world, [(tg, "Tag <b>tidak ditutup"), (tg, "Yang ini <b>benar</b>")])
    poke(world)
    rows = await settled(world.db)
    bad, good = rows
    assert bad.status == "failed" and bad.attempts == 1 and bad.sent_at is None
    assert bad.last_error is not None and "can't parse entities" in bad.last_error.lower()
    assert good.status == "sent"
    await asyncio.sleep(1.2)  # longer than the sender's idle wait: a retry would show up
    assert (await world.client.stats())["errors"] == {"400": 1}
    assert await sent_per_chat(world) == {tg: 1}
    assert (await outbox_rows(world.db))[0].attempts == 1


async def test_429_and_5xx_through_the_bot_transport_deliver_each_row_once(world: World) -> None:
    users = await open_chats(world, 3)
    rows_in = [(tg, f"Pesan {k} untuk {tg}") for k in range(2) for tg in users]
    await world.client.faults(error_rate=0.3, codes=[429, 500, 502], seed=6)
    await queue(world, rows_in)
    poke(world)
    rows = await settled(world.db, within=25)
    await world.client.faults(error_rate=0.0)

    stats = await world.client.stats()
    # Seeded: this run meets both a 429 and a 5xx (else the test would prove nothing).
    assert "429" in stats["errors"] and {"500", "502"} & set(stats["errors"]), stats
    assert [r.status for r in rows] == ["sent"] * len(rows_in)
    assert await sent_per_chat(world) == {tg: 2 for tg in users}
    for tg in users:
        got = sorted(m["text"] for m in await world.client.chat(tg) if m["from"] == "bot")
        assert [t for t in got if t.startswith("Pesan")] == [
            f"Pesan 0 untuk {tg}",
            f"Pesan 1 untuk {tg}",
        ]


async def test_the_senders_own_retries_after_429_and_5xx_lose_and_duplicate_nothing(
    world: World,
) -> None:
    """A plain Bot (no transport retries): every fault comes back to the sender's own logic."""
    await stop_bot_sender(world)
    users = await open_chats(world, 4)
    rows_in = [(tg, f"Siaran {k}") for k in range(3) for tg in users]
    await queue(world, rows_in)
    clock = SkewClock()
    async with Bot(world.sandbox.token, base_url=world.sandbox.api_base_url) as bot:
        await world.client.faults(error_rate=0.4, codes=[429, 500, 502], seed=3)
        sender = OutboxSender(bot, world.db, clock, rate_per_second=50)
        sender.start()
        try:
            deadline = time.monotonic() + 20
            while any(r.status not in ("sent", "failed") for r in await outbox_rows(world.db)):
                assert time.monotonic() < deadline, "outbox did not settle"
                clock.offset += timedelta(seconds=30)  # every backoff is now due
                sender.poke()
                await asyncio.sleep(0.05)
        finally:
            await sender.stop()
    await world.client.faults(error_rate=0.0)

    rows = await outbox_rows(world.db)
    stats = await world.client.stats()
    assert stats["faults_injected"] >= 3
    assert set(stats["errors"]) <= {"429", "500", "502"}
    assert [r.status for r in rows] == ["sent"] * len(rows_in)
    assert max(r.attempts for r in rows) > 1  # some rows were retried by the sender
    assert await sent_per_chat(world) == {tg: 3 for tg in users}


async def test_a_row_left_sending_by_a_crash_is_released_and_delivered(world: World) -> None:
    await stop_bot_sender(world)
    crashed, live, fresh = await open_chats(world, 3)
    now = world.clock.now()
    async with world.db.session() as session:
        for tg, claimed_at in [
            (crashed, now - STUCK_AFTER - timedelta(minutes=1)),  # its sender died long ago
            (live, now - timedelta(seconds=10)),  # another sender is sending it right now
        ]:
            row = await enqueue(session, tg, f"Terkirim ke {tg}", now=now)
            assert row is not None
            row.status, row.not_before = "sending", claimed_at
    await queue(world, [(fresh, "Baru")])

    assert world.runtime is not None
    sender = OutboxSender(world.runtime.app.bot, world.db, world.clock, rate_per_second=25)
    sender.start()
    try:
        deadline = time.monotonic() + 10
        while {r.chat_id: r.status for r in await outbox_rows(world.db)} != {
            crashed: "sent",
            live: "sending",
            fresh: "sent",
        }:
            assert time.monotonic() < deadline, await outbox_rows(world.db)
            await asyncio.sleep(0.05)
    finally:
        await sender.stop()
    assert await sent_per_chat(world) == {crashed: 1, fresh: 1}


async def test_a_sender_stopped_mid_batch_hands_its_rows_back(world: World) -> None:
    await stop_bot_sender(world)
    users = await open_chats(world, 4)
    rows_in = [(tg, f"Pengumuman {k}") for k in range(6) for tg in users]
    await queue(world, rows_in)
    assert world.runtime is not None
    bot = world.runtime.app.bot

    first = OutboxSender(bot, world.db, world.clock, rate_per_second=20, batch=50)
    first.start()
    while True:
        if (await world.client.stats())["sent_messages"] >= 6:
            break
        await asyncio.sleep(0.02)
    await first.stop()  # mid-batch: sends in flight finish, the other claimed rows go back
    statuses = [r.status for r in await outbox_rows(world.db)]
    assert "sending" not in statuses and "pending" in statuses

    second = OutboxSender(bot, world.db, world.clock, rate_per_second=50)
    second.start()
    try:
        rows = await settled(world.db)
    finally:
        await second.stop()
    assert [r.status for r in rows] == ["sent"] * len(rows_in)
    per_chat = await sent_per_chat(world)
    assert set(per_chat) == set(users) and all(n >= 6 for n in per_chat.values())
    assert sum(per_chat.values()) == len(rows_in)  # a clean stop duplicates nothing


async def test_slow_telegram_still_gets_the_rate_and_each_chat_keeps_its_order(
    world: World,
) -> None:
    """250 ms per request: one send at a time would take 5 s for 20 messages."""
    users = await open_chats(world, 4)
    rows_in = [(tg, f"Pesan {k}") for k in range(5) for tg in users]
    await world.client.faults(latency_ms=250)
    started = time.monotonic()
    await queue(world, rows_in)
    poke(world)
    rows = await settled(world.db)
    elapsed = time.monotonic() - started
    await world.client.faults(latency_ms=0)
    assert [r.status for r in rows] == ["sent"] * len(rows_in)
    for tg in users:
        got = [m["text"] for m in await world.client.chat(tg) if m["from"] == "bot"]
        assert got[-5:] == [f"Pesan {k}" for k in range(5)]
    # Paced at 25/s the sends overlap (~1 s); sequential sends could not beat 5 s.
    assert elapsed < 0.6 * len(rows_in) * 0.25, elapsed


async def test_pacing_stays_under_telegrams_limit(world: World) -> None:
    """60 messages to 60 users at SEND_RATE_PER_SECOND=25 through a 30/s sandbox: no 429."""
    assert world.settings.send_rate_per_second == 25
    assert world.sandbox.state.global_rate == 30
    users = await open_chats(world, 60)
    assert world.runtime is not None and world.runtime.sender is not None
    bucket = world.runtime.sender.bucket
    started = time.monotonic()
    await queue(world, [(tg, f"Pengingat untuk {tg}") for tg in users])
    poke(world)
    rows = await settled(world.db)
    elapsed = time.monotonic() - started

    stats = await world.client.stats()
    assert stats["rate_limited"] == 0 and "429" not in stats["errors"], stats
    assert [r.status for r in rows] == ["sent"] * 60
    assert await sent_per_chat(world) == {tg: 1 for tg in users}
    # A lower bound cannot flake on a slow machine: the pacing itself must take this long.
    assert elapsed >= (60 - bucket.capacity) / bucket.rate * 0.9
