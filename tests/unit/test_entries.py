"""Own entries: the day view, and edits that respect ownership and approval."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.clock import local_today
from bot.entries import (
    EditResult,
    day_entries,
    delete_entry,
    edit_description,
    edit_minutes,
    end_time,
    parse_day,
    parse_minutes,
)
from storage.db import Database
from storage.models import Activity, Employee, SkpItem, Submission

DAY = date(2026, 11, 23)


async def seed(db: Database) -> dict[str, int]:
    async with db.session() as session:
        siti = Employee(nip="199001222015042001", name="Siti", roles="staff")
        andi = Employee(nip="199208082019031005", name="Andi", roles="staff")
        session.add_all([siti, andi])
        await session.flush()
        item = SkpItem(employee_id=siti.id, year=2026, title="Menyusun modul ajar")
        approved = Submission(employee_id=siti.id, work_date=date(2026, 11, 20), status="approved")
        waiting = Submission(employee_id=siti.id, work_date=DAY, status="submitted")
        session.add_all([item, approved, waiting])
        await session.flush()
        acts = {
            "late": Activity(
                employee_id=siti.id,
                work_date=DAY,
                start_time=time(13),
                end_time=time(15, 30),
                minutes=150,
                description="Menyusun modul ajar pecahan",
                skp_item_id=item.id,
                submission_id=waiting.id,
                evidence={"items": [{"kind": "link", "url": "https://x"}]},
            ),
            "early": Activity(
                employee_id=siti.id,
                work_date=DAY,
                start_time=time(7, 30),
                end_time=time(9),
                minutes=90,
                description="Rapat koordinasi",
                submission_id=waiting.id,
            ),
            "untimed": Activity(
                employee_id=siti.id, work_date=DAY, minutes=30, description="Piket"
            ),
            "frozen": Activity(
                employee_id=siti.id,
                work_date=date(2026, 11, 20),
                start_time=time(8),
                end_time=time(9),
                minutes=60,
                description="Mengajar",
                submission_id=approved.id,
            ),
            "andi": Activity(employee_id=andi.id, work_date=DAY, minutes=60, description="Dapodik"),
        }
        session.add_all(acts.values())
        await session.flush()
        ids = {k: a.id for k, a in acts.items()}
        ids["siti"], ids["andi_emp"] = siti.id, andi.id
        return ids


async def test_day_view_orders_by_start_and_totals(db: Database) -> None:
    ids = await seed(db)
    async with db.session() as session:
        view = await day_entries(session, ids["siti"], DAY)
    assert [e.activity.id for e in view.entries] == [ids["early"], ids["late"], ids["untimed"]]
    assert [e.skp_title for e in view.entries] == [None, "Menyusun modul ajar", None]
    assert [e.has_evidence for e in view.entries] == [False, True, False]
    assert view.submission_status == "submitted"
    assert view.total_minutes == 270
    assert view.editable
    async with db.session() as session:
        frozen = await day_entries(session, ids["siti"], date(2026, 11, 20))
        empty = await day_entries(session, ids["siti"], date(2026, 11, 24))
    assert frozen.submission_status == "approved"
    assert [e.locked for e in frozen.entries] == [True]
    assert not frozen.editable
    assert (empty.entries, empty.submission_status, empty.total_minutes) == ([], None, 0)


async def test_edits_check_owner_and_approval(db: Database) -> None:
    ids = await seed(db)
    siti = ids["siti"]
    async with db.session() as session:
        assert await edit_description(session, siti, ids["andi"], "x") is EditResult.NOT_FOUND
        assert await edit_minutes(session, siti, 999_999, 30) is EditResult.NOT_FOUND
        assert await delete_entry(session, siti, ids["andi"]) is EditResult.NOT_FOUND
        assert await edit_description(session, siti, ids["frozen"], "x") is EditResult.LOCKED
        assert await edit_minutes(session, siti, ids["frozen"], 30) is EditResult.LOCKED
        assert await delete_entry(session, siti, ids["frozen"]) is EditResult.LOCKED
    async with db.session() as session:
        andi = await session.get(Activity, ids["andi"])
        frozen = await session.get(Activity, ids["frozen"])
        assert andi is not None and andi.description == "Dapodik"
        assert frozen is not None and frozen.minutes == 60


async def test_description_is_one_clean_line(db: Database) -> None:
    ids = await seed(db)
    async with db.session() as session:
        result = await edit_description(
            session, ids["siti"], ids["early"], "  Rapat koordinasi\n persiapan  ANBK "
        )
        assert result is EditResult.OK
        assert await edit_description(session, ids["siti"], ids["early"], " \n") is (
            EditResult.INVALID
        )
        assert await edit_description(session, ids["siti"], ids["early"], "x" * 501) is (
            EditResult.INVALID
        )
    async with db.session() as session:
        act = await session.get(Activity, ids["early"])
        assert act is not None and act.description == "Rapat koordinasi persiapan ANBK"


async def test_minutes_move_the_end_time(db: Database) -> None:
    ids = await seed(db)
    async with db.session() as session:
        assert await edit_minutes(session, ids["siti"], ids["early"], 120) is EditResult.OK
        assert await edit_minutes(session, ids["siti"], ids["untimed"], 45) is EditResult.OK
        assert await edit_minutes(session, ids["siti"], ids["late"], 0) is EditResult.INVALID
        # Issue 8 defect 6: 13:00 + 11 h 1 min runs past midnight: e-Kinerja has no such
        # entry, the user is told to report the rest on the next date
        assert await edit_minutes(session, ids["siti"], ids["late"], 661) is (
            EditResult.PAST_MIDNIGHT
        )
    async with db.session() as session:
        early = await session.get(Activity, ids["early"])
        untimed = await session.get(Activity, ids["untimed"])
        late = await session.get(Activity, ids["late"])
    assert early is not None and (early.minutes, early.end_time) == (120, time(9, 30))
    assert untimed is not None and (untimed.minutes, untimed.end_time) == (45, None)
    assert late is not None and (late.minutes, late.end_time) == (150, time(15, 30))
    async with db.session() as session:  # exactly to midnight: stored until 23:59
        assert await edit_minutes(session, ids["siti"], ids["late"], 660) is EditResult.OK
        late = await session.get(Activity, ids["late"])
        assert late is not None and (late.minutes, late.end_time) == (660, time(23, 59))


async def test_delete(db: Database) -> None:
    ids = await seed(db)
    async with db.session() as session:
        assert await delete_entry(session, ids["siti"], ids["untimed"]) is EditResult.OK
        assert await delete_entry(session, ids["siti"], ids["untimed"]) is EditResult.NOT_FOUND
    async with db.session() as session:
        view = await day_entries(session, ids["siti"], DAY)
    assert view.total_minutes == 240


def test_end_time() -> None:
    assert end_time(time(7, 30), 90) == time(9)
    assert end_time(time(23), 59) == time(23, 59)
    # Issue 8 defect 6: to midnight exactly is stored until 23:59; past it is no entry.
    assert end_time(time(23), 60) == time(23, 59)
    assert end_time(time(23), 61) is None
    assert end_time(time(0), 24 * 60) is None


TODAY = date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kemarin", date(2026, 11, 24)),
        ("hari ini", TODAY),
        ("Senin", date(2026, 11, 23)),
        ("rabu", TODAY),
        ("jumat", date(2026, 11, 20)),
        ("20/11", date(2026, 11, 20)),
        ("20-11-2026", date(2026, 11, 20)),
        ("1/2/25", date(2025, 2, 1)),
        ("31/11", None),
        ("besok pagi", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    now = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert parse_day(text, now, ZoneInfo("Asia/Jakarta")) == expected


def test_parse_day_uses_the_employee_zone() -> None:
    now = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)  # 23:30 WIB, 01:30 WIT next day
    assert parse_day("", now, ZoneInfo("Asia/Jakarta")) == date(2026, 11, 24)
    assert parse_day("", now, ZoneInfo("Asia/Jayapura")) == date(2026, 11, 25)
    assert parse_day("20/11", now, ZoneInfo("Asia/Jakarta")) == date(2026, 11, 20)
    assert local_today(now, "Asia/Makassar") == date(2026, 11, 25)
    assert local_today(now, "Not/AZone") == date(2026, 11, 24)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45", 45),
        ("1,5 jam", 90),
        ("1.5 hours", 90),
        ("2j", 120),
        ("1j 30m", 90),
        ("1 jam 15 menit", 75),
        ("90 menit", 90),
        ("lama", None),
        ("", None),
    ],
)
def test_durations(text: str, expected: int | None) -> None:
    assert parse_minutes(text) == expected


def test_a_page_of_long_entries_fits_one_telegram_message() -> None:
    from bot.entries import DayView, EntryView
    from handlers.entries import render_day

    entries = [
        EntryView(
            Activity(id=n, minutes=30, description="<b>" * 200, start_time=None, end_time=None),
            "S" * 500,
            locked=n == 1,
        )
        for n in range(1, 12)
    ]
    text, markup = render_day("id", DayView(DAY, entries, "submitted", 330), 0, 450)
    assert visible_length(text) < 4096 and "<b><b>" not in text
    assert markup is not None
    first_row = [b.text for b in markup.inline_keyboard[0]]
    assert first_row == ["✏️ 2", "🗑 2", "✏️ 3", "🗑 3"]  # approved entry 1 has none


def visible_length(text: str) -> int:
    """What Telegram counts against 4096: the text after HTML entity parsing."""
    import html
    import re

    return len(html.unescape(re.sub(r"<[^>]+>", "", text)))
