"""Outbox delivery: achieved rate against SEND_RATE_PER_SECOND, 429s, losses, duplicates.

Run from the repository root: ``.venv/bin/python bench/outbox.py [--quick]``.

One in-process ``Sandbox`` with Telegram's flood limits (30 messages/s overall, burst 30;
about 1/s per chat, burst 20) plays Telegram. M messages are queued for M distinct users
and delivered by the real sender as ``kinerja-bot worker`` runs it (``BotRuntime`` in
manual mode: ExtBot with the retrying transport and PTB's rate limiter, plus
``OutboxSender``) on a scratch database. Runs:

* steady: SEND_RATE_PER_SECOND as configured (default 25); the baseline is that rate.
* steady with 20% injected 429/500/502, then also 5% timeouts (the sandbox carries the
  request out and answers after 3 s; the worker's read timeout is 2 s here). ``--only
  faults`` runs just these two.
* over the limit (full run only): 40/s, above the sandbox's 30/s, to show that 429s are
  counted when they happen (and that the transport still delivers everything).
* task killed: the sender's asyncio task is cancelled midway and a new sender started.
* process killed: a worker process is SIGKILLed midway; a new sender starts as if
  STUCK_AFTER had passed (its clock is moved forward instead of waiting five minutes).

Losses are rows not sent (and chats that got nothing); duplicates are messages beyond one
per chat, counted by the sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, func, select  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.outbox import enqueue  # noqa: E402
from bot.outbox_sender import STUCK_AFTER  # noqa: E402
from bot.runtime import BotRuntime  # noqa: E402
from bot.sandbox import Sandbox, SandboxClient  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import OutboxMessage  # noqa: E402

SETTLE_TIMEOUT = 120.0
READ_TIMEOUT = 2.0  # the worker's read timeout here, so an injected timeout costs 2 s, not 30
TIMEOUT_HELD_MS = 3000  # an injected timeout: carried out, answered after 3 s


class ShiftedClock:
    """Real time moved forward: a sender restarted ``shift`` after the crash."""

    def __init__(self, shift: timedelta) -> None:
        self.shift = shift

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift


@dataclass
class Bench:
    sandbox: Sandbox
    client: SandboxClient
    db: Database
    next_user: int = 800_001

    def settings(self, rate: float) -> Settings:
        return Settings(
            telegram_bot_token=self.sandbox.token,
            telegram_api_base_url=self.sandbox.api_base_url,
            database_url=self.db.url,
            send_rate_per_second=rate,
            telegram_read_timeout=READ_TIMEOUT,
        )

    async def prepare(self, m: int) -> list[int]:
        """M users who have started the bot (nobody polls, so no answers), an empty outbox,
        the M messages queued, and the sandbox's counters and flood buckets reset."""
        users = list(range(self.next_user, self.next_user + m))
        self.next_user += m
        for user_id in users:
            await self.client.create_user(user_id, f"U{user_id}", None, "id")
            await self.client.send(user_id, "/start", wait=0)
        async with self.db.session() as session:
            await session.execute(delete(OutboxMessage))
        now = datetime.now(UTC)
        async with self.db.session() as session:
            for user_id in users:
                await enqueue(session, user_id, f"Pengumuman untuk <b>{user_id}</b>", now=now)
        await self.client.reset()
        return users

    async def statuses(self) -> Counter[str]:
        async with self.db.session() as session:
            query = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            return Counter(dict((await session.execute(query)).tuples().all()))

    async def settle(self, total: int) -> float:
        """Wait until every row is sent or failed; returns the monotonic time it happened."""
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            counts = await self.statuses()
            if counts["sent"] + counts["failed"] >= total:
                return time.monotonic()
            if time.monotonic() > deadline:
                raise TimeoutError(f"outbox did not settle: {dict(counts)}")
            await asyncio.sleep(0.02)

    async def wait_sent(self, at_least: int) -> None:
        while (await self.client.stats())["sent_messages"] < at_least:  # noqa: ASYNC110
            await asyncio.sleep(0.01)

    async def outcome(self, users: list[int]) -> Outcome:
        stats = await self.client.stats()
        per_chat = Counter({int(k): int(v) for k, v in stats["sent_per_chat"].items()})
        counts = await self.statuses()
        errors = {k: int(v) for k, v in stats["errors"].items()}
        return Outcome(
            not_sent=len(users) - counts["sent"],
            empty_chats=sum(1 for u in users if per_chat[u] == 0),
            duplicates=sum(max(0, per_chat[u] - 1) for u in users),
            rate_limited=int(stats["rate_limited"]),
            errors=errors,
        )

    async def sent_times(self) -> list[datetime]:
        async with self.db.session() as session:
            query = select(OutboxMessage.sent_at).where(OutboxMessage.sent_at.is_not(None))
            return sorted(t for t in (await session.execute(query)).scalars() if t is not None)


