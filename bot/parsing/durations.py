"""Durations ("2 jam", "1j30m", "2 x 40 menit"), time ranges and clock times.

Hours written without am/pm are read in working context: an unpadded 1-5 with no
"pagi" means the afternoon ("jam 2-4" is 14:00-16:00), a range's end is put after its
start ("11-1" is 11:00-13:00), and "siang/sore/malam" shift 12-hour values.
"""

from __future__ import annotations

import re
from datetime import time
from functools import lru_cache
from typing import Final

from bot.parsing.dates import MONTHS
from bot.parsing.numbers import NUMBER_WORD, NUMBER_WORD_TOKENS, parse_amount, word_to_int
from bot.parsing.spans import (
    Occupied,
    TimeItem,
    digit_matches,
    free_matches,
    has_any,
    line_words,
)

MAX_MINUTES: Final = 24 * 60

_PD = r"(?:pagi|siang|sore|malam|dini\s+hari)"
_AP = r"(?:a\.m\.|p\.m\.|am|pm)(?![a-z])"
_TZ = r"(?:wib|wita|wit)\b"
_KW = r"(?:jam|jm|pukul|pkl|pk|at)\.?\s*"
_START_KW = r"(?:(?:dari|mulai|from|start(?:ing)?(?:\s+at)?|sejak)\s+)"
_SEP = r"\s*(?:-+|s\.?\s?d\.?|s/d|sampai(?:\s+dengan)?|sampe|hingga|until|till|to|selesai|~|>)\s*"
_NOT_UNIT_AFTER = (
    r"(?!\s*(?:jam|jm\b|j\b|menit|mnt|mins?\b|hours?|hrs?\b|h\b|hari|hr\b|minggu|bulan|bln"
    r"|tahun|thn|orang|org|siswa|x\b|kali|%|persen|jp\b))"
)


def _timex(n: str, lead: bool = True) -> str:
    lead_part = rf"(?:(?P<{n}pd0>{_PD})\s+)?(?P<{n}kw>{_KW})?" if lead else ""
    return (
        rf"{lead_part}(?P<{n}h>\d{{1,2}})(?!\d)"
        rf"(?:[.:](?P<{n}m>[0-5]\d)(?!\d))?(?:\s*(?P<{n}ap>{_AP}))?(?:\s*(?P<{n}tz>{_TZ}))?"
        rf"(?:\s*(?P<{n}pd>{_PD})\b)?"
    )


# Patterns start at a digit ("(?=\d)" lets the engine skip other positions quickly); the
# words that may come before ("dari jam", "selama", "tgl") are matched backwards after.
_D0 = r"(?=\d)(?<![\w,/:])(?<!\d\.)"
RANGE: Final = re.compile(
    rf"{_D0}{_timex('a', lead=False)}{_SEP}{_timex('b')}(?![\w/]|[.,]\d){_NOT_UNIT_AFTER}"
)
CLOCK: Final = re.compile(
    rf"{_D0}(?P<ah>\d{{1,2}})(?!\d)(?:[.:](?P<am>[0-5]\d)(?!\d|[.,/:]\d))?(?:\s*(?P<aap>{_AP}))?"
    rf"(?:\s*(?P<atz>{_TZ}))?(?:\s*(?P<apd>{_PD})\b)?{_NOT_UNIT_AFTER}"
)
_NOT_MEASURE_AFTER: Final = re.compile(
    r"\s*(?:ha|kg|ton|km|m|cm|mm|liter|l|%|persen|juta|ribu|rb|jt|meter|m2)\b"
)
_TIME_LEAD: Final = re.compile(
    rf"(?:(?<![\w])(?P<start>{_START_KW}))?(?:(?<![\w])(?P<apd0>{_PD})\s+)?"
    rf"(?:(?<![\w])(?P<akw>{_KW}))?$"
)
_DUR_LEAD: Final = re.compile(
    r"(?:(?<![\w])(?:selama|sekitar|skitar|kurang\s+lebih|kurang-lebih|kurleb|lebih\s+kurang"
    r"|kira-kira|kira2|kl\.?|approx\.?|about|around|for|total|sebanyak)\s*|(?:±|\+/-|\+-|~)\s*)+$"
)
_LEAD_WINDOW: Final = 32

