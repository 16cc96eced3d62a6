"""Warnings (vague text, no duration, overlap, >16 h) and realisasi quantities."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.parsing import (
    DAY_OVER_16H,
    GENERIC_DESCRIPTION,
    NO_DURATION,
    OVERLAP,
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
