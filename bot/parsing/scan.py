"""One pass over a line: protected numbers, dates, times, in a fixed priority order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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
    work_items: list[TimeItem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.work_items = [t for t in self.times if t.kind != "clock"]


# Everything that starts at a number, in priority order: a date with a year before a
# range ("3-1-2026"), a range before a duration, a duration before "D/M" ("1/2 jam"),
# dates before a lone clock time. Each kind is tried with ``match`` at the start of a
# number only, and only if the character after the number allows it (a ``match``
# costs a microsecond; most would fail).
_AMPM: Final = ("am", "pm", "a.", "p.")


def _take(
    kind: str, low: str, m: re.Match[str], today: date, occupied: Occupied
) -> TimeItem | DateItem | None:
    start, end = m.span()
    if kind == "ydate":
        return dates.take_year_date(low, (start, end), m.groupdict(), today, occupied)
    if kind == "range":
        return durations.take_range(low, start, end, m.groupdict(), occupied)
    if kind == "dur":
        minutes = durations.digit_minutes(m.groupdict())
        return durations.take_duration(low, start, end, minutes, occupied)
    if kind == "dm":
        return dates.take_day_slash_month(low, (start, end), m.groupdict(), today, occupied)
    if kind == "dmon":
        return dates.take_day_month(low, (start, end), m.groupdict(), today, occupied)
    return durations.take_clock(low, start, end, m.groupdict(), occupied)


def _kinds(low: str) -> list[tuple[str, re.Pattern[str]]]:
    """The number-led patterns worth trying on this line at all."""
    kinds: list[tuple[str, re.Pattern[str]]] = [("ydate", dates.NUMERIC_Y)]
    if durations.may_have_range(low):
        kinds.append(("range", durations.RANGE))
    if durations.may_have_duration(low):
        kinds.append(("dur", durations.DIGIT_DURATION))
    if "/" in low:
        kinds.append(("dm", dates.NUMERIC_DM))
    if dates.may_have_month(low):
        kinds.append(("dmon", dates.DAY_MONTH))
    kinds.append(("clock", durations.CLOCK))
    return kinds


def _digit_pass(
    low: str, today: date, occupied: Occupied, times: list[TimeItem], found: list[DateItem]
) -> None:
    kinds = _kinds(low)
    for start, end in digit_runs(low):
        if occupied.end_of(start) is not None:
            continue
        after = low[end : end + 1]
        for kind, pattern in kinds:
            # Skip kinds the character after the number rules out (a match costs ~1 us).
            if kind == "ydate":
                if after not in ("/", ".", "-"):
                    continue
            elif kind == "dm":
                if after != "/":
                    continue
            elif kind == "dmon":
                if after not in (" ", "-"):
                    continue
            elif kind == "clock" and not (
                after in (".", ":")
                or low[end : end + 4].lstrip().startswith(_AMPM)
                or has_any(low[max(0, start - 7) : start], durations.CLOCK_KWS)
            ):
                continue
            m = pattern.match(low, start)
            if m is None or not occupied.free(start, m.end()):
                continue
            item = _take(kind, low, m, today, occupied)
            if isinstance(item, TimeItem):
                times.append(item)
                break
            if isinstance(item, DateItem):
                found.append(item)
                break


def scan_line(text: str, today: date) -> ScannedLine:
    """Find everything in one line.

    Order matters: protected numbers ("kelas 5") first, then durations in words
    ("dua jam 30 menit" stays whole), then everything that starts at a number, and
    the word-only dates ("kemarin", "Senin", "tgl 5") last.
    """
    low = lower(text)
    occupied = Occupied()
    find_masks(low, occupied)
    times = durations.find_word_durations(low, occupied)
    found: list[DateItem] = []
    if digit_runs(low):
        _digit_pass(low, today, occupied, times, found)
    found += dates.find_dates(low, today, occupied, digit_dates_done=True)
    times.sort(key=lambda t: t.start)
    found.sort(key=lambda d: d.start)
    return ScannedLine(text, low, occupied, times, found)
