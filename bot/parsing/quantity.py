"""Realisasi quantity and satuan ("25 dokumen", "8 berkas", "2,5 ha").

e-Kinerja realisasi is a count of outputs, and for service work (puskesmas, penyuluhan,
kepegawaian) the count of people served is the usual realisasi ("38 pasien",
"25 orang"). So people counts are quantities too, but an output count in the same text
wins: "mengoreksi 32 lembar jawaban 30 siswa" gives 32 lembar. Within each kind the first
one counts. Numbers already read as class/room/date/time/money/duration never count.
"""

from __future__ import annotations

import re
from typing import Final

from bot.parsing.dates import MONTHS
from bot.parsing.spans import Occupied, digit_runs
from bot.parsing.vague import STOPWORDS

_QTY: Final = re.compile(
    r"(?<![\w.,/-])(?P<num>\d{1,3}(?:\.\d{3})+(?![\d,])|\d+(?:[.,]\d+)?)\s+(?P<unit>[a-z][a-z'-]*)"
)
_NOT_UNITS: Final = (
    frozenset(
        """
        x kali kelas jam jm menit mnt hari hr minggu bulan bln tahun thn hst persen derajat wib
        wita wit am pm s sd sampai hingga jp detik dtk hours hour hrs minutes mins min days day
        weeks months years ke- masing masing-masing masing2 tiap setiap per
        """.split()
    )
    | STOPWORDS
    | frozenset(MONTHS)
)
PERSON_UNITS: Final = frozenset(
    """
    siswa murid peserta orang org pasien ibu bayi balita anak guru pegawai asn pns pppk petani
    warga lansia pengunjung mahasiswa kk jiwa responden kader tamu akseptor bumil pasangan
    students student employees employee people participants patients patient bidan perawat
    dokter pelamar penerima keluarga remaja pemuda pelajar calon nasabah penduduk wajib
    staff teachers teacher farmers speakers mothers babies toddlers residents members
    """.split()
)


#: English output nouns that head a compound unit: "30 exam papers" is 30 "exam papers",
#: never 30 "exam" (issue 7 defects 3 and 8).
_ENGLISH_HEADS: Final = frozenset(
    """
    papers paper sheets sheet scripts plans plan files documents forms reports letters records
    books copies items pages certificates slips booklets cards proposals modules worksheets
    """.split()
)
_NEXT_WORD: Final = re.compile(r"\s+([a-z]+)\b")
_THOUSANDS: Final = re.compile(r"\d{1,3}(?:\.\d{3})+")


def _number(raw: str) -> float:
    if raw.isdigit():
        return float(raw)
    if "." in raw and _THOUSANDS.fullmatch(raw):
        return float(raw.replace(".", ""))
    return float(raw.replace(",", "."))


def find_quantity(low: str, occupied: Occupied, start: int, end: int) -> tuple[float, str] | None:
    """(quantity, unit) of ``low[start:end]`` ignoring claimed ranges, or None."""
    first_person: tuple[float, str] | None = None
    claimed = occupied.spans
    for run_start, run_end in digit_runs(low):
        if run_start < start or run_start >= end:
            continue
        covered = False
        for s, e in claimed:  # inline ``occupied.end_of(run_start) is not None``
            if s <= run_start < e:
                covered = True
                break
        after = low[run_end : run_end + 1]
        if covered or not (after == " " or after in ".," or after.isspace()):
            continue  # a quantity's digits are followed by its unit (after a space) or ".250"
        m = _QTY.match(low, run_start, end)
        if m is None or not occupied.free(m.start("num"), m.end("num")):
            continue
        unit = m["unit"].strip("'-")
        if not unit or unit in _NOT_UNITS or len(unit) < 2:
            continue
        value = _number(m["num"])
        if value <= 0:
            continue
        if unit in PERSON_UNITS:
            first_person = first_person or (value, unit)
            continue
        head = _NEXT_WORD.match(low, m.end(), end)
        if head is not None and head[1] in _ENGLISH_HEADS and unit not in _ENGLISH_HEADS:
            return value, f"{unit} {head[1]}"
        return value, unit
    return first_person
