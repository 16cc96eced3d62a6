"""Jam mulai/selesai for entries that only have a duration.

e-Kinerja wants a start and end time on every daily entry, but people report "rapat
1,5 jam". `lay_out` places such entries into the work day (Perpres 21/2023: start 07.30,
break 12.00-13.00, Friday 11.30-13.00) around what is already booked, so the copied
entries never overlap and never claim the break.

Rules, in order:
- an item with both start and end keeps them; with only one of them, the other is
  derived from its minutes; these "fixed" items are kept even if they overlap;
- the other items are placed in the given order, each at the earliest free time from
  `day_start` that is not before the previous placed item's end, so the order of the
  report is kept while gaps before existing or fixed entries are still used;
- an item never overlaps an existing entry, a fixed item or the break: one that cannot
  finish before the next busy range starts after it (one range per entry, no splitting);
- nothing runs past 23:59 (times cannot cross midnight): an item that fits in no free
  gap left in the day takes the longest one, shortened to it; when nothing is left at
  all it gets the empty range 23:59-23:59. The caller may then warn about the hours
  (the report flow's Kirim refuses such a draft: no stored activity ends at or before
  its start, issue 8 defect 6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

DAY_START = time(7, 30)
LAST_MINUTE = 23 * 60 + 59  # 23:59; an entry cannot cross midnight


@dataclass(frozen=True)
class LayoutItem:
    minutes: int
    start: time | None = None
    end: time | None = None


def break_range(work_date: date) -> tuple[time, time]:
    """The lunch break: 60 minutes, 90 on Friday for Friday prayer."""
    if work_date.weekday() == 4:
        return time(11, 30), time(13, 0)
    return time(12, 0), time(13, 0)


def _m(t: time) -> int:
    return t.hour * 60 + t.minute


def _t(minutes: int) -> time:
    minutes = max(0, min(minutes, LAST_MINUTE))
    return time(minutes // 60, minutes % 60)


def _fixed(item: LayoutItem) -> tuple[int, int] | None:
    minutes = max(item.minutes, 0)
    if item.start is not None and item.end is not None:
        return _m(item.start), _m(item.end)
    if item.start is not None:
        start = _m(item.start)
        return start, min(start + minutes, LAST_MINUTE)
    if item.end is not None:
        end = _m(item.end)
        return max(end - minutes, 0), end
    return None


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _gaps(busy: list[tuple[int, int]], cursor: int) -> list[tuple[int, int]]:
    """Free [start, end) ranges from `cursor` to 23:59 (busy is merged and sorted)."""
    gaps: list[tuple[int, int]] = []
    start = cursor
    for b_start, b_end in busy:
        if b_end <= start:
            continue
        if b_start > start:
            gaps.append((start, min(b_start, LAST_MINUTE)))
        start = max(start, b_end)
    if start < LAST_MINUTE:
        gaps.append((start, LAST_MINUTE))
    return [g for g in gaps if g[1] > g[0]]


def _place(busy: list[tuple[int, int]], cursor: int, minutes: int) -> tuple[int, int]:
    """The earliest free gap that holds `minutes`, else the longest gap left, cut to it."""
    gaps = _gaps(busy, cursor)
    for start, end in gaps:
        if end - start >= minutes:
            return start, start + minutes
    if not gaps:
        return LAST_MINUTE, LAST_MINUTE
    return max(gaps, key=lambda g: g[1] - g[0])  # max() keeps the earliest of equals


def lay_out(
    work_date: date,
    existing: Sequence[tuple[time, time]],
    items: Sequence[LayoutItem],
    *,
    day_start: time = DAY_START,
) -> list[tuple[time, time]]:
    """(start, end) for each item, in the order given (see the module docstring)."""
    fixed = [_fixed(item) for item in items]
    brk = break_range(work_date)
    busy_ranges = [(_m(s), _m(e)) for s, e in existing]
    busy_ranges += [r for r in fixed if r is not None]
    busy_ranges.append((_m(brk[0]), _m(brk[1])))
    busy = _merge(busy_ranges)

    cursor = _m(day_start)
    out: list[tuple[time, time]] = []
    for item, given in zip(items, fixed, strict=True):
        if given is not None:
            out.append((_t(given[0]), _t(given[1])))
            continue
        start, end = _place(busy, cursor, max(item.minutes, 0))
        cursor = end
        busy = _merge([*busy, (start, end)])
        out.append((_t(start), _t(end)))
    return out
