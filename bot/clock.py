"""Injectable time source: scheduling and "today" are tested by swapping the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Asia/Jakarta"  # WIB


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock tests can set and move; it does not advance on its own."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        self._at = at

    def advance(self, **kwargs: float) -> None:
        self._at += timedelta(**kwargs)


def zone(timezone: str | None) -> ZoneInfo:
    """A person's zone; a bad or missing name in the database falls back to WIB, not a crash."""
    try:
        return ZoneInfo(timezone or DEFAULT_ZONE)
    except (ValueError, KeyError):
        return ZoneInfo(DEFAULT_ZONE)


def local_now(now: datetime, timezone: str | None) -> datetime:
    """`now` on the wall clock of someone living in `timezone`."""
    return now.astimezone(zone(timezone))


def local_today(now: datetime, timezone: str | None) -> date:
    """Today for someone living in `timezone` (an employee's `timezone` column)."""
    return local_now(now, timezone).date()
