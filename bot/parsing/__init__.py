"""Free-text ASN daily report parser (pure: no Telegram, no database).

``parse_report`` turns a message into e-Kinerja activities; ``parse_duration_text`` and
``parse_date_text`` read the short answers the chat asks for.
"""

from bot.parsing.model import (
    DAY_OVER_16H,
    DURATION_TOO_LONG,
    EMPTY_DESCRIPTION,
    FUTURE_DATE_IGNORED,
    GENERIC_DESCRIPTION,
    IMPOSSIBLE_DATE,
    NO_DURATION,
    OVERLAP,
    OVERNIGHT_LATER,
    OVERNIGHT_SPLIT,
    WARNING_CODES,
    ParsedActivity,
    ParseResult,
)
from bot.parsing.parser import (
    local_today,
    parse_date_text,
    parse_duration_text,
    parse_report,
)
from bot.parsing.vague import is_vague as is_generic_description

__all__ = [
    "DAY_OVER_16H",
    "DURATION_TOO_LONG",
    "EMPTY_DESCRIPTION",
    "FUTURE_DATE_IGNORED",
    "GENERIC_DESCRIPTION",
    "IMPOSSIBLE_DATE",
    "NO_DURATION",
    "OVERLAP",
    "OVERNIGHT_LATER",
    "OVERNIGHT_SPLIT",
    "WARNING_CODES",
    "ParseResult",
    "ParsedActivity",
    "is_generic_description",
    "local_today",
    "parse_date_text",
    "parse_duration_text",
    "parse_report",
]
