"""A broadcast to 5,000 recipients: achieved rate vs SEND_RATE_PER_SECOND, 429s, losses,
duplicates; plus how long queueing it and one reminder tick for everyone take.

Run from the repository root: ``.venv/bin/python bench/broadcast.py [--recipients N]
[--rate R] [--database-url URL] [--fault-rate 0.2]``.

One in-process ``Sandbox`` with Telegram's flood limits (30 messages/s overall, about 1/s
per chat) plays Telegram. N linked employees whose users have started the bot; the
broadcast is created and expanded as `/broadcast` does it (bot.broadcast.create +
start_due: one transaction, bulk inserts), then delivered by the sender as `kinerja-bot
worker` runs it (BotRuntime in manual mode). Losses are recipients whose chat got nothing;
duplicates are messages beyond one per chat, both counted by the sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bot import broadcast as bc  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.runtime import BotRuntime  # noqa: E402
from bot.sandbox import Sandbox, SandboxClient  # noqa: E402
from bot.scheduler import tick  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Employee, OutboxMessage  # noqa: E402

FIRST_TG = 700_000


async def seed(db: Database, box: Sandbox, n: int) -> list[int]:
    ids = list(range(FIRST_TG, FIRST_TG + n))
    now = datetime.now(UTC)
    async with db.session() as session:
        await session.execute(
            insert(Employee),
            [
                {
                    "nip": f"19800101200501{k:04d}",
                    "name": f"Pegawai {k}",
                    "position": "",
                    "roles": "staff",
                    "is_pppk": False,
                    "telegram_user_id": tg,
                    "language": "id",
                    "timezone": ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")[k % 3],
                    "active": True,
                    "created_at": now,
                }
                for k, tg in enumerate(ids)
            ],
        )
    for tg in ids:
        box.state.upsert_user(tg, f"U{tg}").started = True
    return ids


async def statuses(db: Database) -> Counter[str]:
    async with db.session() as session:
        rows = await session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return Counter(dict(rows.tuples().all()))


async def main(args: argparse.Namespace) -> None:
    n, rate = args.recipients, args.rate
    tmp = tempfile.mkdtemp(prefix="kinerja-bench-broadcast-")
    url = args.database_url or f"sqlite+aiosqlite:///{os.path.join(tmp, 'bench.db')}"
    db = Database(url)
    if db.is_postgres:
        from sqlalchemy import text

        async with db.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(db)
    box = Sandbox()
    await box.start()
    settings = Settings(
        telegram_bot_token=box.token,
        telegram_api_base_url=box.api_base_url,
        database_url=url,
        send_rate_per_second=rate,
    )
    print(
        f"bench/broadcast.py on {db.engine.dialect.name}: {n} recipients, "
        f"SEND_RATE_PER_SECOND={rate:g}, sandbox {box.state.global_rate:g}/s overall, "
        f"{box.state.per_chat_rate:g}/s per chat; {os.cpu_count()} CPUs"
        + (f"; {args.fault_rate:.0%} injected 429/500/502" if args.fault_rate else ""),
        flush=True,
    )
    try:
        users = await seed(db, box, n)

        # One reminder tick for everyone (the 15:30 minute of a Tuesday, three zones).
        tuesday = datetime.combine(
            date(2026, 12, 1), dtime(15, 30), tzinfo=ZoneInfo("Asia/Jakarta")
        )
        started = time.perf_counter()
        first = await tick(db, settings, FixedClock(tuesday))
        tick_s = time.perf_counter() - started
        started = time.perf_counter()
        again = await tick(db, settings, FixedClock(tuesday))
        idle_s = time.perf_counter() - started
        print(
            f"reminder tick, {n} employees in WIB/WITA/WIT at 15:30 WIB: {tick_s:.2f} s, "
            f"queueing {first.reminders} (WITA and WIT are past working hours then); "
            f"the next tick of the same minute {idle_s:.2f} s, queueing {again.reminders}"
        )
        async with db.session() as session:
            await session.execute(OutboxMessage.__table__.delete())  # type: ignore[attr-defined]

        now = datetime.now(UTC)
        started = time.perf_counter()
        async with db.session() as session:
            row = await bc.create(
                session,
                author_id=None,
                text="Pengumuman <apel> pagi",
                audience="all",
                at=now,
                now=now,
            )
            queued = await bc.start_due(session, now)
            bc_id = row.id
        expand_s = time.perf_counter() - started
        print(f"broadcast queued: {queued} rows in {expand_s:.2f} s (one transaction)")

        async with SandboxClient(box.base_url) as client:
            await client.reset()
            if args.fault_rate:
                await client.faults(error_rate=args.fault_rate, codes=[429, 500, 502], seed=5)
            runtime = BotRuntime(settings, db=db)
            await runtime.start("manual", migrate=False)
            started = time.monotonic()
            assert runtime.sender is not None
            runtime.sender.poke()
            try:
                while True:
                    counts = await statuses(db)
                    if counts["sent"] + counts["failed"] >= n:
                        break
                    await asyncio.sleep(0.1)
            finally:
                finished = time.monotonic()
                await runtime.stop()
            stats = await client.stats()
        async with db.session() as session:
            times = sorted(
                t
                for t in (
                    await session.execute(
                        select(OutboxMessage.sent_at).where(OutboxMessage.broadcast_id == bc_id)
                    )
                ).scalars()
                if t is not None
            )
            progress = await bc.progress(session, bc_id)
        per_chat = Counter({int(k): int(v) for k, v in stats["sent_per_chat"].items()})
        lost = sum(1 for u in users if per_chat[u] == 0)
        dup = sum(max(0, per_chat[u] - 1) for u in users)
        overall = n / (finished - started)
        burst = min(5, len(times) - 2)
        span = (times[-1] - times[burst]).total_seconds()
        paced = (len(times) - 1 - burst) / span if span > 0 else float("nan")
        print(
            f"delivered in {finished - started:.1f} s: achieved {paced:.1f} msg/s paced "
            f"({paced / rate:.2f} of configured), {overall:.1f} msg/s overall "
            f"({overall / rate:.2f})\n"
            f"429s seen {stats['rate_limited']}, errors {stats['errors']}, lost {lost}, "
            f"duplicated {dup}; progress {progress}"
        )
    finally:
        await box.stop()
        await db.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=25.0)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="injected 429/500/502 share, e.g. 0.2"
    )
    asyncio.run(main(parser.parse_args()))
