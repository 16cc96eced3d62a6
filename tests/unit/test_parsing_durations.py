"""Durations and time ranges, including 12-hour readings in working context."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from bot.parsing import parse_duration_text, parse_report

NOW = datetime(2025, 11, 19, 16, 0)


def one(text: str) -> tuple[int | None, time | None, time | None]:
    acts = parse_report(text, NOW).activities
    assert len(acts) == 1, (text, acts)
    return acts[0].minutes, acts[0].start, acts[0].end


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("menyusun laporan 2 jam", 120),
        ("menyusun laporan 2,5 jam", 150),
        ("menyusun laporan 0.5 jam", 30),
        ("menyusun laporan 4jam", 240),
        ("menyusun laporan 1 jam 20 menit", 80),
        ("menyusun laporan 75 menit", 75),
        ("menyusun laporan 20 mnt", 20),
        ("menyusun laporan setengah jam", 30),
        ("menyusun laporan seperempat jam", 15),
        ("menyusun laporan satu setengah jam", 90),
        ("menyusun laporan dua jam", 120),
        ("menyusun laporan sebelas jam", 660),
        ("menyusun laporan tiga puluh menit", 30),
        ("menyusun laporan ± 1 jam", 60),
        ("menyusun laporan kurang lebih 3 jam", 180),
        ("menyusun laporan sejam", 60),
        ("mengajar IPA 2 x 40 menit", 80),
        ("mengajar IPA 3x35 menit", 105),
        ("menyusun laporan 1h45m", 105),
        ("menyusun laporan 2j 15m", 135),
        ("writing the report 3 hrs", 180),
        ("writing the report 45 min", 45),
        ("writing the report for 1.5 hours", 90),
        ("menyusun laporan 1/2 jam", 30),
        ("menyusun laporan 1 jam setengah", 90),
        ("piket jaga 24 jam", 1440),
    ],
)
def test_durations(text: str, minutes: int) -> None:
    assert one(text)[0] == minutes


@pytest.mark.parametrize(
    ("text", "start", "end", "minutes"),
    [
        ("rapat evaluasi 08.30-10.00", "08:30", "10:00", 90),
        ("rapat evaluasi 07:45 – 11:30", "07:45", "11:30", 225),
        ("rapat evaluasi pukul 14.00 s.d. 15.45", "14:00", "15:45", 105),
        ("rapat evaluasi jam 9 sampai jam 11", "09:00", "11:00", 120),
        ("mulai jam 10.00 selesai jam 11.30 rapat evaluasi", "10:00", "11:30", 90),
        ("rapat evaluasi pkl 9-11", "09:00", "11:00", 120),
        ("rapat evaluasi 10.00 - 11.00 WITA", "10:00", "11:00", 60),
        ("evaluation meeting 10am-12pm", "10:00", "12:00", 120),
        ("evaluation meeting 2pm to 4:15pm", "14:00", "16:15", 135),
        ("rapat evaluasi 13.00-14.30", "13:00", "14:30", 90),
        ("rapat evaluasi 1-3 siang", "13:00", "15:00", 120),
        ("rapat evaluasi jam 2-4 sore", "14:00", "16:00", 120),
        ("rapat evaluasi 11-1", "11:00", "13:00", 120),
        ("rapat evaluasi jam 2 siang sampai jam 5 sore", "14:00", "17:00", 180),
        ("rapat evaluasi jam 11 siang s.d. jam 1 siang", "11:00", "13:00", 120),
        ("rapat evaluasi jam 7 malam sampai jam 9 malam", "19:00", "21:00", 120),
        # Tonight past midnight: only the part until 24.00 (issue 8 defect 6).
        ("jaga malam 21.00-07.00", "21:00", "23:59", 180),
        ("rapat evaluasi 9-11", "09:00", "11:00", 120),
        ("08.00-10.00 (2 jam) rapat evaluasi", "08:00", "10:00", 120),
    ],
)
def test_ranges(text: str, start: str, end: str, minutes: int) -> None:
    got_minutes, got_start, got_end = one(text)
    assert got_start is not None and got_start.strftime("%H:%M") == start
    assert got_end is not None and got_end.strftime("%H:%M") == end
    assert got_minutes == minutes


@pytest.mark.parametrize(
    ("text", "start"),
    [("rapat evaluasi jam 2 siang", "14:00"), ("rapat evaluasi jam 3 sore", "15:00"),
     ("rapat evaluasi jam 7 malam", "19:00"), ("rapat evaluasi jam 11 siang", "11:00"),
     ("rapat evaluasi pukul 08.00", "08:00"), ("rapat evaluasi jam 1 siang", "13:00")],
)  # fmt: skip
def test_clock_times_start_only(text: str, start: str) -> None:
    minutes, got_start, _ = one(text)
    assert got_start is not None and got_start.strftime("%H:%M") == start
    assert minutes is None


def test_start_time_plus_duration_gives_end() -> None:
    minutes, start, end = one("rapat evaluasi jam 9 selama 2 jam")
    assert (minutes, start, end) == (120, time(9, 0), time(11, 0))


def test_schedule_list_ends_at_the_next_start() -> None:
    acts = parse_report(
        "07.30 apel pagi\n08.00 mengajar kelas 7A\n10.00 rapat guru", NOW
    ).activities
    assert [a.minutes for a in acts] == [30, 120, None]
    assert acts[1].end == time(10, 0)


def test_range_is_not_a_duration_of_its_numbers() -> None:
    assert one("rapat 2-3 jam")[0] == 180  # a duration range, not 02:00-03:00


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1,5 jam", 90),
        ("90 menit", 90),
        ("1j30m", 90),
        ("2 jam 15 menit", 135),
        ("setengah jam", 30),
        ("09.00-10.30", 90),
        ("2", 120),
        ("45", 45),
        ("banyak", None),
        ("30 jam", None),
    ],
)
def test_parse_duration_text(text: str, minutes: int | None) -> None:
    assert parse_duration_text(text) == minutes


MON_NOV23 = datetime(2026, 11, 23, 16, 0)  # Monday, 16:00 WIB


def _acts(text: str) -> list[tuple[str, str | None, str | None, int | None, str]]:
    return [
        (
            a.work_date.isoformat(),
            a.start.strftime("%H:%M") if a.start else None,
            a.end.strftime("%H:%M") if a.end else None,
            a.minutes,
            a.description,
        )
        for a in parse_report(text, MON_NOV23).activities
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "yesterday 9-11 meeting with principal, then 1pm-3pm grading exams",
            [
                ("2026-11-22", "09:00", "11:00", 120, "Meeting with principal"),
                ("2026-11-22", "13:00", "15:00", 120, "Grading exams"),
            ],
        ),
        (
            "kemarin 8-10 rapat dinas, lalu 13.00-14.30 mengoreksi ulangan",
            [
                ("2026-11-22", "08:00", "10:00", 120, "Rapat dinas"),
                ("2026-11-22", "13:00", "14:30", 90, "Mengoreksi ulangan"),
            ],
        ),
        ("kemarin 9-11 rapat", [("2026-11-22", "09:00", "11:00", 120, "Rapat")]),
        (
            "Senin 13-15 rapat evaluasi",
            [("2026-11-23", "13:00", "15:00", 120, "Rapat evaluasi")],
        ),
        (
            "Jumat 1-3 mengoreksi ulangan",  # working context: the afternoon
            [("2026-11-20", "13:00", "15:00", 120, "Mengoreksi ulangan")],
        ),
        (
            "tadi pagi 7-9 apel dan pembinaan pegawai",
            [("2026-11-23", "07:00", "09:00", 120, "Apel dan pembinaan pegawai")],
        ),
        (
            "hari ini 8-12 pelayanan poli umum",
            [("2026-11-23", "08:00", "12:00", 240, "Pelayanan poli umum")],
        ),
        (
            "yesterday 10-12 teaching grade 8, then 1-2 checking homework",
            [
                ("2026-11-22", "10:00", "12:00", 120, "Teaching grade 8"),
                ("2026-11-22", "13:00", "14:00", 60, "Checking homework"),
            ],
        ),
        (
            "kemarin 8-10 penyuluhan poktan, kemudian 13-15 pengamatan OPT",
            [
                ("2026-11-22", "08:00", "10:00", 120, "Penyuluhan poktan"),
                ("2026-11-22", "13:00", "15:00", 120, "Pengamatan OPT"),
            ],
        ),
    ],
)
def test_bare_range_after_a_leading_date_word(
    text: str, expected: list[tuple[str, str | None, str | None, int | None, str]]
) -> None:
    assert _acts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "mengajar kelas 9-11",  # a class list, not a time
        "kemarin membagikan rapor 9-11 siswa",  # a count of pupils
        "kemarin rapat RT 9-11",  # not right after the date word
    ],
)
def test_bare_range_elsewhere_is_not_a_time(text: str) -> None:
    act = parse_report(text, MON_NOV23).activities[0]
    assert act.start is None and act.minutes is None


def test_an_end_time_alone_is_not_a_start() -> None:
    act = parse_report("kemarin lembur sampai jam 8 malam menyelesaikan LPJ dana BOS", MON_NOV23)
    (a,) = act.activities
    assert (a.start, a.minutes) == (None, None)
    assert a.description == "Lembur sampai jam 8 malam menyelesaikan LPJ dana BOS"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("koreksi tugas kelas 7B, 2 jam 30 menit", 150),
        ("koreksi tugas kelas 7B, 1 jam 15 mnt", 75),
        ("mengajar kelas 7A, 7B 2 jam 30 menit", 150),
        ("piket ruang 3, 1 jam 30 menit", 90),
        ("mengajar kelas 5 jam 10-12", 120),
    ],
)
def test_compound_duration_after_a_class_name_and_a_comma(text: str, minutes: int) -> None:
    """Issue 7 defect 20: "kelas 7B, 2 jam 30 menit" lost its hours (read as class "2")."""
    assert parse_report(text, NOW).activities[0].minutes == minutes