@dataclass
class Outcome:
    not_sent: int
    empty_chats: int
    duplicates: int
    rate_limited: int
    errors: dict[str, int]

    def line(self) -> str:
        return (
            f"429s {self.rate_limited:3d}   losses {self.not_sent} rows / "
            f"{self.empty_chats} chats   duplicates {self.duplicates}   errors {self.errors}"
        )


def kill_point(m: int) -> int:
    """Messages sent before the crash: mid-run and mid-batch (batches are 50 rows)."""
    return int(m * 0.45)


async def start_worker(bench: Bench, rate: float) -> BotRuntime:
    runtime = BotRuntime(bench.settings(rate), db=bench.db)
    await runtime.start("manual", migrate=False)
    return runtime


async def steady(
    bench: Bench,
    m: int,
    rate: float,
    label: str,
    latency_ms: int = 0,
    fault_rate: float = 0.0,
    timeout_rate: float = 0.0,
) -> None:
    users = await bench.prepare(m)
    if latency_ms or fault_rate or timeout_rate:
        await bench.client.faults(
            latency_ms=latency_ms,
            error_rate=fault_rate,
            codes=[429, 500, 502],
            seed=11,
            timeout_rate=timeout_rate,
            timeout_ms=TIMEOUT_HELD_MS,
            timeout_methods=["sendMessage"],
        )
    runtime = await start_worker(bench, rate)
    try:
        assert runtime.sender is not None
        started = time.monotonic()
        runtime.sender.poke()
        finished = await bench.settle(m)
    finally:
        await runtime.stop()
        await bench.client.faults()
    outcome = await bench.outcome(users)
    times = await bench.sent_times()
    overall = m / (finished - started)
    burst = min(5, len(times) - 2)  # the sender's bucket lets its first few go at once
    span = (times[-1] - times[burst]).total_seconds()
    paced = (len(times) - 1 - burst) / span if span > 0 else float("nan")
    print(
        f"{label}: {m} messages at SEND_RATE_PER_SECOND={rate:g}\n"
        f"  achieved {paced:5.1f} msg/s paced ({paced / rate:.2f} of configured), "
        f"{overall:5.1f} msg/s overall ({overall / rate:.2f})\n"
        f"  {outcome.line()}",
        flush=True,
    )


async def task_killed(bench: Bench, m: int, rate: float) -> None:
    users = await bench.prepare(m)
    runtime = await start_worker(bench, rate)
    try:
        sender = runtime.sender
        assert sender is not None and sender._task is not None
        sender.poke()
        await bench.wait_sent(kill_point(m))
        task = sender._task
        task.cancel()  # the task dies mid-batch, no stop() courtesy
        await asyncio.gather(task, return_exceptions=True)
        left = (await bench.statuses())["sending"]
        sent_before = (await bench.client.stats())["sent_messages"]
        runtime.start_sender()  # a new sender in the same process
        await bench.settle(m)
    finally:
        await runtime.stop()
    outcome = await bench.outcome(users)
    print(
        f"sender task killed after {sent_before} of {m} messages, new sender started\n"
        f"  rows left 'sending' by the dead task: {left}\n"
        f"  {outcome.line()}",
        flush=True,
    )


