"""Entries written straight into the database for the recap and export stories."""

from __future__ import annotations

from datetime import date, time

from storage.db import Database
from storage.models import Activity, Employee, SkpItem, Submission


async def seed_month(
    db: Database, employee: Employee, days: list[tuple[date, str]], *, year: int = 2026
) -> SkpItem:
    """Per (day, status): a 3-hour SKP entry with a formula-looking text, a 2-hour entry
    overlapping it, and a 1-hour tugas tambahan."""
    async with db.session() as s:
        item = SkpItem(
            employee_id=employee.id,
            year=year,
            title="Menyusun laporan",
            rencana_aksi="Menyusun laporan bulanan.",
            kind="trajectory",
            target_qty=12,
            unit="dokumen",
        )
        s.add(item)
        await s.flush()
        for day, status in days:
            sub = Submission(employee_id=employee.id, work_date=day, status=status)
            s.add(sub)
            await s.flush()
            for start, end, minutes, text, skp in (
                (time(8), time(11), 180, "=SUM(A1:A9)\nmenyusun   laporan", item.id),
                (time(10), time(12), 120, "Rapat koordinasi", item.id),
                (time(13), time(14), 60, "Piket perpustakaan", None),
            ):
                s.add(
                    Activity(
                        employee_id=employee.id,
                        work_date=day,
                        start_time=start,
                        end_time=end,
                        minutes=minutes,
                        description=text,
                        skp_item_id=skp,
                        submission_id=sub.id,
                    )
                )
        return item
