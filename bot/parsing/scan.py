"""One pass over a line: protected numbers, dates, times, in a fixed priority order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.parsing.dates import find_dates, find_year_dates
from bot.parsing.durations import find_clocks, find_durations, find_ranges
from bot.parsing.masks import find_masks
from bot.parsing.normalize import lower
from bot.parsing.spans import DateItem, Occupied, TimeItem


@dataclass(slots=True)
class ScannedLine:
    text: str
    low: str
    occupied: Occupied
    times: list[TimeItem]
    dates: list[DateItem]

    @property
    def work_items(self) -> list[TimeItem]:
        """Ranges and durations (clock times alone do not make a line an activity)."""
        return [t for t in self.times if t.kind != "clock"]


def scan_line(text: str, today: date) -> ScannedLine:
    """Find everything in one line.

    Order matters: protected numbers ("kelas 5") first, then dates with a year
    ("3-1-2026" is not a range), ranges, durations ("1/2 jam" is not a date), other
    dates, and lone clock times last.
    """
    low = lower(text)
    occupied = Occupied()
    find_masks(low, occupied)
    dates = find_year_dates(low, today, occupied)
    times = find_ranges(low, occupied)
    times += find_durations(low, occupied)
    dates += find_dates(low, today, occupied)
    times += find_clocks(low, occupied)
    times.sort(key=lambda t: t.start)
    dates.sort(key=lambda d: d.start)
    return ScannedLine(text, low, occupied, times, dates)
