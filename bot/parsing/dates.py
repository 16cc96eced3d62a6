"""Date expressions: relative words, weekdays, "tgl N", "D/M[/Y]", "D Month [Y]".

Dates are day-first. A date without a year is the latest such date not after today,
unless it is less than half a year ahead: then it is a future date (an event being
prepared, "undangan rapat 30 Desember"), never a work date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from bot.parsing.numbers import NUMBER_WORD, word_to_int
from bot.parsing.spans import DateItem, Occupied, digit_matches, free_matches, line_words

EXPLICIT, WEEKDAY, RELATIVE = 3, 2, 1
_FUTURE_WINDOW_DAYS: Final = 183

MONTHS: Final[dict[str, int]] = {}
for _num, _names in enumerate(
    (
        "januari january jan",
        "februari pebruari february feb peb",
        "maret march mar",
        "april apr",
        "mei may",
        "juni june jun",
        "juli july jul",
        "agustus august agu agt ags aug",
        "september sept sep",
        "oktober october okt oct",
        "november nopember nov nop",
        "desember december des dec",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _num
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_EN_MONTH_RE = (
    r"january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
WEEKDAYS: Final[dict[str, int]] = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "jumaat": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}

_D0 = r"(?=\d)(?<![\w./:-])"
NUMERIC_Y: Final = re.compile(
    rf"{_D0}(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)"
    r"(?P<y>\d{4}|\d{2})(?![\w/]|[.:-]\d)"
)
NUMERIC_DM: Final = re.compile(rf"{_D0}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?![\w/]|[.:-]?\d)")
DAY_MONTH: Final = re.compile(
    rf"{_D0}(?P<d>\d{{1,2}})(?:\s*-\s*|\s+)(?P<mon>{_MONTH_RE})\.?(?![a-z])"
    r"(?:[\s,-]*(?P<y>(?:19|20)\d\d)(?!\d))?"
)
# "tgl"/"tanggal" written before a date belongs to it (matched backwards).
_TGL_LEAD: Final = re.compile(r"(?<![\w])(?:pada\s+)?(?:tanggal|tgl|tg)\.?\s*$")
_MONTH_DAY: Final = re.compile(
    rf"(?<![\w])(?P<mon>{_EN_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d.:/])"
    r"(?:,?\s*(?P<y>(?:19|20)\d\d)(?!\d))?"
)
_TGL_N: Final = re.compile(
    r"(?<![\w])(?:pada\s+)?(?:tanggal|tgl|tg)\.?\s*(?P<d>\d{1,2})(?![\d/.:-]?\d)"
    r"(?:\s*(?:&|dan|,)\s*\d{1,2}(?![\d/.:-]?\d))*"
)
_AGO: Final = re.compile(
    rf"(?<![\w])(?:(?P<n>\d{{1,2}}|{NUMBER_WORD})\s+(?:hari|hr)\s+(?:yang\s+|yg\s+)?"
    rf"(?:lalu|yll|kemarin|sebelumnya)\b|(?P<n2>\d{{1,2}}|{NUMBER_WORD})\s+days?\s+ago\b"
    r"|(?P<week>seminggu)\s+(?:yang\s+|yg\s+)?lalu\b)"
)
_RELATIVE: Final = re.compile(
    r"(?=[a-z])(?<![\w])(?:"
    r"(?P<m2>(?:kemarin|kemaren|kmrn|kmarin|kmrin|kmren)\s+lusa|(?:the\s+)?day\s+before\s+yesterday)"
    r"|(?P<m1>kemarin|kemaren|kmrn|kmarin|kmrin|kmren|yesterday|semalam)"
    r"|(?P<p0>(?:hari|hr|hri)\s+ini|today|tadi|barusan|(?:pagi|siang|sore)\s+(?:ini|tadi)"
    r"|this\s+(?:morning|afternoon|evening))"
    r"|(?P<p1>besok|besuk|tomorrow)|(?P<p2>lusa))\b"
)
_RELATIVE_OFFSETS: Final = {"m2": -2, "m1": -1, "p0": 0, "p1": 1, "p2": 2}
_RELATIVE_WORDS: Final = frozenset(
    """
    lusa yesterday kemarin kemaren kmrn kmarin kmrin kmren semalam ini today tadi barusan this
    besok besuk tomorrow
    """.split()
)
_WEEKDAY: Final = re.compile(
    r"(?<![\w])(?:(?P<last>last|on|this\s+past)\s+)?(?:(?P<hari>(?:pada\s+)?(?:hari|hr))\s+)?"
    r"(?P<wd>senin|selasa|rabu|kamis|jum'?at|jumaat|sabtu|minggu|ahad|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday)(?![\w'])"
    r"(?:\s*(?P<rel>(?:yang\s+|yg\s+)?lalu|kemarin|kemaren|kmrn|kmarin|kmren|depan|besok|next)\b)?"
)
_DIGIT: Final = re.compile(r"\d")
_MONTH_TOKENS: Final = frozenset(MONTHS)
_PUNCT_TO_SPACE: Final = str.maketrans({c: " " for c in "()[]{},.;:/-!?\"'"})
_AGO_WORDS: Final = frozenset({"lalu", "ago", "yll", "sebelumnya", "kemarin"})
_WEEKDAY_WORDS: Final = frozenset(WEEKDAYS)
_TGL_WORDS: Final = frozenset({"tgl", "tanggal", "tg"})
#: Words without which no date but a digit-only one ("20/11", "17 Nov") can be found.
_DATE_TRIGGERS: Final = _AGO_WORDS | _WEEKDAY_WORDS | _RELATIVE_WORDS | _MONTH_TOKENS | _TGL_WORDS
_PERIOD_AFTER: Final = re.compile(r"\s+(?:pagi|siang|sore|malam|morning|afternoon|evening|night)\b")


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _without_year(today: date, month: int, day: int) -> tuple[date, bool] | None:
    """(date, is_future) for a day and month given without a year."""
    this_year = _safe_date(today.year, month, day)
    if this_year is None:
        last = _safe_date(today.year - 1, month, day)
        return (last, False) if last else None
    if this_year <= today:
        return this_year, False
    if (this_year - today).days > _FUTURE_WINDOW_DAYS:
        last = _safe_date(today.year - 1, month, day)
        return (last, False) if last else None
    return this_year, True


def _with_year(today: date, y: int, month: int, day: int) -> tuple[date, bool] | None:
    if y < 100:
        y += 2000
    value = _safe_date(y, month, day)
    if value is None or value.year < 2000:
        return None
    return value, value > today


def _tgl_n(today: date, day: int) -> date | None:
    """ "tgl N": this month, or last month if that would be in the future."""
    value = _safe_date(today.year, today.month, day)
    if value is not None and value <= today:
        return value
    first = today.replace(day=1)
    prev = first - timedelta(days=1)
    return _safe_date(prev.year, prev.month, day)


def _weekday(today: date, wd: int, strictly_before: bool) -> date:
    back = (today.weekday() - wd) % 7
    if back == 0 and strictly_before:
        back = 7
    return today - timedelta(days=back)


def _add(
    items: list[DateItem], occupied: Occupied, start: int, end: int, item: DateItem | None
) -> None:
    if item is not None and occupied.claim(start, end):
        items.append(item)


_IMPOSSIBLE: Final = (date.min, False)


def _impossible(day: int, month: int) -> tuple[date, bool] | None:
    """ "31 Februari", "31/4": a real day and month number, but no such date."""
    return _IMPOSSIBLE if 1 <= day <= 31 and 1 <= month <= 12 else None


def _add_explicit(
    items: list[DateItem],
    occupied: Occupied,
    low: str,
    span: tuple[int, int],
    res: tuple[date, bool] | None,
) -> DateItem | None:
    """Add a digit date, with a "tgl"/"tanggal" written before it."""
    if res is None:
        return None
    start, end = span
    if "tg" in low or "tanggal" in low:
        lead = _TGL_LEAD.search(low, max(0, start - 20), start)
        if lead is not None and lead.start() < start and occupied.free(lead.start(), start):
            start = lead.start()
    item = DateItem(start, end, res[0], EXPLICIT, res[1], res is _IMPOSSIBLE)
    if not occupied.claim(start, end):
        return None
    items.append(item)
    return item


def take_year_date(
    low: str, span: tuple[int, int], g: dict[str, str | None], today: date, occupied: Occupied
) -> DateItem | None:
    """Claim "17/11/2025", "3-1-2026", "17.11.2025"."""
    month, day = int(g["m"] or 0), int(g["d"] or 0)
    if not 1 <= month <= 12:
        return None
    res = _with_year(today, int(g["y"] or 0), month, day)
    if res is None and (int(g["y"] or 0) >= 2000 or len(g["y"] or "") == 2):
        res = _impossible(day, month)
    return _add_explicit([], occupied, low, span, res)


def take_day_month(
    low: str, span: tuple[int, int], g: dict[str, str | None], today: date, occupied: Occupied
) -> DateItem | None:
    """Claim "17 Nov", "3 Januari 2026" (or "Nov 17" with the English pattern)."""
    mon, day, year = MONTHS[g["mon"] or ""], int(g["d"] or 0), g["y"]
    res = _with_year(today, int(year), mon, day) if year else _without_year(today, mon, day)
    return _add_explicit([], occupied, low, span, res or _impossible(day, mon))


def take_day_slash_month(
    low: str, span: tuple[int, int], g: dict[str, str | None], today: date, occupied: Occupied
) -> DateItem | None:
    """Claim "20/11" (day first)."""
    day, month = int(g["d"] or 0), int(g["m"] or 0)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    res = _without_year(today, month, day) or _impossible(day, month)
    return _add_explicit([], occupied, low, span, res)


def may_have_month(low: str) -> bool:
    """Cheap test: does the line name a month?"""
    return not _MONTH_TOKENS.isdisjoint(line_words(low))


def find_year_dates(low: str, today: date, occupied: Occupied) -> list[DateItem]:
    """Numeric dates with a year ("17/11/2025", "3-1-2026", "17.11.2025").

    Done before time ranges so "3-1-2026" is not read as a range.
    """
    items: list[DateItem] = []
    for m in digit_matches(NUMERIC_Y, low, occupied):
        item = take_year_date(low, m.span(), m.groupdict(), today, occupied)
        if item is not None:
            items.append(item)
    return items


def find_dates(
    low: str, today: date, occupied: Occupied, digit_dates_done: bool = False
) -> list[DateItem]:
    """All other date expressions in ``low`` that do not overlap claimed ranges.

    ``digit_dates_done``: "17 Nov" and "20/11" were already taken by the scanner's
    single pass over numbers.
    """
    items: list[DateItem] = []
    words = line_words(low)
    if digit_dates_done:
        # Everything left is gated by a word of the line: most lines have none.
        words = words & _DATE_TRIGGERS
        if not words:
            return items
    if _DIGIT.search(low) is not None:
        _explicit_dates(low, today, occupied, items, digit_dates_done)
    if not words.isdisjoint(_AGO_WORDS):
        for m in free_matches(_AGO, low, occupied):
            raw = m["n"] or m["n2"]
            n = 7 if m["week"] else (int(raw) if raw and raw.isdigit() else word_to_int(raw or ""))
            if n is not None and 0 <= n <= 366:
                value = today - timedelta(n)
                _add(items, occupied, *m.span(), DateItem(*m.span(), value, RELATIVE))
    if not words.isdisjoint(_WEEKDAY_WORDS):
        for m in free_matches(_WEEKDAY, low, occupied):
            _weekday_item(low, m, today, occupied, items)
    if not words.isdisjoint(_RELATIVE_WORDS):
        for m in free_matches(_RELATIVE, low, occupied):
            offset = _RELATIVE_OFFSETS[m.lastgroup or "p0"]
            end = m.end()
            tail = _PERIOD_AFTER.match(low, end)
            if tail and occupied.free(end, tail.end()):
                end = tail.end()
            value = today + timedelta(days=offset)
            item = DateItem(m.start(), end, value, RELATIVE, offset > 0)
            _add(items, occupied, m.start(), end, item)
    if len(items) > 1:
        items.sort(key=lambda it: it.start)
    return items


def _explicit_dates(
    low: str, today: date, occupied: Occupied, items: list[DateItem], digit_dates_done: bool
) -> None:
    """Dates written with digits: "17 Nov", "Nov 17", "20/11", "tgl 5"."""
    months = not _MONTH_TOKENS.isdisjoint(line_words(low))
    if not digit_dates_done:
        for m in digit_matches(DAY_MONTH, low, occupied) if months else ():
            if item := take_day_month(low, m.span(), m.groupdict(), today, occupied):
                items.append(item)
        for m in digit_matches(NUMERIC_DM, low, occupied) if "/" in low else ():
            if item := take_day_slash_month(low, m.span(), m.groupdict(), today, occupied):
                items.append(item)
    for m in free_matches(_MONTH_DAY, low, occupied) if months else ():
        if item := take_day_month(low, m.span(), m.groupdict(), today, occupied):
            items.append(item)
    for m in free_matches(_TGL_N, low, occupied) if ("tg" in low or "tanggal" in low) else ():
        value = _tgl_n(today, int(m["d"]))
        if value is not None:
            _add(items, occupied, *m.span(), DateItem(*m.span(), value, EXPLICIT))


def _weekday_item(
    low: str, m: re.Match[str], today: date, occupied: Occupied, items: list[DateItem]
) -> None:
    name = m["wd"]
    rel = (m["rel"] or "").strip()
    if name == "minggu":
        # "minggu ini/lalu/depan" are weeks; Sunday needs "hari minggu", "(minggu)",
        # a date right after it, or a line that is only the day name.
        start = m.start()
        before = low[:start].rstrip()
        after = low[m.end() :].lstrip(" ,")
        if not (
            m["hari"]
            or before.endswith("(")
            or re.match(r"\d{1,2}(?:\s|/|-|$)", after)
            or not low.strip(" :-,.").replace("minggu", "", 1).strip(" :-,.")
        ):
            return
        if rel in ("lalu", "yang lalu", "yg lalu") and not m["hari"]:
            return
    wd = WEEKDAYS[name.replace("'", "'")]
    future = rel in ("depan", "besok", "next")
    strictly = bool(rel and not future) or (m["last"] or "").startswith(("last", "this"))
    value = _weekday(today, wd, strictly)
    if future:
        value = today + timedelta(days=((wd - today.weekday()) % 7) or 7)
    end = m.end()
    tail = _PERIOD_AFTER.match(low, end)
    if tail and occupied.free(end, tail.end()):
        end = tail.end()
    _add(items, occupied, m.start(), end, DateItem(m.start(), end, value, WEEKDAY, future))


def best_date(items: list[DateItem]) -> DateItem | None:
    """The date meant: explicit over weekday over relative word, first one on ties."""
    past = [it for it in items if not it.future and not it.impossible]
    if not past:
        return None
    return max(past, key=lambda it: (it.priority, -it.start))
