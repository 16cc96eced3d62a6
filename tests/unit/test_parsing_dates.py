"""Date rules: relative words, weekdays, tgl N, numeric and named dates, scope, future."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.parsing import FUTURE_DATE_IGNORED, parse_date_text, parse_report

WED = datetime(2025, 11, 19, 15, 0)  # Wednesday
MON = datetime(2025, 11, 17, 8, 0)  # Monday
JAN5 = datetime(2026, 1, 5, 8, 0)  # Monday after New Year


def first_date(text: str, now: datetime = WED, tz: str = "Asia/Jakarta") -> date:
    result = parse_report(text, now, tz)
    assert result.activities, text
    return result.activities[0].work_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rapat evaluasi 2 jam", date(2025, 11, 19)),
        ("hari ini rapat evaluasi 2 jam", date(2025, 11, 19)),
        ("tadi siang rapat evaluasi 2 jam", date(2025, 11, 19)),
        ("kemarin rapat evaluasi 2 jam", date(2025, 11, 18)),
        ("kmrn rapat evaluasi 2 jam", date(2025, 11, 18)),
        ("kemarin lusa rapat evaluasi 2 jam", date(2025, 11, 17)),
        ("3 hari yang lalu rapat evaluasi 2 jam", date(2025, 11, 16)),
        ("empat hari lalu rapat evaluasi 2 jam", date(2025, 11, 15)),
        ("yesterday evaluation meeting 2 hours", date(2025, 11, 18)),
        ("today evaluation meeting 2 hours", date(2025, 11, 19)),
        ("2 days ago evaluation meeting 2 hours", date(2025, 11, 17)),
    ],
)
def test_relative_words(text: str, expected: date) -> None:
    assert first_date(text) == expected


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("Senin rapat evaluasi 2 jam", WED, date(2025, 11, 17)),
        ("Rabu rapat evaluasi 2 jam", WED, date(2025, 11, 19)),  # today is Wednesday
        ("Rabu lalu rapat evaluasi 2 jam", WED, date(2025, 11, 12)),  # strictly before
        ("hari Kamis rapat evaluasi 2 jam", WED, date(2025, 11, 13)),
        ("Jumat kemarin rapat evaluasi 2 jam", MON, date(2025, 11, 14)),
        ("Jum'at rapat evaluasi 2 jam", MON, date(2025, 11, 14)),
        ("Jumat lalu: rapat evaluasi 2 jam", JAN5, date(2026, 1, 2)),
        ("Senin lalu rapat evaluasi 2 jam", JAN5, date(2025, 12, 29)),
        ("hari minggu bakti sosial 3 jam", WED, date(2025, 11, 16)),
        ("last Monday evaluation meeting 2 hours", MON, date(2025, 11, 10)),
        ("Tuesday evaluation meeting 2 hours", WED, date(2025, 11, 18)),
    ],
)
def test_weekdays(text: str, now: datetime, expected: date) -> None:
    assert first_date(text, now) == expected


@pytest.mark.parametrize(
    "text",
    [
        "minggu ini rapat evaluasi 2 jam",
        "minggu lalu rapat evaluasi 2 jam",
        "rapat evaluasi mingguan 2 jam",
    ],
)
def test_minggu_as_week_is_not_sunday(text: str) -> None:
    assert first_date(text) == date(2025, 11, 19)


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        ("tgl 10 rapat evaluasi 2 jam", WED, date(2025, 11, 10)),
        ("tanggal 25 rapat evaluasi 2 jam", WED, date(2025, 10, 25)),  # 25 Nov is ahead
        ("tgl 31 rapat evaluasi 2 jam", JAN5, date(2025, 12, 31)),
        ("18/11 rapat evaluasi 2 jam", WED, date(2025, 11, 18)),
        ("18/11/25 rapat evaluasi 2 jam", WED, date(2025, 11, 18)),
        ("18/11/2025 rapat evaluasi 2 jam", WED, date(2025, 11, 18)),
        ("18-11-2025 rapat evaluasi 2 jam", WED, date(2025, 11, 18)),
        ("18.11.2025 rapat evaluasi 2 jam", WED, date(2025, 11, 18)),
        ("18 November rapat evaluasi 2 jam", WED, date(2025, 11, 18)),
        ("18 Nop 2025 rapat evaluasi 2 jam", WED, date(2025, 11, 18)),
        ("3 Okt rapat evaluasi 2 jam", WED, date(2025, 10, 3)),
        ("14 Peb rapat evaluasi 2 jam", WED, date(2025, 2, 14)),
        ("5 Agt rapat evaluasi 2 jam", WED, date(2025, 8, 5)),
        ("5 Sept rapat evaluasi 2 jam", WED, date(2025, 9, 5)),
        ("November 18, 2025 evaluation meeting 2 hours", WED, date(2025, 11, 18)),
        ("30/12 rekap akhir tahun 3 jam", JAN5, date(2025, 12, 30)),  # year boundary
        ("31 Des rekap akhir tahun 3 jam", JAN5, date(2025, 12, 31)),
    ],
)
def test_explicit_dates_are_day_first(text: str, now: datetime, expected: date) -> None:
    assert first_date(text, now) == expected


def test_month_without_day_is_not_a_date() -> None:
    assert first_date("menyusun laporan bulan Oktober 2 jam") == date(2025, 11, 19)
    assert first_date("rekap periode September 2025 2 jam") == date(2025, 11, 19)


def test_future_date_inside_text_is_just_text() -> None:
    result = parse_report("Menyiapkan undangan rapat 30 Desember 1 jam", WED)
    act = result.activities[0]
    assert act.work_date == date(2025, 11, 19)
    assert "30 Desember" in act.description
    assert FUTURE_DATE_IGNORED not in result.warnings


def test_future_header_date_is_ignored_with_warning() -> None:
    result = parse_report("30/12:\n- menyiapkan bahan paparan anggaran 1 jam", WED)
    assert result.activities[0].work_date == date(2025, 11, 19)
    assert FUTURE_DATE_IGNORED in result.warnings


def test_future_leading_date_is_ignored_with_warning() -> None:
    result = parse_report("25/11 menyiapkan bahan paparan anggaran 1 jam", WED)
    assert result.activities[0].work_date == date(2025, 11, 19)
    assert FUTURE_DATE_IGNORED in result.activities[0].warnings


def test_header_scope_applies_until_next_header() -> None:
    text = (
        "Senin, 17 Nov:\n- rapat evaluasi 1 jam\n- menyusun laporan 2 jam\n"
        "Selasa 18/11\n- verifikasi berkas 3 jam\n"
        "Hari ini:\n- mengajar kelas 7 2 jam"
    )
    dates = [a.work_date.day for a in parse_report(text, WED).activities]
    assert dates == [17, 17, 18, 19]


def test_a_date_opening_a_line_dates_the_lines_below_until_another_date() -> None:
    # Issue 7 defect 19: "kemarin …" opens the message, so it dates what follows.
    text = "kemarin rapat evaluasi 2 jam\nmenyusun laporan bulanan 1 jam"
    dates = [a.work_date.day for a in parse_report(text, WED).activities]
    assert dates == [18, 18]
    text = "kemarin rapat evaluasi 2 jam\nhari ini menyusun laporan 1 jam\nverval PD 1 jam"
    dates = [a.work_date.day for a in parse_report(text, WED).activities]
    assert dates == [18, 19, 19]


def test_explicit_date_wins_over_relative_word() -> None:
    assert first_date("tgl 17 kemarin rapat evaluasi 2 jam") == date(2025, 11, 17)


def test_time_zone_decides_today() -> None:
    utc_late = datetime(2025, 11, 19, 18, 30, tzinfo=UTC)  # 01:30 next day WIB
    assert first_date("rapat evaluasi 2 jam", utc_late) == date(2025, 11, 20)
    assert first_date("rapat evaluasi 2 jam", utc_late, "Asia/Jayapura") == date(2025, 11, 20)
    utc_early = datetime(2025, 11, 19, 16, 30, tzinfo=UTC)  # 23:30 WIB, 01:30 WIT
    assert first_date("rapat evaluasi 2 jam", utc_early) == date(2025, 11, 19)
    assert first_date("rapat evaluasi 2 jam", utc_early, "Asia/Jayapura") == date(2025, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kemarin", date(2025, 11, 18)),
        ("20/11", None),  # tomorrow: never a work date
        ("18/11", date(2025, 11, 18)),
        ("Senin", date(2025, 11, 17)),
        ("hari ini", date(2025, 11, 19)),
        ("3 November 2025", date(2025, 11, 3)),
        ("besok", None),
        ("tidak tahu", None),
    ],
)
def test_parse_date_text(text: str, expected: date | None) -> None:
    assert parse_date_text(text, WED) == expected


# Issue 7 defect 19, the corrected rule: a date that opens a message or a line dates every
# activity after it (across ",", ";", "dan", "lalu", "terus", "habis itu"…) until another
# date appears; a date written after an activity's own text has begun is that one's only.
MON_NOV23 = datetime(2026, 11, 23, 16, 0)  # Monday, 16:00 WIB
SUN, FRI, MON = "2026-11-22", "2026-11-20", "2026-11-23"


def _dates(text: str, now: datetime = MON_NOV23) -> list[str]:
    return [a.work_date.isoformat() for a in parse_report(text, now).activities]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kemarin rapat koordinasi 1,5 jam; 13.00-15.30 menyusun modul ajar", [SUN, SUN]),
        ("kemarin rapat evaluasi 2 jam, mengoreksi ulangan 1 jam", [SUN, SUN]),
        ("kemarin rapat evaluasi 2 jam dan mengoreksi ulangan 1 jam", [SUN, SUN]),
        ("kemarin rapat evaluasi 2 jam, lalu mengoreksi ulangan 1 jam", [SUN, SUN]),
        ("kemarin rapat evaluasi 2 jam kemudian mengoreksi ulangan 1 jam", [SUN, SUN]),
        ("kemarin rapat evaluasi 2 jam setelah itu mengoreksi ulangan 1 jam", [SUN, SUN]),
        ("kemarin rapat evaluasi 2 jam terus mengoreksi ulangan 1 jam", [SUN, SUN]),
        ("kmrn rapat evaluasi 2 jam habis itu mengoreksi ulangan 1 jam", [SUN, SUN]),
        ("yesterday evaluation meeting 2 hours then grading exams 1 hour", [SUN, SUN]),
        ("yesterday evaluation meeting 2 hours and grading exams 1 hour", [SUN, SUN]),
        ("tgl 20 rapat evaluasi 2 jam; mengoreksi ulangan 1 jam, verval PD 1 jam", [FRI] * 3),
        ("Senin: rapat evaluasi 2 jam, mengoreksi ulangan 1 jam", [MON, MON]),
        # Until another date appears: a later part's own date is that part's…
        ("Jumat rapat evaluasi 2 jam; kemarin mengoreksi ulangan 1 jam", [FRI, SUN]),
        (
            "Jumat rapat evaluasi 2 jam; kemarin mengoreksi ulangan 1 jam; verval PD 1 jam",
            [FRI, SUN, FRI],
        ),
        # …and a date inside an activity's own text is that activity's only.
        ("rapat evaluasi 2 jam; kemarin mengoreksi ulangan 1 jam", [MON, SUN]),
        ("rapat evaluasi 2 jam, lalu Jumat mengoreksi ulangan 1 jam", [MON, FRI]),
        ("rapat evaluasi kemarin 2 jam, mengoreksi ulangan 1 jam", [SUN, MON]),
        ("rapat evaluasi 2 jam kemarin; mengoreksi ulangan 1 jam", [SUN, MON]),
        # Without a split, one activity: the date is its own.
        ("kemarin rapat koordinasi dan evaluasi 2 jam", [SUN]),
    ],
)
def test_a_leading_date_dates_every_activity_after_it(text: str, expected: list[str]) -> None:
    assert _dates(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A header line ending with ":" scopes every activity below, split or not.
        (
            "Senin, 16 Nov:\nrapat evaluasi 1 jam; mengoreksi ulangan 2 jam\n"
            "verifikasi berkas 1 jam",
            ["2026-11-16"] * 3,
        ),
        # A date on its own line too.
        ("kemarin\nrapat evaluasi 1 jam, lalu mengoreksi ulangan 2 jam", ["2026-11-22"] * 2),
        # A "Kemarin:" prefix is a header for the rest of the line and the lines below.
        (
            "Kemarin: rapat evaluasi 1 jam, lalu mengoreksi ulangan 2 jam\nverval PD 1 jam",
            ["2026-11-22"] * 3,
        ),
        # Inside the scope, a part's own date still wins for that part only.
        (
            "Jumat:\nrapat evaluasi 1 jam; kemarin mengoreksi ulangan 2 jam; verval PD 1 jam",
            ["2026-11-20", "2026-11-22", "2026-11-20"],
        ),
    ],
)
def test_header_dates_still_scope_split_lines(text: str, expected: list[str]) -> None:
    assert _dates(text) == expected


def test_two_sessions_of_one_activity_share_its_date() -> None:
    acts = parse_report("kemarin 07.00-08.30 dan 10.15-11.45 mengawas ujian", MON_NOV23).activities
    assert [a.work_date.isoformat() for a in acts] == ["2026-11-22", "2026-11-22"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A date followed straight by the first time opens a timed schedule: it stands
        # before every activity of the line (not inside the first), so it dates them all…
        (
            "yesterday 9-11 meeting with principal, then 1pm-3pm grading exams",
            ["2026-11-22", "2026-11-22"],
        ),
        (
            "kemarin 08.00-10.00 rapat evaluasi; 13.00-15.30 menyusun modul ajar",
            ["2026-11-22", "2026-11-22"],
        ),
        (
            "Jumat, 9-11 rapat evaluasi, lalu 13-15 mengoreksi ulangan",
            ["2026-11-20", "2026-11-20"],
        ),
        # …and the lines below, until another date appears.
        (
            "kemarin 08.00-10.00 rapat evaluasi, 13.00-15.30 menyusun modul ajar\nverval PD 1 jam",
            ["2026-11-22", "2026-11-22", "2026-11-22"],
        ),
        # A part's own date still wins.
        (
            "kemarin 08.00-10.00 rapat evaluasi, lalu hari ini 13.00-15.30 menyusun modul ajar",
            ["2026-11-22", "2026-11-23"],
        ),
        # A duration after the date: the date still opens the line.
        (
            "kemarin 2 jam rapat evaluasi; 13.00-15.30 menyusun modul ajar",
            ["2026-11-22", "2026-11-22"],
        ),
    ],
)
def test_a_leading_date_of_a_timed_schedule_dates_the_whole_line(
    text: str, expected: list[str]
) -> None:
    assert _dates(text) == expected


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("yesterday afternoon 2-4pm audit of petty cash", "Audit of petty cash"),
        ("yesterday morning patient triage 3 hours", "Patient triage"),
        ("kemarin sore rapat koordinasi stunting 2 jam", "Rapat koordinasi stunting"),
    ],
)
def test_period_after_a_date_word_is_part_of_it(text: str, description: str) -> None:
    (act,) = parse_report(text, MON_NOV23).activities
    assert act.work_date == date(2026, 11, 22)
    assert act.description == description
