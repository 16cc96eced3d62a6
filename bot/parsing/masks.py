"""Numbers that are neither dates nor durations: classes, rooms, letter numbers, money…

They are found first and claimed, so "kelas 5 jam 10-12" does not read "5 jam", and
"RT 02/RW 07" or "nomor 005/17/2025" are not dates. The text itself is kept in the
description; masks only stop other patterns and quantities.
"""

from __future__ import annotations

import re
from typing import Final

from bot.parsing.spans import Occupied

_UNIT_AFTER = (
    r"(?!(?:[.,]\d+)?\s*(?:(?:jam|jm)(?!\s*(?:ke\b|\d))|menit|mnt|mins?\b|hours?|hrs?\b|am\b|pm\b"
    r"|siang|sore|malam)|[.:]\d\d|\s*-\s*\d{1,2}[.:]\d\d)"
)
_REF = rf"(?:\d+[a-z]?\b|[ivxlc]+\b(?:\s*[-.]?\s*[a-z0-9]\b)?){_UNIT_AFTER}"
_KEYWORDS = (
    r"kelas|kls|class|grade|ruang(?:an)?(?:\s+kelas)?|ruang\s+ujian|r\.|lt\.?|lantai|floor|bab"
    r"|chapter|gugus|tema|subtema|sub\s*tema|pertemuan|pert\.|sesi|session|tahap|gelombang"
    r"|angkatan|rombel|jilid|halaman|hal\.|page|blok|kamar|bed|loket|paket|modul|kd|ki"
    r"|semester|smt|triwulan|tw|caturwulan|kuartal|quarter|term|periode|minggu\s+ke|hari\s+ke"
    r"|jam\s+ke|jam\s+pelajaran\s+ke|jp\s+ke|pasal|ayat|pph(?:\s+pasal)?|zona|sektor|regu"
    r"|jalur|gedung|gd\.|dusun|lorong|km|tps|pos|pustu|(?<!\d\s)(?<!\d)sd|sdn|smp|smpn|sma|sman|smk|smkn"
    r"|mi|min|mts|mtsn|ma|man|tk|paud|slb|sekolah\s+dasar|inpres|negeri|versi|ver\.|v\."
    r"|level|tingkat|lvl|kelompok|no\.?|nomor|nomer|nmr|nr\.?"
)
# (substrings one of which must occur, pattern): the cheap ``in`` test skips most passes.
_PATTERNS: Final = tuple(
    (hints, re.compile(p))
    for hints, p in (
        # Letter numbers and other slash codes: "800/123/BKPSDM/2026", "nomor 005/17/2025".
        (("no", "nmr", "nr"), r"\b(?:no|nomor|nomer|nmr|nr)\b\.?\s*:?\s*[\w.-]*\d[\w./-]*"),
        (("/",), r"(?<![\w/])[\w.-]*\d[\w.-]*(?:/[\w.-]+){2,}"),
        # RT/RW.
        (
            ("rt", "rw"),
            r"\brt\.?\s*\d{1,3}\s*/?\s*(?:rw\.?\s*)?\d{0,3}\b|\brw\.?\s*\d{1,3}\b"
            r"|\brt/rw\s*[\d/ ]+",
        ),
        # School / fiscal years: "2025/2026", "TA 2025/2026", "TA 2025", "tahun 2025".
        (
            ("/", "-"),
            r"\b(?:(?:ta|tp|tahun(?:\s+(?:ajaran|pelajaran|anggaran))?)\.?\s*)?(?:19|20)\d\d\s*"
            r"[/-]\s*(?:(?:19|20)\d\d|\d\d)\b",
        ),
        (
            ("ta", "tp", "th", "versi"),
            r"\b(?:ta|tp|tahun(?:\s+(?:ajaran|pelajaran|anggaran))?|versi|th|thn)\.?\s*(?:19|20)\d\d\b",
        ),
        # Money and percentages.
        (
            ("rp", "idr"),
            r"\b(?:rp|idr)\.?\s*\d[\d.,]*(?:\s*(?:juta|jt|ribu|rb|miliar|milyar|m|k)\b)?(?:,-)?",
        ),
        (
            ("rupiah", "juta", "jt", "ribu", "rb", "miliar", "milyar"),
            r"(?<![\w.,])\d[\d.,]*\s*(?:rupiah|juta|jt|ribu|rb|miliar|milyar)\b",
        ),
        (("%", "persen", "percent"), r"(?<![\w.,])\d+(?:[.,]\d+)?\s*(?:%|persen\b|percent\b)"),
        # Phone numbers and NIP-like digit runs.
        (("08", "+62", "628"), r"(?<![\w])(?:\+62|62|0)8\d{1,3}(?:[\s.-]?\d{2,5}){2,3}\b"),
        (None, r"\b\d{8}(?:\s\d{6}\s\d\s\d{3}\b|\d*\b)"),
        # Day ranges are periods, not the work date: "1-15 November", "tgl 24-25".
        (
            ("-", "s.d", "sd", "s/d", "sampai", "hingga"),
            r"\b(?:(?:tanggal|tgl)\.?\s*)?\d{1,2}\s*(?:-|s\.?\s?d\.?|s/d|sampai|hingga)\s*\d{1,2}\s+"
            r"(?:jan|feb|peb|mar|apr|mei|may|jun|jul|agu|agt|ags|aug|sep|okt|oct|nov|nop|des|dec)"
            r"[a-z]*",
        ),
        (
            ("tgl", "tanggal"),
            r"\b(?:tanggal|tgl)\.?\s*\d{1,2}\s*(?:-|s\.?\s?d\.?|s/d)\s*\d{1,2}\b(?![.:/-]\d)",
        ),
        # Ordinals: "ke-3", "ke3".
        (("ke",), r"\bke-\s?\d+\b|\bke\d+\b"),
    )
)
_LIST_SEP = r"\s*(?:,|&|dan|-|s\.?\s?d\.?|s/d|/|sampai)\s*"
# Class, room, chapter… numbers, including lists "kelas 7 dan 8", "kelas 4-6". The leading
# look-ahead/look-behind pair lets the engine skip non-word-starts quickly (3x faster).
_CLASS: Final = re.compile(
    rf"(?=[a-z])(?<![a-z])(?:{_KEYWORDS})(?![a-z])\s*[-.:#]?\s*(?:ke[-\s]?)?{_REF}"
    rf"(?:{_LIST_SEP}(?:ke[-\s]?)?{_REF})*"
)
_DIGIT: Final = re.compile(r"\d")
_DATE_ONLY: Final = re.compile(r"\d{1,2}/\d{1,2}/(?:\d{2}|\d{4})")


def find_masks(low: str, occupied: Occupied) -> None:
    """Claim every protected number in the lower-cased line ``low``."""
    if not _DIGIT.search(low):
        return
    for hints, pattern in _PATTERNS:
        if hints is not None and not any(h in low for h in hints):
            continue
        for m in pattern.finditer(low):
            start, end = m.span()
            if start == end:
                continue
            if "/" in m.group() and _DATE_ONLY.fullmatch(m.group().strip()):
                continue
            occupied.claim(start, end)
    for m in _CLASS.finditer(low):
        occupied.claim(*m.span())
