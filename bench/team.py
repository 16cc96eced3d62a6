"""/tim and one decision at 10, 300 and 3,000 subordinates: time and SQL statements.

Run from the repository root: ``.venv/bin/python bench/team.py [--reps N] [--sizes 10,300,3000]``.
Domain-level calls (no Telegram, no sandbox) on a scratch SQLite file, or on PostgreSQL
with ``BENCH_DATABASE_URL=postgresql+asyncpg://…`` (its public schema is dropped first).

For each size N a fresh database holds one atasan with N direct subordinates, one of
them a head with N staff of their own (so the whole tree is 2N people), two thirds of
everyone with a submitted day of three activities waiting for a decision and an open
request message (an outbox row), as after a working day. Measured per size:

* ``/tim``: ``bot.team.team`` + ``render_team`` for today, direct subordinates;
* ``/tim deep``: the same with the whole tree (the recursive CTE);
* ``decision``: ``bot.approval.decide`` approving one waiting day (its request edited in
  place, the employee told, digests refreshed), in its own transaction, a different day
  each repetition.

Statements are counted with a ``before_cursor_execute`` listener on the engine. Times are
the best of the repetitions (after three warm-up calls), printed with their ratio to the
10-person baseline measured in the same run: this machine is shared and noisy, and the
best call is the steadiest figure; medians moved by 3x between runs.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from datetime import time as clock
from pathlib import Path
from typing import Any

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, insert, select, text  # noqa: E402

from bot import approval, team  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import (  # noqa: E402
    Activity,
    ApprovalMessage,
    Employee,
    OutboxMessage,
    Submission,
)

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Friday 16:00 WIB
TODAY = date(2026, 11, 27)


async def fresh_db(url: str | None, workdir: Path, size: int) -> Database:
    if url is None:
        db = Database(f"sqlite+aiosqlite:///{workdir / f'team{size}.db'}")
    else:
        db = Database(url)
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(db)
    return db


async def seed(db: Database, size: int) -> tuple[int, list[int]]:
    """The atasan, `size` direct staff (the first is a head with `size` staff of their
    own), two thirds with a waiting day; returns (atasan id, waiting submission ids)."""
    async with db.session() as session:
        boss = Employee(nip="9" * 18, name="Atasan", roles="staff,supervisor", telegram_user_id=1)
        session.add(boss)
        await session.flush()
        head = Employee(
            nip="8" * 18, name="Kepala", roles="staff,supervisor", supervisor_id=boss.id
        )
        session.add(head)
        await session.flush()
        rows = []
        for n in range(size - 1):
            rows.append({"nip": f"1{n:017d}", "name": f"Staf {n:05d}", "supervisor_id": boss.id})
        for n in range(size):
            rows.append({"nip": f"2{n:017d}", "name": f"Guru {n:05d}", "supervisor_id": head.id})
        for row in rows:
            row.update(
                roles="staff",
                position="Guru",
                language="id",
                timezone="Asia/Jakarta",
                active=True,
                digest_mode=False,
                telegram_user_id=None,
            )
        await session.execute(insert(Employee), rows)
        ids = list(
            (await session.execute(select(Employee.id).where(Employee.id > head.id))).scalars()
        )
        subs = [
            {
                "employee_id": eid,
                "work_date": TODAY,
                "status": "submitted",
                "snapshot": {"round": 1},
            }
            for n, eid in enumerate(ids)
            if n % 3 != 2
        ]
        await session.execute(insert(Submission), subs)
        waiting = list(
            (await session.execute(select(Submission.id, Submission.employee_id))).tuples()
        )
        acts, outbox = [], []
        for n, (sid, eid) in enumerate(waiting):
            for k in range(3):
                acts.append(
                    {
                        "employee_id": eid,
                        "work_date": TODAY,
                        "start_time": clock(8 + 2 * k),
                        "end_time": clock(9 + 2 * k),
                        "minutes": 60 + 30 * (n % 3),
                        "description": f"kegiatan {k} pegawai {eid}",
                        "submission_id": sid,
                        "source": "chat",
                    }
                )
            outbox.append(
                {
                    "chat_id": 1,
                    "method": "sendMessage",
                    "payload": {"text": f"req {sid}"},
                    "status": "sent",
                    "attempts": 1,
                    "result_message_id": n + 1,
                    "not_before": NOW,
                    "created_at": NOW,
                }
            )
        await session.execute(insert(Activity), acts)
        await session.execute(insert(OutboxMessage), outbox)
        out_ids = list(
            (await session.execute(select(OutboxMessage.id).order_by(OutboxMessage.id))).scalars()
        )
        await session.execute(
            insert(ApprovalMessage),
            [
                {
                    "submission_id": sid,
                    "recipient_id": boss.id,
                    "outbox_id": oid,
                    "state": "open",
                    "created_at": NOW,
                }
                for (sid, _), oid in zip(waiting, out_ids, strict=True)
            ],
        )
        direct = {eid for eid in ids[: size - 1]}
        decidable = [sid for sid, eid in waiting if eid in direct]
        return boss.id, decidable


class Counter:
    def __init__(self, db: Database) -> None:
        self.count = 0
        event.listen(db.engine.sync_engine, "before_cursor_execute", self._hit)

    def _hit(self, *_args: Any) -> None:
        self.count += 1


async def measure(
    counter: Counter, reps: int, call: Callable[[int], Awaitable[None]]
) -> tuple[float, int]:
    """(best ms, statements per call) over `reps` calls after three warm-ups."""
    for i in range(3):
        await call(i)
    times, counts = [], []
    for i in range(3, reps + 3):
        before = counter.count
        start = time.perf_counter()
        await call(i)
        times.append((time.perf_counter() - start) * 1000)
        counts.append(counter.count - before)
    return min(times), max(counts)


async def run_size(
    url: str | None, workdir: Path, size: int, reps: int
) -> dict[str, tuple[float, int]]:
    db = await fresh_db(url, workdir, size)
    boss_id, waiting = await seed(db, size)
    counter = Counter(db)
    async with db.session() as session:
        boss = await session.get(Employee, boss_id)
    assert boss is not None
    out: dict[str, tuple[float, int]] = {}

    def tim(deep: bool) -> Callable[[int], Awaitable[None]]:
        async def call(_: int) -> None:
            async with db.session() as session:
                view = await team.team(session, boss, TODAY, 1, deep, NOW)
                team.render_team(view, "id", 0, 450)

        return call

    async def decide(i: int) -> None:
        async with db.session() as session:
            result = await approval.decide(session, boss, waiting[i], approval.APPROVED, NOW)
            assert result.outcome is approval.Outcome.OK, result.outcome

    out["/tim"] = await measure(counter, reps, tim(False))
    out["/tim deep"] = await measure(counter, reps, tim(True))
    out["decision"] = await measure(counter, min(reps, len(waiting) - 4), decide)
    await db.dispose()
    return out


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--sizes", default="10,300,3000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    url = os.environ.get("BENCH_DATABASE_URL")
    workdir = Path(tempfile.mkdtemp(prefix="bench-team-"))
    try:
        results = {size: await run_size(url, workdir, size, args.reps) for size in sizes}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    base = results[sizes[0]]
    print(
        f"backend: {'PostgreSQL' if url else 'SQLite'}; best of {args.reps} calls; "
        f"ratios against {sizes[0]} subordinates"
    )
    print(f"{'call':<12}{'size':>7}{'ms':>10}{'x base':>9}{'statements':>12}{'x base':>9}")
    for name in base:
        for size in sizes:
            ms, stmts = results[size][name]
            print(
                f"{name:<12}{size:>7}{ms:>10.2f}{ms / base[name][0]:>9.2f}"
                f"{stmts:>12}{stmts / base[name][1]:>9.2f}"
            )


if __name__ == "__main__":
    asyncio.run(main())
