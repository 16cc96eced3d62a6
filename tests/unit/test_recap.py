"""Recap: periods, workdays, the numbers for one person and a team, and the PNG chart."""

from __future__ import annotations

import struct
from datetime import date, time

import pytest
from sqlalchemy import select

from bot.charts import HEIGHT_PX, WIDTH_PX, ChartLabels, recap_chart, team_chart
from bot.recap import (
    Period,
    PeriodError,
    PeriodKind,
    month_of,
    parse_period,
    person_recap,
    team_recap,
    week_of,
)
from bot.workcalendar import package_calendar
from storage.db import Database
from storage.models import Activity, Employee, Holiday, Leave, SkpItem, Submission, Unit

TODAY = date(2026, 11, 26)  # a Thursday

LABELS = ChartLabels(
    "Jam kerja per hari",
    "Jam per butir SKP",
    "jam",
    "Target 7,5 jam",
    {
        "approved": "Disetujui",
        "submitted": "Menunggu",
        "revision_requested": "Revisi",
        "rejected": "Ditolak",
        "missing": "Belum lapor",
    },
    "Tugas tambahan",
    "Belum ada kegiatan",
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", week_of(TODAY)),
        ("minggu ini", Period(PeriodKind.WEEK, date(2026, 11, 23), date(2026, 11, 29))),
        ("Minggu  lalu", Period(PeriodKind.WEEK, date(2026, 11, 16), date(2026, 11, 22))),
        ("bulan ini", month_of(2026, 11)),
        ("bulan lalu", month_of(2026, 10)),
        ("November", month_of(2026, 11)),
        ("desember", month_of(2025, 12)),  # the latest December that has begun
        ("Desember 2025", month_of(2025, 12)),
        ("2026-11", month_of(2026, 11)),
        ("02/2026", month_of(2026, 2)),
        ("bulan agustus", month_of(2026, 8)),
        ("2026-12", PeriodError.FUTURE),
        ("Januari 2027", PeriodError.FUTURE),
        ("kemarin sore", PeriodError.UNKNOWN),
        ("2026-13", PeriodError.UNKNOWN),
    ],
)
def test_parse_period(text: str, expected: Period | PeriodError) -> None:
    assert parse_period(text, TODAY) == expected


def test_workdays_skip_weekends_and_holidays() -> None:
    cal = package_calendar(date(2026, 11, 1), date(2026, 12, 31))
    dec = cal.workdays(date(2026, 12, 1), date(2026, 12, 31))
    assert date(2026, 12, 25) not in dec  # Natal
    assert date(2026, 12, 5) not in dec  # Saturday
    assert date(2026, 12, 1) in dec
    assert len(cal.workdays(date(2026, 11, 23), date(2026, 11, 27))) == 5


async def _seed(db: Database) -> tuple[Employee, Employee]:
    async with db.session() as s:
        boss = Employee(nip="1" * 18, name="Bambang", roles="staff,supervisor")
        s.add(boss)
        await s.flush()
        siti = Employee(nip="2" * 18, name="Siti", supervisor_id=boss.id)
        andi = Employee(nip="3" * 18, name="Andi", supervisor_id=boss.id)
        s.add_all([siti, andi])
        await s.flush()
        item = SkpItem(
            employee_id=siti.id,
            year=2026,
            title="Menyusun laporan",
            kind="trajectory",
            target_qty=12,
            unit="dokumen",
        )
        other = SkpItem(employee_id=siti.id, year=2026, title="Rapat")
        s.add_all([item, other])
        await s.flush()
        plan = [
            (date(2026, 11, 23), "approved", [(item, 240, 2.0), (other, 210, None)]),
            (date(2026, 11, 24), "submitted", [(item, 300, None)]),
            (date(2026, 11, 25), "rejected", [(item, 120, 5.0)]),
            (date(2026, 10, 5), "approved", [(item, 60, 4.0)]),
        ]
        for day, status, acts in plan:
            sub = Submission(employee_id=siti.id, work_date=day, status=status)
            s.add(sub)
            await s.flush()
            for it, minutes, qty in acts:
                s.add(
                    Activity(
                        employee_id=siti.id,
                        work_date=day,
                        start_time=time(8),
                        end_time=time(9),
                        minutes=minutes,
                        description="x",
                        skp_item_id=it.id,
                        quantity=qty,
                        submission_id=sub.id,
                    )
                )
        return boss, siti