_NUM = r"(?:\d+(?:[.,]\d+)?|\d+\s*/\s*\d+)"
_HALF = r"(?:setengah|seperempat|tiga\s+perempat|½|¼|¾)"
_HUNIT = r"(?:jam|jm|hours?|hrs?)\b"
_MUNIT = r"(?:menit|mnt|mnit|minutes?|mins?)\b"
_MIN_TAIL = (
    rf"(?:\s*(?:lebih\s+|dan\s+|and\s+)?(?P<m>\d+|{NUMBER_WORD})\s*(?:{_MUNIT}|m(?![a-z]))"
    r"|\s+(?P<half>setengah)\b)"
)
_W0 = r"(?=[a-z½¼¾])(?<![\w.,/])"


def _has_number_word(low: str) -> bool:
    if not low.isascii() and ("½" in low or "¼" in low or "¾" in low):
        return True
    if "hour" in low and ("an hour" in low or "a hour" in low):
        return True
    return not NUMBER_WORD_TOKENS.isdisjoint(line_words(low))


# Number-word durations (rare: only run when a number word occurs), in priority order.
_WORD_DURATIONS: Final = (
    (
        "hours",
        re.compile(
            rf"{_W0}(?P<h>{NUMBER_WORD}(?:\s+setengah)?\b|{_HALF}|half\s+an?\b|an?\b)\s*"
            rf"{_HUNIT}{_MIN_TAIL}?"
        ),
    ),
    ("minutes", re.compile(rf"{_W0}(?P<m>{NUMBER_WORD})\s*{_MUNIT}")),
)
_SEJAM: Final = re.compile(rf"{_W0}sejam\b(?:\s+(?P<half>setengah)\b)?")
# Digit durations in one pass; the first alternative that fits wins at each position.
DIGIT_DURATION: Final = re.compile(
    rf"{_D0}(?:"
    # Lesson hours: "2 x 40 menit", "2x35'", "4 JP x 35 menit".
    rf"(?P<n>\d+)\s*(?:jp\s*)?[x×]\s*(?P<lm>\d+)\s*(?:{_MUNIT}|')"
    # Hours with optional minutes: "2 jam", "2,5 jam", "1 jam 20 menit", "2-3 jam".
    rf"|(?:\d+\s*-\s*)?(?P<h>{_NUM}(?:\s*(?:setengah\b|½))?)\s*{_HUNIT}{_MIN_TAIL}?"
    # Compact: "2j", "1h45m", "2j 15m"; English "1 h", "1.5 h" too.
    rf"|(?P<ch>\d+(?:[.,]\d+)?)(?:j|\s?h)(?![a-z])(?:\s*(?P<cm>\d+)\s*(?:m(?![a-z])|{_MUNIT}))?"
    # Minutes: "45 menit", "20 mnt", "30m".
    rf"|(?P<mm>\d+)(?:\s*{_MUNIT}|m(?![a-z]))"
    r")"
)
_RANGE_HINTS: Final = (
    "-", "s.d", "sd", "s/d", "sampai", "sampe", "hingga", "until", "till", "to", "selesai",
    "~", ">",
)  # fmt: skip
_DIGIT: Final = re.compile(r"\d")
CLOCK_KWS: Final = ("jam", "jm", "pukul", "pkl", "pk", "at")
_DURATION_HINT: Final = re.compile(r"\d|jam|jm|menit|mnt|hour|hr|min|sejam")
_LINE_END_CONTEXT: Final = re.compile(
    r"\s*(?:$|[,;.)!:]|(?:dan|lalu|kemudian|di|dengan|dgn|bersama|untuk|utk|and|then|at|in)\b)"
)


