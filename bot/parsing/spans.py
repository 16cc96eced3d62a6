"""Matched pieces of a line (times, dates, protected numbers) and their bookkeeping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from typing import Literal

TimeKind = Literal["range", "dur", "clock"]


@dataclass(slots=True)
class TimeItem:
    """A time range ("08.30-10.00"), a duration ("2 jam") or a clock time ("jam 9")."""

    start: int
    end: int
    kind: TimeKind
    minutes: int | None = None
    t_start: time | None = None
    t_end: time | None = None


@dataclass(slots=True)
class DateItem:
    """A date expression; ``priority``: 3 explicit, 2 weekday, 1 relative word."""

    start: int
    end: int
    value: date
    priority: int
    future: bool = False


class Occupied:
    """Character ranges already claimed, so later patterns cannot reuse them."""

    __slots__ = ("_spans",)

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in self._spans)

    def add(self, start: int, end: int) -> None:
        self._spans.append((start, end))

    def end_of(self, pos: int) -> int | None:
        """End of the claimed range covering ``pos``, if any."""
        for s, e in self._spans:
            if s <= pos < e:
                return e
        return None

    def claim(self, start: int, end: int) -> bool:
        """Claim the range if it is free; say whether it was."""
        if self.free(start, end):
            self._spans.append((start, end))
            return True
        return False


def free_matches(
    pattern: re.Pattern[str], text: str, occupied: Occupied
) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that do not touch claimed ranges.

    Unlike ``finditer``, a match that collides is retried one character later, so
    "kelas 4-6 setengah jam" still finds "setengah jam" after the masked "4-6".
    """
    pos = 0
    while pos <= len(text):
        m = pattern.search(text, pos)
        if m is None:
            return
        if m.start() == m.end():
            pos = m.end() + 1
            continue
        if occupied.free(m.start(), m.end()):
            yield m
            pos = m.end()
        else:
            # A match cannot start inside a claimed range: jump past it.
            pos = occupied.end_of(m.start()) or m.start() + 1