async def test_person_recap_counts(db: Database) -> None:
    _, siti = await _seed(db)
    async with db.session() as s:
        recap = await person_recap(s, siti, week_of(TODAY), TODAY, 450)
    assert recap.until == TODAY
    assert [d.minutes for d in recap.days] == [450, 300, 0, 0]  # rejected counts no hours
    assert recap.with_status("rejected") == [date(2026, 11, 25)]
    assert recap.with_status("submitted") == [date(2026, 11, 24)]
    assert recap.missing == [date(2026, 11, 26)]
    assert recap.expected_minutes == 4 * 450 and recap.total_minutes == 750
    laporan = next(i for i in recap.items if i.title == "Menyusun laporan")
    # this week 240 + 300 minutes in 2 entries; this year 4 (Oct) + 2 + 1 (none given) = 7/12
    assert (laporan.minutes, laporan.entries, laporan.realised, laporan.target) == (540, 2, 7.0, 12)


async def test_person_recap_before_joining_and_empty(db: Database) -> None:
    _, siti = await _seed(db)
    async with db.session() as s:
        recap = await person_recap(s, siti, month_of(2026, 9), TODAY, 450, since=TODAY)
    assert recap.empty and recap.missing == []


async def test_team_recap_puts_the_most_behind_first(db: Database) -> None:
    boss, _ = await _seed(db)
    async with db.session() as s:
        from bot.evaluation import direct_reports

        members = await direct_reports(s, boss.id)
        stats = await team_recap(s, members, week_of(TODAY), TODAY, 450)
    assert [m.name for m in stats] == ["Andi", "Siti"]
    andi, siti = stats
    # Today (Thursday) is not over and Andi has not reported it: Monday-Wednesday missing.
    assert andi.missing_days == 3 and andi.behind and andi.expected_minutes == 3 * 450
    assert (siti.minutes, siti.reported_days, siti.pending_days, siti.rejected_days) == (
        750,
        3,
        1,
        1,
    )


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_charts_are_pngs_of_the_phone_size(db: Database) -> None:
    boss, siti = await _seed(db)
    async with db.session() as s:
        week = await person_recap(s, siti, week_of(TODAY), TODAY, 450)
        month = await person_recap(s, siti, month_of(2026, 11), TODAY, 450)
        empty = await person_recap(s, boss, week_of(TODAY), TODAY, 450)
    for recap in (week, month, empty):
        assert _png_size(recap_chart(recap, LABELS, "id")) == (WIDTH_PX, HEIGHT_PX)
    assert _png_size(team_chart([], LABELS, "Tim", 37.5)) == (WIDTH_PX, HEIGHT_PX)


async def test_recap_asks_the_work_calendar_per_person(db: Database) -> None:
    """A local day off of Siti's unit and Andi's leave are not "not reported", nor expected
    hours; each person's own days, not one list for all."""
    boss, siti = await _seed(db)
    async with db.session() as s:
        s.add_all([Unit(id=5, name="Dinas A"), Unit(id=6, name="Dinas B")])
        await s.flush()
        staff = {e.name: e for e in (await s.execute(select(Employee))).scalars()}
        staff["Siti"].unit_id = 5
        staff["Andi"].unit_id = 6
        s.add(Holiday(day=date(2026, 11, 26), name="HUT Kota", kind="local", unit_id=5))
        s.add(
            Leave(
                employee_id=staff["Andi"].id,
                kind="dinas",
                start_date=date(2026, 11, 23),
                end_date=date(2026, 11, 24),
            )
        )
        await s.flush()
        siti = staff["Siti"]
        recap = await person_recap(s, siti, week_of(TODAY), TODAY, 450)
        assert recap.missing == []  # Thursday is the unit's day off
        assert recap.expected_minutes == 3 * 450
        andi = await person_recap(s, staff["Andi"], week_of(TODAY), TODAY, 450)
        assert andi.missing == [date(2026, 11, 25), date(2026, 11, 26)]  # dinas Mon-Tue
        from bot.evaluation import direct_reports

        stats = {
            m.name: m
            for m in await team_recap(
                s, await direct_reports(s, boss.id), week_of(TODAY), TODAY, 450
            )
        }
    # The team view leaves today (Thursday) open until reported: Andi misses Wednesday only.
    assert stats["Andi"].missing_days == 1 and stats["Andi"].expected_minutes == 1 * 450
    assert stats["Siti"].missing_days == 0 and stats["Siti"].expected_minutes == 3 * 450
