"""Real `kinerja-bot worker` processes against an in-process sandbox (issue 10).

- A worker SIGKILLed in the middle of a 2,000-recipient broadcast is replaced by a standby
  worker that takes the worker lock and completes it: every recipient gets the message,
  duplicates only among rows in flight at the kill. (Injected 429/500/502 are in
  tests/e2e/test_broadcast.py: with them the sender, which waits for the slowest row of
  each 50-row batch, manages only ~20 messages/s, too slow for 2,000 here.)
- Two processes ticking the scheduler at the same instant on PostgreSQL queue each
  reminder once.
The sandbox here lifts Telegram's 30/s overall limit so a high SEND_RATE keeps this short.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select

from bot.sandbox import Sandbox, SandboxClient
from storage.db import Database
from storage.models import Broadcast, Employee, OutboxMessage

ROOT = Path(__file__).resolve().parents[2]
FIRST_TG = 910_000


@pytest.fixture(scope="module")
async def fast_sandbox() -> AsyncIterator[Sandbox]:
    box = Sandbox(global_rate=5000, global_burst=500)
    await box.start()
    yield box
    await box.stop()


def worker_env(db: Database, box: Sandbox, rate: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    env.update(
        TELEGRAM_BOT_TOKEN=box.token,
        TELEGRAM_API_BASE_URL=box.api_base_url,
        DATABASE_URL=db.url,
        SEND_RATE_PER_SECOND=str(rate),
        KINERJA_SCHEDULER="1",
        PYTHONUNBUFFERED="1",
    )
    return env


async def seed(db: Database, box: Sandbox, n: int) -> list[int]:
    """n linked employees whose Telegram users have started the bot."""
    ids = list(range(FIRST_TG, FIRST_TG + n))
    async with db.session() as session:
        await session.execute(
            insert(Employee),
            [
                {
                    "nip": f"19850101201001{k:04d}",
                    "name": f"Pegawai {k}",
                    "position": "",
                    "roles": "staff",
                    "is_pppk": False,
                    "telegram_user_id": tg,
                    "language": "id",
                    "timezone": "Asia/Jakarta",
                    "active": True,
                    "created_at": datetime.now(UTC),
                }
                for k, tg in enumerate(ids)
            ],
        )
    for tg in ids:
        box.state.upsert_user(tg, f"U{tg}").started = True
    return ids


async def spawn(args: list[str], env: dict[str, str], log: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=str(ROOT),
        env=env,
        stdout=log.open("w"),
        stderr=asyncio.subprocess.STDOUT,
    )


async def wait_for(check: object, within: float, what: str) -> None:
    deadline = time.monotonic() + within
    while not await check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.1)


async def statuses(db: Database) -> Counter[str]:
    async with db.session() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return Counter(dict(rows.tuples().all()))


async def test_a_worker_killed_mid_broadcast_is_completed_by_the_standby(
    db: Database, fast_sandbox: Sandbox, tmp_path: Path
) -> None:
    n = 2000
    users = await seed(db, fast_sandbox, n)
    env = worker_env(db, fast_sandbox, rate=200)
    async with SandboxClient(fast_sandbox.base_url) as client:
        await client.reset()

        first = await spawn(["worker"], env, tmp_path / "w1.log")
        standby = None
        try:

            def says(log: str, words: str) -> object:
                async def check() -> bool:
                    return words in (tmp_path / log).read_text()

                return check

            # Both workers up before anything is queued: the first holds the lock, the
            # second waits for it; then the CLI queues the broadcast.
            await wait_for(says("w1.log", "worker running"), 60, "the first worker did not start")
            standby = await spawn(["worker"], env, tmp_path / "w2.log")
            await wait_for(says("w2.log", "waiting to take over"), 60, "no standby worker")
            cli = await spawn(
                ["broadcast", "--text", "Apel pagi <wajib> pukul 07.30", "--yes"],
                env,
                tmp_path / "cli.log",
            )
            assert await cli.wait() == 0, (tmp_path / "cli.log").read_text()

            async def some_sent() -> bool:
                return int((await client.stats())["sent_messages"]) >= 600

            await wait_for(some_sent, 90, "the first worker sent nothing")
            first.send_signal(signal.SIGKILL)
            await first.wait()
            killed_at = time.monotonic()
            in_flight = (await statuses(db))["sending"]
            sent_at_kill = int((await client.stats())["sent_messages"])
            assert sent_at_kill < n, "the kill came too late to test anything"

            async def settled() -> bool:
                counts = await statuses(db)
                return counts["sent"] + counts["failed"] == n

            await wait_for(settled, 120, f"not completed: {await statuses(db)}")
            took = time.monotonic() - killed_at
        finally:
            for proc in (first, standby):
                if proc is not None and proc.returncode is None:
                    proc.send_signal(signal.SIGTERM)
                    try:
                        await asyncio.wait_for(proc.wait(), 20)
                    except TimeoutError:
                        proc.kill()
        stats = await client.stats()

    log2 = (tmp_path / "w2.log").read_text()
    assert "worker running" in log2
    assert await statuses(db) == Counter({"sent": n})
    per_chat = Counter({int(k): int(v) for k, v in stats["sent_per_chat"].items()})
    assert all(per_chat[u] >= 1 for u in users), "a recipient got nothing"
    duplicates = sum(per_chat[u] - 1 for u in users)
    assert duplicates <= in_flight, (duplicates, in_flight)
    assert set(stats["errors"]) <= {"500"}  # a request cut by the kill is a 500 here
    async with db.session() as session:
        bc = (await session.execute(select(Broadcast))).scalar_one()
    assert bc.total == n
    # The takeover did not wait for the sender's 5-minute STUCK_AFTER.
    assert took < 120
    print(
        f"\nkill test: {sent_at_kill} sent at the kill, {in_flight} in flight, "
        f"{duplicates} duplicates, completed {took:.1f} s after the kill, "
        f"errors {stats['errors']}"
    )


TICKER = """
import asyncio, json, sys, time
from datetime import datetime
from bot.clock import FixedClock
from bot.config import Settings
from bot.reminders import run_due
from bot.scheduler import TickResult, tick
from storage.db import Database

