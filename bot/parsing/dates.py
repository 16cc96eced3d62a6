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
from bot.parsing.spans import DateItem, Occupied, free_matches

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
_NUMERIC_Y: Final = re.compile(
    rf"{_D0}(?P<d>\d{{1,2}})(?P<sep>[/.-])(?P<m>\d{{1,2}})(?P=sep)"
    r"(?P<y>\d{4}|\d{2})(?![\w/]|[.:-]\d)"
)
_NUMERIC_DM: Final = re.compile(rf"{_D0}(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?![\w/]|[.:-]?\d)")
_DAY_MONTH: Final = re.compile(
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
_RELATIVE: Final = (
    (
        -2,
        ("lusa", "before"),
        re.compile(
            r"(?<![\w])(?:(?:kemarin|kemaren|kmrn|kmarin|kmrin|kmren)\s+lusa"
            r"|(?:the\s+)?day\s+before\s+yesterday)\b"
        ),
    ),
    (
        -1,
        ("kem", "kmr", "kmar", "yesterday", "semalam"),
        re.compile(r"(?<![\w])(?:kemarin|kemaren|kmrn|kmarin|kmrin|kmren|yesterday|semalam)\b"),
    ),
    (
        0,
        ("ini", "today", "tadi", "barusan", "this"),
        re.compile(
            r"(?<![\w])(?:(?:hari|hr|hri)\s+ini|today|tadi|barusan"
            r"|(?:pagi|siang|sore)\s+(?:ini|tadi)|this\s+(?:morning|afternoon|evening))\b"
        ),
    ),
    (1, ("besok", "besuk", "tomorrow"), re.compile(r"(?<![\w])(?:besok|besuk|tomorrow)\b")),
    (2, ("lusa",), re.compile(r"(?<![\w])lusa\b")),
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
_AGO_HINT: Final = re.compile(r"lalu|ago|yll|sebelum|kemarin")
_WEEKDAY_HINT: Final = re.compile(r"senin|selasa|rabu|kamis|jum|sabtu|minggu|ahad|day")
_PERIOD_AFTER: Final = re.compile(r"\s+(?:pagi|siang|sore|malam)\b")


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


def _add_explicit(
    items: list[DateItem],
    occupied: Occupied,
    low: str,
    m: re.Match[str],
    res: tuple[date, bool] | None,
) -> None:
    """Add a digit date, with a "tgl"/"tanggal" written before it."""
    if res is None:
        return
    start = m.start()
    if "tg" in low or "tanggal" in low:
        lead = _TGL_LEAD.search(low, max(0, start - 20), start)
        if lead is not None and lead.start() < start and occupied.free(lead.start(), start):
            start = lead.start()
    _add(items, occupied, start, m.end(), DateItem(start, m.end(), res[0], EXPLICIT, res[1]))


def find_year_dates(low: str, today: date, occupied: Occupied) -> list[DateItem]:
    """Numeric dates with a year ("17/11/2025", "3-1-2026", "17.11.2025").

    Done before time ranges so "3-1-2026" is not read as a range.
    """
    items: list[DateItem] = []
    for m in free_matches(_NUMERIC_Y, low, occupied):
        if 1 <= int(m["m"]) <= 12:
            _add_explicit(
                items, occupied, low, m, _with_year(today, int(m["y"]), int(m["m"]), int(m["d"]))
            )
    return items


def find_dates(low: str, today: date, occupied: Occupied) -> list[DateItem]:
    """All other date expressions in ``low`` that do not overlap claimed ranges."""
    items: list[DateItem] = []
    digits = _DIGIT.search(low) is not None
    if digits:
        _explicit_dates(low, today, occupied, items)
    if _AGO_HINT.search(low):
        for m in free_matches(_AGO, low, occupied):
            raw = m["n"] or m["n2"]
            n = 7 if m["week"] else (int(raw) if raw and raw.isdigit() else word_to_int(raw or ""))
            if n is not None and 0 <= n <= 366:
                value = today - timedelta(n)
                _add(items, occupied, *m.span(), DateItem(*m.span(), value, RELATIVE))
    if _WEEKDAY_HINT.search(low):
        for m in free_matches(_WEEKDAY, low, occupied):
            _weekday_item(low, m, today, occupied, items)
    for offset, hints, pattern in _RELATIVE:
        if not any(h in low for h in hints):
            continue
        for m in free_matches(pattern, low, occupied):
            end = m.end()
            tail = _PERIOD_AFTER.match(low, end)
            if tail and occupied.free(end, tail.end()):
                end = tail.end()
            value = today + timedelta(days=offset)
            item = DateItem(m.start(), end, value, RELATIVE, offset > 0)
            _add(items, occupied, m.start(), end, item)
    items.sort(key=lambda it: it.start)
    return items


def _explicit_dates(low: str, today: date, occupied: Occupied, items: list[DateItem]) -> None:
    """Dates written with digits: "17 Nov", "Nov 17", "20/11", "tgl 5"."""
    months = not _MONTH_TOKENS.isdisjoint(low.translate(_PUNCT_TO_SPACE).split())
    for m in free_matches(_DAY_MONTH, low, occupied) if months else ():
        mon = MONTHS[m["mon"]]
        y = m["y"]
        res = (
            _with_year(today, int(y), mon, int(m["d"]))
            if y
            else _without_year(today, mon, int(m["d"]))
        )
        _add_explicit(items, occupied, low, m, res)
    for m in free_matches(_MONTH_DAY, low, occupied) if months else ():
        mon = MONTHS[m["mon"]]
        y = m["y"]
        res = (
            _with_year(today, int(y), mon, int(m["d"]))
            if y
            else _without_year(today, mon, int(m["d"]))
        )
        _add_explicit(items, occupied, low, m, res)
    for m in free_matches(_NUMERIC_DM, low, occupied) if "/" in low else ():
        d, mon = int(m["d"]), int(m["m"])
        if 1 <= mon <= 12 and 1 <= d <= 31:
            _add_explicit(items, occupied, low, m, _without_year(today, mon, d))
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
    past = [it for it in items if not it.future]
    if not past:
        return None
    return max(past, key=lambda it: (it.priority, -it.start))