def _int_of(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    return word_to_int(text)


def _hour(h: int, ap: str | None, pd: str | None) -> tuple[int, bool]:
    """Hour on the 24-hour clock and whether it was explicitly placed (am/pm/period)."""
    if ap:
        pm = ap.startswith("p")
        if h == 12:
            return (12 if pm else 0), True
        return (h + 12 if pm else h), True
    if pd:
        if pd == "siang" and 1 <= h <= 5:
            return h + 12, True
        if pd == "sore" and 1 <= h <= 11:
            return h + 12, True
        if pd == "malam":
            if 5 <= h <= 11:
                return h + 12, True
            if h == 12:
                return 0, True
        return h, True
    return h, False


def _clock(h: int, m: int) -> time | None:
    if h == 24 and m == 0:
        return time(0, 0)
    if 0 <= h <= 23 and 0 <= m <= 59:
        return time(h, m)
    return None


#: The groups of a ``RANGE`` match that decide its times.
_RANGE_KEYS: Final = ("ah", "am", "aap", "apd", "bh", "bm", "bap", "bpd", "bpd0")
#: Groups that say "this is a time" by themselves (minutes, am/pm, period, "jam", zone).
_RANGE_CONTEXT_KEYS: Final = ("am", "bm", "aap", "bap", "apd", "bpd", "bpd0", "bkw", "atz", "btz")


@lru_cache(maxsize=4096)
def _resolve(
    ah_text: str,
    am_text: str | None,
    a_ap: str | None,
    apd: str | None,
    bh_text: str,
    bm_text: str | None,
    b_ap: str | None,
    bpd: str | None,
) -> tuple[time, time, int] | None:
    """(start, end, minutes) of a range from its written parts (pure, so cached)."""
    ah, bh = int(ah_text), int(bh_text)
    am, bm = int(am_text or 0), int(bm_text or 0)
    if ah > 24 or bh > 24:
        return None
    # A period or am/pm written once at the end covers both ends ("1-3 siang").
    if not apd and not a_ap and (bpd or b_ap):
        apd, a_ap = bpd, (b_ap if b_ap and ah <= 12 and bh <= 12 and ah <= bh else None)
    sh, s_fixed = _hour(ah, a_ap, apd)
    eh, e_fixed = _hour(bh, b_ap, bpd)
    a_padded = ah_text.startswith("0")
    b_padded = bh_text.startswith("0")
    if not s_fixed and not a_padded and 1 <= sh <= 5:
        sh += 12
    start_min = sh * 60 + am
    candidates = [eh]
    if not e_fixed and not b_padded and eh < 12:
        candidates.append(eh + 12)
    best: tuple[int, int] | None = None
    for h in candidates:
        dur = (h * 60 + bm - start_min) % MAX_MINUTES
        if h == 24 and bm == 0 and dur == 0:
            dur = MAX_MINUTES if start_min == 0 else dur
        if dur > 0 and (best is None or dur < best[1]):
            best = (h, dur)
    if best is None:
        return None
    t_start, t_end = _clock(sh % 24 if sh != 24 else 0, am), _clock(best[0] % 24, bm)
    if t_start is None or t_end is None:
        return None
    return t_start, t_end, best[1]


_TIME_LEAD_WORDS: Final = frozenset(
    "jam jm pukul pkl pkl. pk pk. at dari mulai from sejak start starting pagi siang sore malam"
    " hari".split()
)
_DUR_LEAD_WORDS: Final = frozenset(
    "selama sekitar skitar lebih kurang kurleb kira-kira kira2 kl kl. approx approx. about"
    " around for total sebanyak ± +/- +- ~".split()
)


def _lead(
    low: str, start: int, pattern: re.Pattern[str], words: frozenset[str]
) -> re.Match[str] | None:
    """Words right before ``start`` matched by an end-anchored ``pattern``, if any.

    The word just before is looked up first: the regex runs only when it can match.
    """
    head = low[max(0, start - _LEAD_WINDOW) : start]
    last = head.rstrip().rpartition(" ")[2].lstrip("([")
    if last not in words and last[-1:] not in ("±", "~"):
        return None
    m = pattern.search(low, max(0, start - _LEAD_WINDOW), start)
    return m if m is not None and m.start() < start else None


#: Words that end the previous activity: a bare range right after one starts the next.
_SEP_WORDS: Final = frozenset(
    """
    lalu kemudian then trus terus selanjutnya lanjut habis abis setelah after dan and serta
    """.split()
)
#: Words of a date written before a range ("kemarin", "Senin lalu", "yesterday", "tgl 5",
#: "16 Nov"); ``_DATE_CORE`` are the ones that make it a date at all.
_DATE_CORE: Final = frozenset(
    """
    kemarin kemaren kmrn kmarin kmrin kmren yesterday semalam today tadi barusan ini lusa
    senin selasa rabu kamis jumat jum'at jumaat sabtu minggu ahad monday tuesday wednesday
    thursday friday saturday sunday tgl tanggal tg ago yll sebelumnya
    """.split()
) | frozenset(MONTHS)
_DATE_LEAD_WORDS: Final = _DATE_CORE | frozenset(
    "hari hr hri pagi siang sore malam pada on last this past morning afternoon evening the day"
    " before yang yg days week seminggu".split()
)
_LEAD_PUNCT: Final = str.maketrans({c: " " for c in '()[]{}.!?"/-'})
_DATE_LEAD_WINDOW: Final = 48


def _after_date_lead(low: str, start: int) -> bool:
    """Is ``low[:start]`` a part's start plus date words ("kemarin 9-11", ", then 1-2")?

    The part starts at the line start, after "," ";" ":" or after "lalu"/"then"…; between
    it and the range only date words ("kemarin", "Senin lalu", "16 Nov") may stand.
    """
    window_start = max(0, start - _DATE_LEAD_WINDOW)
    head = low[window_start:start]
    cut = max(head.rfind(","), head.rfind(";"), head.rfind(":"))
    at_part_start = cut >= 0 or window_start == 0
    tokens = head[cut + 1 :].translate(_LEAD_PUNCT).split()
    dated = False
    for i in range(len(tokens) - 1, -1, -1):
        word = tokens[i]
        if word in _SEP_WORDS or (word in ("itu", "that") and i and tokens[i - 1] in _SEP_WORDS):
            return True  # "…, lalu 13-15 rapat", "then 1-2 grading"
        if word in _DATE_CORE:
            dated = True
        elif word not in _DATE_LEAD_WORDS and not word.isdigit():
            return False
    return at_part_start and (dated or not tokens or "/" in head[cut + 1 :])


#: "jaga malam", "shift pagi", "dinas sore": the period names the shift, so it stays
#: in the description (it still places the time).
_SHIFT_WORDS: Final = frozenset("shift sif dinas jaga piket giliran sesi kelas".split())


def _lead_start(low: str, lead: re.Match[str]) -> int:
    """Where the time's words start: before "pukul"/"dari", after a shift's period word."""
    if lead["apd0"] and not lead["start"]:
        before = low[: lead.start()].rstrip().rpartition(" ")[2]
        if before in _SHIFT_WORDS:
            pos = lead.end("apd0")
            return pos + (len(low[pos : lead.end()]) - len(low[pos : lead.end()].lstrip()))
    return lead.start()


def take_range(low: str, m: re.Match[str], occupied: Occupied) -> TimeItem | None:
    """Claim a matched ``RANGE`` (with "dari jam"/"pukul" before it) if it is one.

    A bare "9-11" counts as a time range only where a time is expected: at the start of
    a line or part, right after a leading date word ("kemarin 9-11 rapat", "Senin 13-15
    …"), or right before the end of an activity ("rapat 9-11,").
    """
    start, end = m.span()
    parts = m.group(*_RANGE_KEYS)
    context = any(m.group(*_RANGE_CONTEXT_KEYS))
    apd = parts[3]
    lead = _lead(low, start, _TIME_LEAD, _TIME_LEAD_WORDS)
    if lead is not None and occupied.free(lead.start(), start):
        lead_start, lead_pd, lead_kw = lead.group("start", "apd0", "akw")
        context = context or bool(lead_start or lead_pd or lead_kw)
        apd = apd or lead_pd
        start = _lead_start(low, lead)
    if not context and not _after_date_lead(low, start):
        if _LINE_END_CONTEXT.match(low, end) is None:
            return None
    ah, am, aap, _, bh, bm, bap, bpd, bpd0 = parts
    resolved = _resolve(ah or "0", am, aap, apd, bh or "0", bm, bap, bpd or bpd0)
    if resolved is None or not occupied.claim(start, end):
        return None
    return TimeItem(start, end, "range", resolved[2], resolved[0], resolved[1])


def may_have_range(low: str) -> bool:
    """Cheap test: can this line hold a time range at all?"""
    return has_any(low, _RANGE_HINTS)


def find_ranges(low: str, occupied: Occupied) -> list[TimeItem]:
    """Time ranges: "08.30-10.00", "jam 9 sampai jam 11", "2pm to 4:15pm", "pkl 9-11"."""
    items: list[TimeItem] = []
    if not _DIGIT.search(low) or not has_any(low, _RANGE_HINTS):
        return items
    for m in digit_matches(RANGE, low, occupied):
        item = take_range(low, m, occupied)
        if item is not None:
            items.append(item)
    return items


def _duration_minutes(kind: str, g: dict[str, str | None]) -> int | None:
    if kind == "sejam":
        return 90 if g.get("half") else 60
    if kind == "minutes":
        return _int_of(g["m"])
    hours = parse_amount(g["h"] or "")
    if hours is None:
        return None
    total = hours * 60
    if g.get("m"):
        extra = _int_of(g["m"])
        if extra is None:
            return None
        total += extra
    if g.get("half"):
        total += 30
    return round(total)


_DURATION_KEYS: Final = ("n", "lm", "h", "m", "half", "ch", "cm", "mm")


def duration_match_minutes(m: re.Match[str]) -> int | None:
    """Minutes of a ``DIGIT_DURATION`` match."""
    return _digit_minutes(*m.group(*_DURATION_KEYS))


@lru_cache(maxsize=4096)
def _digit_minutes(*parts: str | None) -> int | None:
    return digit_minutes(dict(zip(_DURATION_KEYS, parts, strict=True)))


def digit_minutes(g: dict[str, str | None]) -> int | None:
    """Minutes of a ``DIGIT_DURATION`` match's groups."""
    if g["n"] is not None:
        return int(g["n"]) * int(g["lm"] or 0)
    if g["h"] is not None:
        return _duration_minutes("hours", g)
    if g["ch"] is not None:
        return _duration_minutes("hours", {"h": g["ch"], "m": g["cm"], "half": None})
    return _int_of(g["mm"])


def take_duration(
    low: str, start: int, end: int, minutes: int | None, occupied: Occupied
) -> TimeItem | None:
    """Claim a duration (with "selama"/"±" before it) if its minutes make sense."""
    if minutes is None or not 0 < minutes <= MAX_MINUTES:
        return None
    lead = _lead(low, start, _DUR_LEAD, _DUR_LEAD_WORDS)
    if lead is not None and occupied.free(lead.start(), start):
        start = lead.start()
    occupied.add(start, end)
    return TimeItem(start, end, "dur", minutes)


def find_word_durations(low: str, occupied: Occupied) -> list[TimeItem]:
    """Durations written with number words: "dua jam", "setengah jam", "sejam"."""
    items: list[TimeItem] = []
    if _has_number_word(low):
        for kind, pattern in _WORD_DURATIONS:
            for m in free_matches(pattern, low, occupied):
                minutes = _duration_minutes(kind, m.groupdict())
                item = take_duration(low, m.start(), m.end(), minutes, occupied)
                if item is not None:
                    items.append(item)
    if "sejam" in low:
        for m in free_matches(_SEJAM, low, occupied):
            minutes = _duration_minutes("sejam", m.groupdict())
            item = take_duration(low, m.start(), m.end(), minutes, occupied)
            if item is not None:
                items.append(item)
    return items


def find_durations(low: str, occupied: Occupied) -> list[TimeItem]:
    """Durations: "2 jam", "2,5 jam", "1 jam 20 menit", "setengah jam", "2 x 40 menit"…"""
    if not _DURATION_HINT.search(low):
        return []
    items = find_word_durations(low, occupied)
    if _DIGIT.search(low):
        for m in digit_matches(DIGIT_DURATION, low, occupied):
            item = take_duration(low, m.start(), m.end(), duration_match_minutes(m), occupied)
            if item is not None:
                items.append(item)
    return items


def _clock_from(g: dict[str, str | None]) -> time | None:
    h = int(g["ah"] or 0)
    hour, fixed = _hour(h, g.get("aap"), g.get("apd") or g.get("apd0"))
    if not fixed and not (g["ah"] or "").startswith("0") and 1 <= hour <= 5:
        hour += 12
    return _clock(hour, int(g.get("am") or 0)) if hour < 24 else None


_END_BEFORE: Final = re.compile(r"(?<![\w])(?:sampai|sampe|hingga|until|till|s\.?d\.?|s/d)\s*$")


def take_clock(
    low: str, start: int, end: int, g: dict[str, str | None], occupied: Occupied
) -> TimeItem | None:
    """Claim a lone clock time: "jam 9", "pukul 08.00", "07.30", "3pm"."""
    if not (g["am"] or g["aap"]) and not has_any(low[max(0, start - 7) : start], CLOCK_KWS):
        return None  # a bare number: neither "HH.MM", am/pm nor "jam"/"pukul" before it
    lead = _lead(low, start, _TIME_LEAD, _TIME_LEAD_WORDS)
    if lead is not None and occupied.free(lead.start(), start):
        g = {**g, **lead.groupdict()}
        start = _lead_start(low, lead)
    if _END_BEFORE.search(low, max(0, start - 16), start) and not _DIGIT.search(low, 0, start):
        return None  # "lembur sampai jam 8 malam": when it ended, with no start to go with
    if not g.get("akw") and (
        not (g.get("am") or g.get("aap")) or _NOT_MEASURE_AFTER.match(low, end)
    ):
        return None  # without "jam"/"pukul" only "HH.MM" or am/pm says it is a clock time
    t = _clock_from(g)
    if t is None or not occupied.claim(start, end):
        return None
    return TimeItem(start, end, "clock", None, t)
