"""Unit export for e-Kinerja: time and peak memory for a 1,000-person unit and a month.

Run from the repository root: ``.venv/bin/python bench/export.py [--quick]
[--database-url URL]``.

A scratch database (SQLite file by default; with --database-url its schema is dropped and
migrated again, so give it a scratch PostgreSQL database) gets N employees in one unit,
each with every workday of November 2026 reported: four activities a day (three with an
SKP item, one tugas tambahan; one pair overlapping so the day is re-arranged), all
approved. Then the unit is exported as `kinerja-bot export --unit` does (`export_file`,
write-only XLSX with one sheet per person and a summary), for 250 and for N people.

Printed: rows, seconds, rows per second, and the peak of Python allocations during the
export (tracemalloc) and the process's peak RSS (resource). Bounded memory shows as a
peak that stays nearly flat while the unit grows 4x; time grows with the rows.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from datetime import time as dtime
from pathlib import Path

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, text  # noqa: E402

from bot.export import export_file, people, unit_ids, unit_members  # noqa: E402
from bot.workcalendar import package_calendar  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Activity, Employee, SkpItem, Submission, Unit  # noqa: E402

FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)
DAY = [
    (dtime(7, 30), dtime(10, 0), 150, 0, "Melaksanakan pembelajaran Matematika kelas V"),
    (dtime(9, 30), dtime(11, 30), 120, 1, "Menyusun laporan\nbulanan  sekolah"),
    (dtime(13, 0), dtime(14, 30), 90, 2, "=Rapat koordinasi guru"),
    (dtime(14, 30), dtime(15, 30), 60, None, "Piket perpustakaan"),
]


async def seed(db: Database, unit_id: int, count: int, offset: int) -> None:
    """`count` employees of `unit_id` with a full approved month, in bulk inserts."""
    days = package_calendar(FIRST, LAST).workdays(FIRST, LAST)
    async with db.session() as s:
        await s.execute(
            insert(Employee),
            [
                {
                    "nip": f"{198001012005011000 + offset + i:018d}",
                    "name": f"Pegawai {offset + i:05d}",
                    "position": "Guru",
                    "unit_id": unit_id,
                    "roles": "staff",
                    "language": "id",
                    "timezone": "Asia/Jakarta",
                    "active": True,
                    "is_pppk": False,
                }
                for i in range(count)
            ],
        )
        ids = list(
            (
                await s.execute(
                    select(Employee.id).where(Employee.unit_id == unit_id).order_by(Employee.id)
                )
            ).scalars()
        )
        await s.execute(
            insert(SkpItem),
            [
                {
                    "employee_id": e,
                    "year": 2026,
                    "title": f"Butir {k}",
                    "rencana_aksi": f"Rencana aksi {k} sesuai e-Kinerja",
                    "kind": "non_trajectory",
                    "active": True,
                }
                for e in ids
                for k in range(3)
            ],
        )
        items: dict[int, list[int]] = {}
        for item_id, emp in (
            await s.execute(
                select(SkpItem.id, SkpItem.employee_id)
                .where(SkpItem.employee_id.in_(ids))
                .order_by(SkpItem.id)
            )
        ).all():
            items.setdefault(emp, []).append(item_id)
        await s.execute(
            insert(Submission),
            [{"employee_id": e, "work_date": d, "status": "approved"} for e in ids for d in days],
        )
        subs = {
            (emp, day): sid
            for sid, emp, day in (
                await s.execute(
                    select(Submission.id, Submission.employee_id, Submission.work_date).where(
                        Submission.employee_id.in_(ids)
                    )
                )
            ).all()
        }
        batch: list[dict[str, object]] = []
        for e in ids:
            for d in days:
                for start, end, minutes, k, desc in DAY:
                    batch.append(
                        {
                            "employee_id": e,
                            "work_date": d,
                            "start_time": start,
                            "end_time": end,
                            "minutes": minutes,
                            "description": desc,
                            "skp_item_id": items[e][k] if k is not None else None,
                            "submission_id": subs[(e, d)],
                            "source": "chat",
                        }
                    )
                if len(batch) >= 20_000:
                    await s.execute(insert(Activity), batch)
                    batch = []
        if batch:
            await s.execute(insert(Activity), batch)


async def run_export(db: Database, unit_id: int, out: Path) -> tuple[int, int, float, int]:
    """(people, rows, seconds untraced, peak traced bytes of a second, traced run)."""
    async with db.session() as s:
        persons = await people(s, await unit_members(s, await unit_ids(s, unit_id)))
    started = time.perf_counter()
    async with db.session() as s:
        result = await export_file(s, out, persons, FIRST, LAST, unit=True)
    seconds = time.perf_counter() - started
    tracemalloc.start()  # slows Python down: a separate run, for memory only
    async with db.session() as s:
        await export_file(s, out, persons, FIRST, LAST, unit=True)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result.people, result.rows + result.extra_rows, seconds, peak


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="250 and 500 people")
    parser.add_argument("--database-url", default=None, help="a scratch database")
    args = parser.parse_args()
    big = 500 if args.quick else 1000
    small = 250
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        db = Database(url)
        if db.is_postgres:
            async with db.engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        await upgrade(db)
        async with db.session() as s:
            s.add_all([Unit(id=1, name="Kecil"), Unit(id=2, name="Besar")])
        t0 = time.perf_counter()
        await seed(db, 1, small, 0)
        await seed(db, 2, big, small)
        print(
            f"{db.engine.dialect.name}: seeded {small + big} people in "
            f"{time.perf_counter() - t0:.0f} s"
        )
        results = []
        for unit_id in (1, 2):
            out = Path(tmp) / f"unit{unit_id}.xlsx"
            n, rows, seconds, peak = await run_export(db, unit_id, out)
            results.append((n, rows, seconds, peak))
            print(
                f"  unit of {n:5d} people: {rows:7d} rows in {seconds:6.1f} s "
                f"({rows / seconds:7.0f} rows/s), peak traced {peak / 2**20:6.1f} MiB, "
                f"file {out.stat().st_size / 2**20:5.1f} MiB"
            )
        (n1, _, s1, p1), (n2, _, s2, p2) = results
        print(
            f"  {n2 / n1:.1f}x the people: time x{s2 / s1:.2f}, peak memory x{p2 / p1:.2f}; "
            f"process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
        )
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
