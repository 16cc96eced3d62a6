"""Warnings (vague text, no duration, overlap, >16 h) and realisasi quantities."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.parsing import (
    DAY_OVER_16H,
    DURATION_TOO_LONG,
    EMPTY_DESCRIPTION,
    FUTURE_DATE_IGNORED,
    GENERIC_DESCRIPTION,
    IMPOSSIBLE_DATE,
    NO_DURATION,
    OVERLAP,
    OVERNIGHT_LATER,
    OVERNIGHT_SPLIT,
    WARNING_CODES,
    parse_report,
)

NOW = datetime(2025, 11, 19, 16, 0)


@pytest.mark.parametrize(
    "text",
    [
        "melaksanakan tugas kedinasan",
        "kegiatan rutin",
        "tugas kantor",
        "lain-lain",
        "mengerjakan tugas",
        "kerja",
        "rapat",
        "koordinasi",
        "administrasi",
        "piket",
        "rapat dan koordinasi",
        "melakukan pekerjaan kantor",
    ],
)
def test_vague_descriptions(text: str) -> None:
    act = parse_report(f"{text} 2 jam", NOW).activities[0]
    assert GENERIC_DESCRIPTION in act.warnings


@pytest.mark.parametrize(
    "text",
    [
        "rapat evaluasi kurikulum",
        "koordinasi jadwal ANBK dengan proktor",
        "piket UKS",
        "mengoreksi ulangan harian IPA",
        "melaksanakan pembelajaran matematika kelas V materi pecahan",
    ],
)
def test_specific_descriptions(text: str) -> None:
    act = parse_report(f"{text} 2 jam", NOW).activities[0]
    assert GENERIC_DESCRIPTION not in act.warnings


def test_no_duration() -> None:
    result = parse_report("menyusun laporan bulanan puskesmas", NOW)
    assert result.activities[0].minutes is None
    assert result.warnings == (NO_DURATION,)


def test_overlap() -> None:
    result = parse_report(
        "08.00-10.00 pelayanan poli\n09.00-09.30 rapat lokmin\n10.00-11.00 RME", NOW
    )
    assert [OVERLAP in a.warnings for a in result.activities] == [True, True, False]
    assert OVERLAP in result.warnings


def test_touching_ranges_do_not_overlap() -> None:
    result = parse_report("08.00-10.00 pelayanan poli\n10.00-11.00 dokumentasi RME", NOW)
    assert OVERLAP not in result.warnings


def test_ranges_on_different_dates_do_not_overlap() -> None:
    result = parse_report(
        "kemarin 08.00-10.00 pelayanan poli\nhari ini 08.00-10.00 dokumentasi RME", NOW
    )
    assert OVERLAP not in result.warnings


def test_day_over_16h() -> None:
    result = parse_report("jaga IGD 12 jam\njaga persalinan 5 jam", NOW)
    assert DAY_OVER_16H in result.warnings
    result = parse_report("jaga IGD 12 jam\nkemarin jaga persalinan 5 jam", NOW)
    assert DAY_OVER_16H not in result.warnings


def test_message_warnings_are_the_union_in_first_seen_order() -> None:
    result = parse_report("menyusun laporan PWS KIA\nrapat 1 jam", NOW)
    assert result.warnings == (NO_DURATION, GENERIC_DESCRIPTION)


@pytest.mark.parametrize(
    ("text", "quantity", "unit"),
    [
        ("menyusun 25 dokumen SPJ 2 jam", 25, "dokumen"),
        ("memverifikasi 8 berkas usulan 2 jam", 8, "berkas"),
        ("mengoreksi 32 lembar jawaban 2 jam", 32, "lembar"),
        ("menginput 120 data siswa 2 jam", 120, "data"),
        ("melayani 12 pasien 2 jam", 12, "pasien"),
        ("penyuluhan kepada 30 peserta 2 jam", 30, "peserta"),
        ("mengoreksi 32 lembar jawaban 30 siswa 2 jam", 32, "lembar"),  # output wins
        ("merekap 1.250 data 2 jam", 1250, "data"),
        ("mengukur lahan 2,5 ha 2 jam", 2.5, "ha"),
        ("mengajar kelas 8 2 jam", None, None),
        ("membayar Rp 500.000 2 jam", None, None),
        ("rapat 2 jam", None, None),
        ("rapat tanggal 12 November 2 jam", None, None),
        ("ketuntasan 85 persen 2 jam", None, None),
    ],
)
def test_quantity(text: str, quantity: float | None, unit: str | None) -> None:
    act = parse_report(text, NOW).activities[0]
    assert (act.quantity, act.unit) == (quantity, unit)


def test_quantity_stays_in_description() -> None:
    act = parse_report("Memverifikasi 8 berkas usulan kenaikan pangkat 2 jam", NOW).activities[0]
    assert act.description == "Memverifikasi 8 berkas usulan kenaikan pangkat"


def test_per_item_words_are_not_units() -> None:
    act = parse_report("mengajar XII IPA 2 dan XII IPA 3 masing2 2 jam", NOW).activities[0]
    assert act.unit != "masing"


# Issue 7 defect 6 and issue 8 defect 6 (parser side): every warning has a code the chat
# can explain, and the parser says which codes it can emit.


@pytest.mark.parametrize(
    "text",
    [
        "besok rapat evaluasi kurikulum 1 jam",
        "Besok: menyusun laporan bulanan 2 jam",
        "tomorrow evaluation meeting 1 hour",
        "lusa rapat evaluasi kurikulum 1 jam",
    ],
)
def test_a_future_date_is_today_with_a_warning(text: str) -> None:
    result = parse_report(text, NOW)
    assert result.activities[0].work_date == NOW.date()
    assert FUTURE_DATE_IGNORED in result.warnings


@pytest.mark.parametrize(
    "text",
    [
        "tanggal 31 februari rapat evaluasi 1 jam",
        "tgl 30 Feb rapat evaluasi 1 jam",
        "31/4 rapat evaluasi 1 jam",
        "31-02-2025 rapat evaluasi 1 jam",
        "rapat evaluasi tanggal 31 april 1 jam",
    ],
)
def test_an_impossible_date_is_not_another_date(text: str) -> None:
    result = parse_report(text, NOW)
    (act,) = result.activities
    assert act.work_date == NOW.date()
    assert act.description == "Rapat evaluasi"
    assert IMPOSSIBLE_DATE in act.warnings and IMPOSSIBLE_DATE in result.warnings


def test_an_impossible_date_alone_on_a_header_line_is_reported() -> None:
    result = parse_report("Tanggal 31 April:\n- rapat evaluasi 1 jam", NOW)
    assert result.activities[0].work_date == NOW.date()
    assert IMPOSSIBLE_DATE in result.warnings


def _spans(text: str) -> list[tuple[date, int | None, time | None, time | None, tuple[str, ...]]]:
    return [
        (a.work_date, a.minutes, a.start, a.end, a.warnings)
        for a in parse_report(text, NOW).activities
    ]


def test_an_overnight_range_is_split_at_midnight() -> None:
    """Issue 8 defect 6: no activity ends at or before its start (e-Kinerja needs Jam Mulai
    before Jam Selesai on one Tanggal)."""
    yesterday, today = date(2025, 11, 18), NOW.date()
    assert _spans("kemarin 22.00-06.00 jaga malam IGD") == [
        (yesterday, 120, time(22, 0), time(23, 59), (OVERNIGHT_SPLIT,)),
        (today, 360, time(0, 0), time(6, 0), (OVERNIGHT_SPLIT,)),
    ]
    # Tonight: the next day has not come, only the part until midnight.
    assert _spans("23.00-01.00 ronda malam siskamling") == [
        (today, 60, time(23, 0), time(23, 59), (OVERNIGHT_LATER,)),
    ]
    # A start time and a duration past midnight, and a range ending at 24.00 (not split).
    assert _spans("kemarin mulai jam 23.00 ronda siskamling 2 jam") == [
        (yesterday, 60, time(23, 0), time(23, 59), (OVERNIGHT_SPLIT,)),
        (today, 60, time(0, 0), time(1, 0), (OVERNIGHT_SPLIT,)),
    ]
    assert _spans("kemarin 22.00-24.00 piket posko siaga") == [
        (yesterday, 120, time(22, 0), time(23, 59), ()),
    ]
    for text in ("kemarin 21.00-00.00 jaga posko", "jam 23 ronda siskamling 3 jam"):
        for _, _minutes, start, end, _ in _spans(text):
            assert start is not None and end is not None and end > start, text


def test_a_typed_duration_over_16_hours_is_flagged() -> None:
    (act,) = parse_report("rapat evaluasi kurikulum 17 jam", NOW).activities
    assert act.minutes == 1020
    assert act.warnings == (DURATION_TOO_LONG,)
    assert parse_report("jaga IGD 16 jam", NOW).warnings == ()


@pytest.mark.parametrize("text", ["& < > … 1 jam", "-- ... 2 jam", "8B 1 jam", "👍👍 30 menit"])
def test_a_description_without_words_is_flagged(text: str) -> None:
    (act,) = parse_report(text, NOW).activities
    assert act.warnings == (EMPTY_DESCRIPTION,)


_EMITTING: dict[str, str] = {
    GENERIC_DESCRIPTION: "rapat 1 jam",
    NO_DURATION: "menyusun laporan bulanan puskesmas",
    FUTURE_DATE_IGNORED: "besok rapat evaluasi kurikulum 1 jam",
    OVERLAP: "08.00-10.00 pelayanan poli umum\n09.00-09.30 rapat lokmin puskesmas",
    DAY_OVER_16H: "jaga IGD 12 jam\njaga persalinan 5 jam",
    IMPOSSIBLE_DATE: "tanggal 31 februari rapat evaluasi 1 jam",
    DURATION_TOO_LONG: "rapat evaluasi kurikulum 17 jam",
    EMPTY_DESCRIPTION: "& < > … 1 jam",
    OVERNIGHT_SPLIT: "kemarin 23.00-01.00 ronda malam siskamling",
    OVERNIGHT_LATER: "23.00-01.00 ronda malam siskamling",
}


def test_warning_codes_are_exactly_what_the_parser_emits() -> None:
    assert set(WARNING_CODES) == set(_EMITTING)
    assert len(WARNING_CODES) == len(set(WARNING_CODES))
    for code, text in _EMITTING.items():
        assert code in parse_report(text, NOW).warnings, code


@pytest.mark.parametrize(
    ("text", "quantity", "unit"),
    [
        ("met 3 staff and signed 12 letters 1 hour", 12, "letters"),
        ("trained 20 teachers 2 hours", 20, "teachers"),
    ],
)
def test_english_people_are_people_counts(text: str, quantity: float, unit: str) -> None:
    act = parse_report(text, NOW).activities[0]
    assert (act.quantity, act.unit) == (quantity, unit)


def test_rpt_is_rapat() -> None:
    assert GENERIC_DESCRIPTION in parse_report("rpt dinas 1 jam", NOW).warnings
