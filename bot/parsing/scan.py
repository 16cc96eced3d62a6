"""One pass over a line: protected numbers, dates, times, in a fixed priority order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.parsing import dates, durations
from bot.parsing.masks import find_masks
from bot.parsing.normalize import lower
from bot.parsing.spans import DateItem, Occupied, TimeItem, digit_runs, has_any


@dataclass(slots=True)
class ScannedLine:
    text: str
    low: str
    occupied: Occupied
    times: list[TimeItem]
    dates: list[DateItem]
    #: Ranges and durations (clock times alone do not make a line an activity).
    work_items: list[TimeItem]
    has_digits: bool


# Everything that starts at a number, in priority order: a date with a year before a
# range ("3-1-2026"), a range before a duration, a duration before "D/M" ("1/2 jam"),
# dates before a lone clock time. Each kind is tried with ``match`` at the start of a
# number only, and only if the character after the number allows it (a ``match``
# costs a microsecond; most would fail).
_AMPM: Final = ("am", "pm", "a.", "p.")
_YDATE_AFTER: Final = frozenset("/.-")
_DMON_AFTER: Final = frozenset(" -")
_CLOCK_AFTER: Final = frozenset(".:")
#: First characters that can follow the number of a ``RANGE`` (am/pm, zone, period, or
#: the separator: "-", "s.d", "sampai", "hingga", "until", "to", "~", ">") …
_RANGE_NEXT: Final = frozenset("apwsmd-hut~>")
#: … and of a ``DIGIT_DURATION`` ("jam", "jp", "x", "-3 jam", ",5", "/2", "setengah", "½",
#: "hours", "h", "menit", "m").
_DURATION_NEXT: Final = frozenset("jx×-.,/s½hm")


def _digit_pass(
    low: str,
    today: date,
    occupied: Occupied,
    times: list[TimeItem],
    found: list[DateItem],
    runs: tuple[tuple[int, int], ...],
) -> None:
    may_range: bool | None = None  # line-level gates, worked out when first needed
    may_month: bool | None = None
    may_dm = "/" in low
    free = occupied.free
    claimed = occupied.spans  # grows as items are claimed
    for start, end in runs:
        covered = False
        for s, e in claimed:  # inline ``occupied.end_of(start) is not None``
            if s <= start < e:
                covered = True
                break
        if covered:
            continue
        after = low[end : end + 1]
        # What follows the number (after spaces; for a range, after ".MM" too) decides
        # which patterns can match at all: "2 jam" is never a range, "32 lembar" never a
        # duration. Each kind is tried in priority order, only where it can match (a
        # ``match`` costs a microsecond or two; most would fail).
        nxt = after
        if nxt.isspace():
            nxt = low[end + 1 : end + 2]
            if nxt.isspace():
                nxt = low[end:].lstrip()[:1]
        if after in _CLOCK_AFTER and low[end + 1 : end + 3].isdigit():
            range_nxt = low[end + 3 :].lstrip()[:1]
        else:
            range_nxt = nxt
        if after in _YDATE_AFTER:
            m = dates.NUMERIC_Y.match(low, start)
            if m is not None and free(start, m.end()):
                day = dates.take_year_date(low, m.span(), m.groupdict(), today, occupied)
                if day is not None:
                    found.append(day)
                    continue
        if end - start <= 2 and range_nxt in _RANGE_NEXT:
            if may_range is None:
                may_range = durations.may_have_range(low)
            m = durations.RANGE.match(low, start) if may_range else None
            if m is not None and free(start, m.end()):
                item = durations.take_range(low, m, occupied)
                if item is not None:
                    times.append(item)
                    continue
        m = durations.DIGIT_DURATION.match(low, start) if nxt in _DURATION_NEXT else None
        if m is not None and free(start, m.end()):
            minutes = durations.duration_match_minutes(m)
            item = durations.take_duration(low, start, m.end(), minutes, occupied)
            if item is not None:
                times.append(item)
                continue
        if may_dm and after == "/":
            m = dates.NUMERIC_DM.match(low, start)
            if m is not None and free(start, m.end()):
                day = dates.take_day_slash_month(low, m.span(), m.groupdict(), today, occupied)
                if day is not None:
                    found.append(day)
                    continue
        if after in _DMON_AFTER and end - start <= 2:
            if may_month is None:
                may_month = dates.may_have_month(low)
            m = dates.DAY_MONTH.match(low, start) if may_month else None
            if m is not None and free(start, m.end()):
                day = dates.take_day_month(low, m.span(), m.groupdict(), today, occupied)
                if day is not None:
                    found.append(day)
                    continue
        if (
            after in _CLOCK_AFTER
            or ((nxt == "a" or nxt == "p") and low[end : end + 4].lstrip().startswith(_AMPM))
            or has_any(low[max(0, start - 7) : start], durations.CLOCK_KWS)
        ):
            m = durations.CLOCK.match(low, start)
            if m is not None and free(start, m.end()):
                item = durations.take_clock(low, start, m.end(), m.groupdict(), occupied)
                if item is not None:
                    times.append(item)


def scan_line(text: str, today: date) -> ScannedLine:
    """Find everything in one line.

    Order matters: protected numbers ("kelas 5") first, then durations in words
    ("dua jam 30 menit" stays whole), then everything that starts at a number, and
    the word-only dates ("kemarin", "Senin", "tgl 5") last.
    """
    low = lower(text)
    occupied = Occupied()
    runs = digit_runs(low)
    if runs:
        find_masks(low, occupied)
    times = durations.find_word_durations(low, occupied)
    found: list[DateItem] = []
    if runs:
        _digit_pass(low, today, occupied, times, found, runs)
    found += dates.find_dates(low, today, occupied, digit_dates_done=True)
    if len(times) > 1:
        times.sort(key=_start)
        work = [t for t in times if t.kind != "clock"]
    else:
        work = times if not times or times[0].kind != "clock" else []
    if len(found) > 1:
        found.sort(key=_start)
    return ScannedLine(text, low, occupied, times, found, work, bool(runs))


def _start(item: TimeItem | DateItem) -> int:
    return item.start
