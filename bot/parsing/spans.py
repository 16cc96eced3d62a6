"""Matched pieces of a line (times, dates, protected numbers) and their bookkeeping."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache
from typing import Final, Literal

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
    """A date expression; ``priority``: 3 explicit, 2 weekday, 1 relative word.

    ``impossible``: a day the month does not have ("31 Februari"); ``value`` is then
    meaningless and the item only claims its text and raises a warning.
    """

    start: int
    end: int
    value: date
    priority: int
    future: bool = False
    impossible: bool = False


class Occupied:
    """Character ranges already claimed, so later patterns cannot reuse them."""

    __slots__ = ("_spans",)

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    @property
    def spans(self) -> list[tuple[int, int]]:
        """The claimed ranges (read them, do not change them)."""
        return self._spans

    def free(self, start: int, end: int) -> bool:
        for s, e in self._spans:
            if start < e and end > s:
                return False
        return True

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


def has_any(text: str, needles: tuple[str, ...]) -> bool:
    """Whether any needle occurs in ``text`` (a plain loop: ``any()`` costs twice as much)."""
    for needle in needles:
        if needle in text:
            return True
    return False


_DIGIT_RUN = re.compile(r"\d+")
_WORD = re.compile(r"[a-z']+")
# ASCII lines (nearly all) are scanned as bytes: ``bytes.translate``/``find`` run at C
# speed, where a regex costs ~100 instructions a character.
_DIGIT_BYTES: Final = bytes(48 if 48 <= i <= 57 else 32 for i in range(256))
_WORD_BYTES: Final = bytes(i if 97 <= i <= 122 or i == 39 else 32 for i in range(256))


@lru_cache(maxsize=16)
def digit_runs(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each run of digits (cached: every finder of a line asks)."""
    if not text.isascii():
        return tuple([m.span() for m in _DIGIT_RUN.finditer(text)])
    marks = text.encode("ascii").translate(_DIGIT_BYTES)  # digits "0", the rest " "
    runs: list[tuple[int, int]] = []
    start = marks.find(48)
    while start >= 0:
        end = marks.find(32, start)
        if end < 0:
            runs.append((start, len(marks)))
            break
        runs.append((start, end))
        start = marks.find(48, end)
    return tuple(runs)


@lru_cache(maxsize=16)
def digit_starts(text: str) -> tuple[int, ...]:
    """Where digit runs start."""
    return tuple(start for start, _ in digit_runs(text))


@lru_cache(maxsize=16)
def line_words(text: str) -> frozenset[str]:
    """The words (runs of a-z and "'") of a lower-cased line: "(selasa)" → "selasa".

    Set lookups on these are the cheap gates that decide which patterns run at all; the
    patterns themselves still decide what matches.
    """
    if not text.isascii():
        return frozenset(_WORD.findall(text))
    return frozenset(text.encode("ascii").translate(_WORD_BYTES).decode("ascii").split())


def digit_matches(
    pattern: re.Pattern[str], text: str, occupied: Occupied
) -> Iterator[re.Match[str]]:
    """Free matches of a pattern that can only start where a number starts.

    ``pattern.match`` at those few positions instead of ``search`` over the line: the
    hot path's main saving (a search costs microseconds; most of it fails).
    """
    for pos in digit_starts(text):
        if occupied.end_of(pos) is not None:
            continue
        m = pattern.match(text, pos)
        if m is not None and m.end() > pos and occupied.free(pos, m.end()):
            yield m
