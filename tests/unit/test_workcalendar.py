"""The work calendar's pure parts: package holidays, free-text days and ranges, hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.workcalendar import (
    Calendar,
    RangeError,
    RangeSpec,
    UnitChoiceError,
    choose_unit,
    due_window,
    package_holidays,
    parse_clock,
    parse_range,
    parse_when,
    resolve_range,
    work_end,
)
from storage.db import Database
from storage.models import Unit

FRIDAY = date(2026, 11, 27)


def test_2026_has_the_national_holidays_and_the_cuti_bersama() -> None:
    days = package_holidays(2026)
    national = [d for d, _, k in days if k == "national"]
    bersama = {d: n for d, n, k in days if k == "cuti_bersama"}
    assert len(set(national)) == 17 and len(bersama) == 8
    assert bersama[date(2026, 12, 24)] == "Cuti Bersama Hari Raya Natal"
    assert (date(2026, 8, 17), "Hari Kemerdekaan Republik Indonesia", "national") in days


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("besok", RangeSpec(date(2026, 11, 28), date(2026, 11, 28))),
        ("24 Des", RangeSpec(date(2026, 12, 24), date(2026, 12, 24))),
        ("29-31 Des", RangeSpec(date(2026, 12, 29), date(2026, 12, 31))),
        ("24-26 Nov", RangeSpec(date(2026, 11, 24), date(2026, 11, 26))),
        ("24 Des - 2 Jan", RangeSpec(date(2026, 12, 24), date(2027, 1, 2))),
        ("3 hari mulai senin", RangeSpec(date(2026, 11, 30), workdays=3)),
        ("tiga hari mulai besok", RangeSpec(date(2026, 11, 28), workdays=3)),
        ("mulai 1 Des 5 hari", RangeSpec(date(2026, 12, 1), workdays=5)),
        ("2 Jan", RangeSpec(date(2027, 1, 2), date(2027, 1, 2))),
        ("Jumat depan", RangeSpec(date(2026, 12, 4), date(2026, 12, 4))),
        ("24/12", RangeSpec(date(2026, 12, 24), date(2026, 12, 24))),
        # QA defect 7: the English forms ("to" inside "tomorrow", "sd" inside "wednesday").
        ("tomorrow", RangeSpec(date(2026, 11, 28), date(2026, 11, 28))),
        ("next monday", RangeSpec(date(2026, 11, 30), date(2026, 11, 30))),
        ("next friday", RangeSpec(date(2026, 12, 4), date(2026, 12, 4))),
        ("wednesday", RangeSpec(date(2026, 12, 2), date(2026, 12, 2))),
        ("tomorrow to wednesday", RangeSpec(date(2026, 11, 28), date(2026, 12, 2))),
        ("3 days from monday", RangeSpec(date(2026, 11, 30), workdays=3)),
        ("29-31 Dec", RangeSpec(date(2026, 12, 29), date(2026, 12, 31))),
        ("1 s.d. 3 Des", RangeSpec(date(2026, 12, 1), date(2026, 12, 3))),
        ("kapan-kapan saja", None),
        ("", None),
        ("31 Feb", None),
    ],
)
def test_ranges_in_free_text(text: str, expected: RangeSpec | None) -> None:
    assert parse_range(text, FRIDAY) == expected


def weekdays_only(day: date) -> bool:
    return day.weekday() < 5


def test_resolving_ranges_counts_workdays_and_rejects_bad_ones() -> None:
    # "3 hari mulai besok" on a Friday: Saturday is skipped, Mon-Wed
    spec = parse_range("3 hari mulai besok", FRIDAY)
    assert resolve_range(spec, weekdays_only) == (date(2026, 11, 30), date(2026, 12, 2), 3)
    assert resolve_range(parse_range("24-26 Nov", FRIDAY), weekdays_only)[2] == 3
    for text, code in [
        ("kapan-kapan", "unparseable"),
        ("1 Jan 2027 - 31 Mei 2027", "too_long"),
        ("61 hari mulai senin", "too_long"),
        ("28-29 Nov", "no_workdays"),
    ]:
        with pytest.raises(RangeError) as err:
            resolve_range(parse_range(text, FRIDAY), weekdays_only)
        assert err.value.code == code, text


def test_a_holiday_inside_a_leave_range_is_not_a_leave_day() -> None:
    cal = Calendar(date(2026, 12, 1), date(2026, 12, 31))
    cal.national[date(2026, 12, 24)] = ("cuti_bersama", "Cuti Bersama Natal")
    cal.national[date(2026, 12, 25)] = ("national", "Natal")
    start, end, days = resolve_range(
        parse_range("4 hari mulai 23 Des", FRIDAY), lambda d: cal.office_workday(d)
    )
    assert (start, end, days) == (date(2026, 12, 23), date(2026, 12, 30), 4)


def test_local_days_apply_to_sub_units_and_zones_inherit_down_the_tree() -> None:
    cal = Calendar(date(2026, 12, 1), date(2026, 12, 31))
    cal.parents = {1: None, 2: 1, 3: 2, 4: None}
    cal.unit_zones = {1: "Asia/Makassar", 2: None, 3: None, 4: None}
    cal.local[date(2026, 12, 2)] = {2: "Rapat kerja"}
    off = cal.day_off(date(2026, 12, 2), unit_id=3)
    assert off is not None and off.reason == "local" and off.name == "Rapat kerja"
    assert cal.day_off(date(2026, 12, 2), unit_id=1) is None  # the parent is not below
    assert cal.subunits(1) == {1, 2, 3}
    assert str(cal.zone(None, 3, "Asia/Jakarta")) == "Asia/Makassar"  # None: the unit's
    assert str(cal.zone("Asia/Jayapura", 3, "Asia/Jakarta")) == "Asia/Jayapura"  # own wins
    # An own choice of the default's zone wins too (it used to mean "follow the unit").
    assert str(cal.zone("Asia/Jakarta", 3, "Asia/Jakarta")) == "Asia/Jakarta"
    assert str(cal.zone(None, 4, "Asia/Jakarta")) == "Asia/Jakarta"
    assert str(cal.zone(None, None, "Asia/Makassar")) == "Asia/Makassar"


def test_working_hours_end_and_the_reminder_window() -> None:
    assert work_end(date(2026, 12, 3)) == time(16, 0)  # Thursday
    assert work_end(date(2026, 12, 4)) == time(16, 30)  # Friday: 90-minute break
    assert due_window(date(2026, 12, 3), time(15, 30)) == (time(15, 30), time(16, 0))
    assert due_window(date(2026, 12, 3), time(17, 0)) == (time(17, 0), time(18, 0))


def test_clock_times_and_moments() -> None:
    assert parse_clock("15.30") == time(15, 30)
    assert parse_clock("jam 8") == time(8, 0)
    assert parse_clock("16:15 WITA") == time(16, 15)
    assert parse_clock("25.00") is None and parse_clock("besok") is None
    from zoneinfo import ZoneInfo

    now = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    wita = ZoneInfo("Asia/Makassar")
    assert parse_when("besok 08.00", now, wita) == datetime(2026, 11, 28, 8, 0, tzinfo=wita)
    assert parse_when("24 Des jam 9", now, wita) == datetime(2026, 12, 24, 9, 0, tzinfo=wita)
    assert parse_when("sekarang", now, wita) == now
    assert parse_when("nanti saja", now, wita) is None


async def test_choose_unit_for_libur(db: Database) -> None:
    """By name or path suffix, case and spacing ignored; an admin of the whole instansi
    (no unit) may choose any unit or everyone, and must use the path for a shared name."""
    now = datetime(2026, 11, 27, 2, tzinfo=UTC)
    async with db.session() as s:
        top = Unit(name="Dinas Pendidikan")
        other = Unit(name="Dinas Kesehatan")
        s.add_all([top, other])
        await s.flush()
        a = Unit(name="SD Negeri 1", parent_id=top.id)
        b = Unit(name="SD Negeri 1", parent_id=other.id)
        s.add_all([a, b])
        await s.flush()
        assert await choose_unit(s, None, "semua", now) == (None, None)
        with pytest.raises(UnitChoiceError) as err:
            await choose_unit(s, None, "SD Negeri 1", now)
        assert err.value.code == "ambiguous_unit"
        assert err.value.paths == [
            "Dinas Kesehatan > SD Negeri 1",
            "Dinas Pendidikan > SD Negeri 1",
        ]
        assert await choose_unit(s, None, "dinas  pendidikan > sd negeri 1", now) == (
            a.id,
            "Dinas Pendidikan > SD Negeri 1",
        )
        assert (await choose_unit(s, top.id, "SD Negeri 1", now))[0] == a.id  # only one below
        for admin_unit, text, code in (
            (top.id, "Dinas Kesehatan", "unit_not_allowed"),
            (a.id, "Dinas Pendidikan", "unit_not_allowed"),  # above the admin's unit
            (top.id, "semua", "unit_not_allowed"),
            (None, "SMP 3", "unknown_unit"),
        ):
            with pytest.raises(UnitChoiceError) as err:
                await choose_unit(s, admin_unit, text, now)
            assert err.value.code == code, text