async def unlocked(db, settings, clock):
    # the scheduler's work without its advisory lock: only the unique keys protect
    async with db.session() as session:
        return TickResult(reminders=(await run_due(session, settings, clock.now())).daily)

async def main(url, at, start_at, mode):
    db = Database(url)
    settings = Settings(database_url=url)
    clock = FixedClock(datetime.fromisoformat(at))
    while time.time() < start_at:
        await asyncio.sleep(0.001)
    out = {"ticks": 0, "skipped": 0, "queued": 0}
    for _ in range(15):
        r = await (tick if mode == "tick" else unlocked)(db, settings, clock)
        out["ticks"] += 1
        out["skipped"] += r.skipped
        out["queued"] += r.reminders
    await db.dispose()
    print(json.dumps(out))

asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]))
"""


@pytest.mark.skipif(
    "postgresql" not in os.environ.get("TEST_DATABASE_URL", ""), reason="needs PostgreSQL"
)
@pytest.mark.parametrize("mode", ["tick", "unlocked"])
async def test_two_processes_ticking_the_same_minute_queue_each_reminder_once(
    db: Database, fast_sandbox: Sandbox, mode: str
) -> None:
    """`tick`: the advisory lock lets one process do each round. `unlocked`: both run the
    reminder work at once and the unique keys alone keep each reminder single."""
    n = 400
    await seed(db, fast_sandbox, n)
    tuesday = datetime.combine(date(2026, 12, 1), dtime(15, 30), tzinfo=ZoneInfo("Asia/Jakarta"))
    start_at = time.time() + 4.0  # both processes are up and ticking at the same instant
    procs = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            TICKER,
            db.url,
            tuesday.isoformat(),
            str(start_at),
            mode,
            cwd=str(ROOT),
            stdout=asyncio.subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outs = [json.loads((await p.communicate())[0]) for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert [o["ticks"] for o in outs] == [15, 15]
    assert sum(o["queued"] for o in outs) == n, outs
    async with db.session() as session:
        keys = list(
            (
                await session.execute(
                    select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.like("rem:%"))
                )
            ).scalars()
        )
    assert len(keys) == len(set(keys)) == n
    print(f"\ntwo tickers ({mode}): {outs}")
