"""Public result types of the report parser and the warning codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Final

GENERIC_DESCRIPTION: Final = "generic_description"
NO_DURATION: Final = "no_duration"
FUTURE_DATE_IGNORED: Final = "future_date_ignored"
OVERLAP: Final = "overlap"
DAY_OVER_16H: Final = "day_over_16h"
#: "tanggal 31 Februari": a day the month does not have; the activity keeps today's date.
IMPOSSIBLE_DATE: Final = "impossible_date"
#: One activity's typed duration or range is over 16 hours ("rapat 17 jam").
DURATION_TOO_LONG: Final = "duration_too_long"
#: The description has no word left ("& < > … 1 jam").
EMPTY_DESCRIPTION: Final = "empty_description"

#: A range past midnight ("23.00-01.00 ronda malam") is split in two: the part until
#: midnight on its day (stored 23.00-23.59, counted to 24.00) and 00.00-01.00 on the next.
OVERNIGHT_SPLIT: Final = "overnight_split"
#: As above, but the next day has not come yet: only the part until midnight is kept.
OVERNIGHT_LATER: Final = "overnight_later"

#: Every warning code ``parse_report`` can emit (the chat needs a text for each).
WARNING_CODES: Final = (
    GENERIC_DESCRIPTION,
    NO_DURATION,
    FUTURE_DATE_IGNORED,
    OVERLAP,
    DAY_OVER_16H,
    IMPOSSIBLE_DATE,
    DURATION_TOO_LONG,
    EMPTY_DESCRIPTION,
    OVERNIGHT_SPLIT,
    OVERNIGHT_LATER,
)


@dataclass(frozen=True, slots=True)
class ParsedActivity:
    """One e-Kinerja "progres harian" candidate taken from a report.

    ``minutes`` is always ``None`` or ``0 < minutes <= 1440``; ``work_date`` is never
    after "today" in the user's zone. ``description`` keeps quantities ("8 berkas")
    but not the date/duration words.
    """

    work_date: date
    minutes: int | None
    start: time | None
    end: time | None
    description: str
    quantity: float | None
    unit: str | None
    warnings: tuple[str, ...]
    #: With ``future_date_ignored``: the future date that was read ("lusa", "Senin depan"),
    #: so the question can name it; the activity itself keeps ``work_date`` (today).
    future_date: date | None = None


@dataclass(frozen=True, slots=True)
class ParseResult:
    """All activities of one message plus message-level warnings.

    ``warnings`` is the union of the activities' warnings in first-seen order, plus
    header-level ones (e.g. a future header date with nothing under it).
    """

    activities: tuple[ParsedActivity, ...]
    warnings: tuple[str, ...]
