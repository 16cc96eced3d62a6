"""Numbers that are neither dates nor durations: classes, rooms, letter numbers, money…

They are found first and claimed, so "kelas 5 jam 10-12" does not read "5 jam", and
"RT 02/RW 07" or "nomor 005/17/2025" are not dates. The text itself is kept in the
description; masks only stop other patterns and quantities.

A number followed by "jam" is a class number only when a clock time follows ("kelas 5
jam 10-12"); "kelas 7B, 2 jam 30 menit" ends with a duration (issue 7 defect 20).
"""

from __future__ import annotations

import re
from typing import Final

from bot.parsing.spans import Occupied, digit_runs, has_any, line_words

_UNIT_AFTER = (
    r"(?!(?:[.,]\d+)?\s*(?:(?:jam|jm)(?!\s*(?:ke\b|\d(?!\d*\s*(?:menit|mnt|mins?\b|m\b))))"
    r"|menit|mnt|mins?\b|hours?|hrs?\b|am\b|pm\b"
    r"|siang|sore|malam)|[.:]\d\d|\s*-\s*\d{1,2}[.:]\d\d)"
)


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex alternation."""
    parts: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def _by_first_letter(pattern: str) -> str:
    """The same alternation grouped by first letter: "kelas|kls|bab" → "k(?:elas|ls)|b(?:ab)".

    The regex engine skips a branch whose first letter differs at once, so a word start
    costs ~20 checks instead of ~100. Order within a letter is kept (the first
    alternative that matches wins), and branches of different letters never compete.
    """
    groups: dict[str, list[str]] = {}
    for alt in _alternatives(pattern):
        if alt == r"(?<!\d\s)(?<!\d)sd":  # the look-behinds, moved after the "s"
            alt = r"s(?<!\d\ss)(?<!\ds)d"
        if not alt[:1].isalpha():
            raise ValueError(f"keyword must start with a letter: {alt!r}")
        groups.setdefault(alt[0], []).append(alt[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


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
# (gate name, pattern): each pattern runs only when its cheap gate says it can match.
_PATTERNS: Final = tuple(
    (gate, re.compile(p))
    for gate, p in (
        # Letter numbers and other slash codes: "800/123/BKPSDM/2026", "nomor 005/17/2025".
        ("letter", r"\b(?:no|nomor|nomer|nmr|nr)\b\.?\s*:?\s*[\w.-]*\d[\w./-]*"),
        ("slashes", r"(?<![\w/])[\w.-]*\d[\w.-]*(?:/[\w.-]+){2,}"),
        # RT/RW.
        (
            "rtrw",
            r"\brt\.?\s*\d{1,3}\s*/?\s*(?:rw\.?\s*)?\d{0,3}\b|\brw\.?\s*\d{1,3}\b"
            r"|\brt/rw\s*[\d/ ]+",
        ),
        # School / fiscal years: "2025/2026", "TA 2025/2026", "TA 2025", "tahun 2025".
        (
            "year_pair",
            r"\b(?:(?:ta|tp|tahun(?:\s+(?:ajaran|pelajaran|anggaran))?)\.?\s*)?(?:19|20)\d\d\s*"
            r"[/-]\s*(?:(?:19|20)\d\d|\d\d)\b",
        ),
        (
            "year_word",
            r"\b(?:ta|tp|tahun(?:\s+(?:ajaran|pelajaran|anggaran))?|versi|th|thn)\.?\s*(?:19|20)\d\d\b",
        ),
        # Money and percentages.
        (
            "rp",
            r"\b(?:rp|idr)\.?\s*\d[\d.,]*(?:\s*(?:juta|jt|ribu|rb|miliar|milyar|m|k)\b)?(?:,-)?",
        ),
        (
            "money_word",
            r"(?<![\w.,])\d[\d.,]*\s*(?:rupiah|juta|jt|ribu|rb|miliar|milyar)\b",
        ),
        ("percent", r"(?<![\w.,])\d+(?:[.,]\d+)?\s*(?:%|persen\b|percent\b)"),
        # Phone numbers and NIP-like digit runs.
        ("phone", r"(?<![\w])(?:\+62|62|0)8\d{1,3}(?:[\s.-]?\d{2,5}){2,3}\b"),
        ("long", r"\b\d{8}(?:\s\d{6}\s\d\s\d{3}\b|\d*\b)"),
        # Day ranges are periods, not the work date: "1-15 November", "tgl 24-25".
        (
            "month",
            r"\b(?:(?:tanggal|tgl)\.?\s*)?\d{1,2}\s*(?:-|s\.?\s?d\.?|s/d|sampai|hingga)\s*\d{1,2}\s+"
            r"(?:jan|feb|peb|mar|apr|mei|may|jun|jul|agu|agt|ags|aug|sep|okt|oct|nov|nop|des|dec)"
            r"[a-z]*",
        ),
        (
            "tgl",
            r"\b(?:tanggal|tgl)\.?\s*\d{1,2}\s*(?:-|s\.?\s?d\.?|s/d)\s*\d{1,2}\b(?![.:/-]\d)",
        ),
        # Ordinals: "ke-3", "ke3".
        ("ordinal", r"\bke-\s?\d+\b|\bke\d+\b"),
    )
)
_LIST_SEP = r"\s*(?:,|&|dan|-|s\.?\s?d\.?|s/d|/|sampai)\s*"
# Class, room, chapter… numbers, including lists "kelas 7 dan 8", "kelas 4-6". The leading
# look-ahead/look-behind pair lets the engine skip non-word-starts quickly (3x faster).
_CLASS: Final = re.compile(
    rf"(?=[a-z])(?<![a-z])(?:{_by_first_letter(_KEYWORDS)})(?![a-z])\s*[-.:#]?\s*(?:ke[-\s]?)?{_REF}"
    rf"(?:{_LIST_SEP}(?:ke[-\s]?)?{_REF})*"
)
_DIGIT: Final = re.compile(r"\d")
_DATE_ONLY: Final = re.compile(r"\d{1,2}/\d{1,2}/(?:\d{2}|\d{4})")


_LETTER_WORDS: Final = frozenset({"no", "nomor", "nomer", "nmr", "nr"})
_YEAR_WORDS: Final = frozenset({"ta", "tp", "tahun", "versi", "th", "thn"})
_MONEY_WORDS: Final = frozenset({"rupiah", "juta", "jt", "ribu", "rb", "miliar", "milyar"})
_PERCENT_WORDS: Final = frozenset({"persen", "percent"})
_TGL_WORDS: Final = frozenset({"tgl", "tanggal"})
_MONTH_WORDS: Final = frozenset(
    """
    januari january jan februari pebruari february feb peb maret march mar april apr mei may
    juni june jun juli july jul agustus august agu agt ags aug september sept sep oktober
    october okt oct november nopember nov nop desember december des dec
    """.split()
)
# First words of the class/room/… keywords; "jam"/"minggu"/"hari" count only as "… ke".
_CLASS_WORDS: Final = frozenset(
    """
    kelas kls class grade ruang ruangan r lt lantai floor bab chapter gugus tema subtema sub
    pertemuan pert sesi session tahap gelombang angkatan rombel jilid halaman hal page blok
    kamar bed loket paket modul kd ki semester smt triwulan tw caturwulan kuartal quarter term
    periode pasal ayat pph zona sektor regu jalur gedung gd dusun lorong km tps pos pustu sd
    sdn smp smpn sma sman smk smkn mi min mts mtsn ma man tk paud slb sekolah inpres negeri
    versi ver v level tingkat lvl kelompok no nomor nomer nmr nr
    """.split()
)
_CLASS_PHRASES: Final = ("jam ke", "jm ke", "jam pelajaran", "jp ke", "minggu ke", "hari ke")


_P: Final = dict(_PATTERNS)
_TRIGGERS: Final = (
    _LETTER_WORDS
    | _YEAR_WORDS
    | _MONEY_WORDS
    | _PERCENT_WORDS
    | _MONTH_WORDS
    | _TGL_WORDS
    | _CLASS_WORDS
)


def _ke_digit(low: str) -> bool:
    """Whether "ke" is followed by a digit ("ke3"): a few ``find`` calls, not a regex scan."""
    i = low.find("ke")
    while i >= 0:
        if low[i + 2 : i + 3].isdigit():
            return True
        i = low.find("ke", i + 2)
    return False


def find_masks(low: str, occupied: Occupied) -> None:
    """Claim every protected number in the lower-cased line ``low``.

    Each pattern runs only when a cheap test (a word in the line's word set, a
    character) says it can match; the tests are in ``_PATTERNS`` order, which is the
    order the patterns claim in.
    """
    runs = digit_runs(low)
    if not runs:
        return
    words = line_words(low) & _TRIGGERS  # the few words that gate patterns, if any
    longest = (
        max([end - start for start, end in runs]) if len(runs) > 1 else runs[0][1] - runs[0][0]
    )
    todo: list[re.Pattern[str]] = []
    if words and not words.isdisjoint(_LETTER_WORDS):
        todo.append(_P["letter"])
    if "/" in low:
        if low.count("/") >= 2:
            todo.append(_P["slashes"])
    if "rt" in low or "rw" in low:
        todo.append(_P["rtrw"])
    if longest >= 4:
        if "/" in low or "-" in low:
            todo.append(_P["year_pair"])
        if words and not words.isdisjoint(_YEAR_WORDS):
            todo.append(_P["year_word"])
    if "rp" in low or "idr" in low:
        todo.append(_P["rp"])
    if words and not words.isdisjoint(_MONEY_WORDS):
        todo.append(_P["money_word"])
    if "%" in low or (words and not words.isdisjoint(_PERCENT_WORDS)):
        todo.append(_P["percent"])
    if longest >= 4:
        if "08" in low or "62" in low:
            todo.append(_P["phone"])
        if longest >= 8:
            todo.append(_P["long"])
    if words and not words.isdisjoint(_MONTH_WORDS):
        todo.append(_P["month"])
    if words and not words.isdisjoint(_TGL_WORDS):
        todo.append(_P["tgl"])
    if "ke" in low and ("ke-" in low or _ke_digit(low)):
        todo.append(_P["ordinal"])
    for pattern in todo:
        for m in pattern.finditer(low):
            start, end = m.span()
            if start == end:
                continue
            if "/" in m.group() and _DATE_ONLY.fullmatch(m.group().strip()):
                continue
            occupied.claim(start, end)
    if (words and not words.isdisjoint(_CLASS_WORDS)) or has_any(low, _CLASS_PHRASES):
        for m in _CLASS.finditer(low):
            occupied.claim(*m.span())