async def process_killed(bench: Bench, m: int, rate: float) -> None:
    users = await bench.prepare(m)
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SCRIPT),
        "--child-worker",
        "--api",
        bench.sandbox.api_base_url,
        "--token",
        bench.sandbox.token,
        "--db",
        bench.db.url,
        "--rate",
        str(rate),
        cwd=str(ROOT),
    )
    try:
        await asyncio.wait_for(bench.wait_sent(kill_point(m)), timeout=60)
    finally:
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
    sent_before = (await bench.client.stats())["sent_messages"]
    left = (await bench.statuses())["sending"]
    # The restarted worker: its clock says STUCK_AFTER has passed since the crash.
    runtime = BotRuntime(bench.settings(rate), db=bench.db, clock=ShiftedClock(STUCK_AFTER))
    await runtime.start("manual", migrate=False)
    try:
        await bench.settle(m)
    finally:
        await runtime.stop()
    outcome = await bench.outcome(users)
    print(
        f"worker process SIGKILLed after {sent_before} of {m} messages; restarted "
        f"{STUCK_AFTER.total_seconds():.0f} s later (clock moved)\n"
        f"  rows left 'sending' by the dead process: {left}\n"
        f"  {outcome.line()}",
        flush=True,
    )


async def child_worker(api: str, token: str, database_url: str, rate: float) -> None:
    settings = Settings(
        telegram_bot_token=token,
        telegram_api_base_url=api,
        database_url=database_url,
        send_rate_per_second=rate,
    )
    runtime = BotRuntime(settings)
    await runtime.start("manual", migrate=False)
    await asyncio.Event().wait()  # until SIGKILL


async def main(args: argparse.Namespace) -> None:
    quick = args.quick
    m = args.messages or (100 if quick else 300)
    crash_m = max(20, m * 2 // 3)
    tmp = tempfile.mkdtemp(prefix="kinerja-bench-outbox-")
    database_url = args.database_url or f"sqlite+aiosqlite:///{os.path.join(tmp, 'outbox.db')}"
    db = Database(database_url)
    await upgrade(db)
    sandbox = Sandbox()  # Telegram's limits: 30/s overall burst 30, 1/s per chat burst 20
    await sandbox.start()
    print(
        f"bench/outbox.py on {db.engine.dialect.name}; sandbox limits "
        f"{sandbox.state.global_rate:g}/s overall (burst {sandbox.state.global_burst}), "
        f"{sandbox.state.per_chat_rate:g}/s per chat; {os.cpu_count()} CPUs\n",
        flush=True,
    )
    started = time.monotonic()
    try:
        async with SandboxClient(sandbox.base_url) as client:
            bench = Bench(sandbox, client, db)
            if args.only != "faults":
                await steady(bench, m, args.rate, "steady")
            if args.only != "faults":
                await steady(
                    bench, m, args.rate, "steady, Telegram 100 ms away (sandbox latency)", 100
                )
            faults = "steady, 20% injected 429/500/502"
            await steady(bench, m, args.rate, faults, fault_rate=0.2)
            await steady(
                bench, m, args.rate, faults + " + 5% timeouts", fault_rate=0.2, timeout_rate=0.05
            )
            if args.only == "faults":
                return
            if not quick:
                await steady(bench, m // 2, 40.0, "over the limit (control)")
            await task_killed(bench, crash_m, args.rate)
            await process_killed(bench, crash_m, args.rate)
    finally:
        await sandbox.stop()
        await db.dispose()
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n(took {time.monotonic() - started:.0f} s)")


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a ~20 s run")
    parser.add_argument("--only", choices=["faults"], help="only the runs with injected faults")
    parser.add_argument("--messages", type=int, help="M, messages in the steady run")
    parser.add_argument("--rate", type=float, default=25.0, help="SEND_RATE_PER_SECOND")
    parser.add_argument(
        "--database-url",
        help="a scratch database (its outbox table is emptied); default a temp SQLite file",
    )
    parser.add_argument("--child-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_worker:
        asyncio.run(child_worker(args.api, args.token, args.db, args.rate))
        return
    asyncio.run(main(args))


if __name__ == "__main__":
    cli()
