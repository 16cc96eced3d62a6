"""Indonesian and English number words, and amounts such as "2,5", "1/2", "setengah"."""

from __future__ import annotations

import re
from typing import Final

_DIGITS: Final[dict[str, int]] = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
}
_EN: Final[dict[str, int]] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "forty five": 45,
    "sixty": 60,
    "ninety": 90,
}
_D = "(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)"

#: A number written in words, without word boundaries. One flat alternation with an
#: optional "belas/puluh" tail: nested alternatives made the engine crawl.
NUMBER_WORD: Final = (
    rf"(?:(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan)"
    rf"(?:\s+(?:belas|puluh(?:\s+{_D})?))?"
    r"|sepuluh|sebelas|seratus|eleven|twelve|fifteen|twenty|thirty|forty(?:[\s-]five)?|sixty"
    r"|ninety|one|two|three|four|five|six|seven|eight|nine|ten)"
)
#: Tokens that may start a number word (a cheap test before running word patterns).
NUMBER_WORD_TOKENS: Final = frozenset(
    """
    satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas seratus setengah
    seperempat one two three four five six seven eight nine ten eleven twelve fifteen twenty
    thirty forty sixty ninety half
    """.split()
)

_FRACTION_WORDS: Final[dict[str, float]] = {
    "setengah": 0.5,
    "seperempat": 0.25,
    "tiga perempat": 0.75,
    "½": 0.5,
    "¼": 0.25,
    "¾": 0.75,
    "half": 0.5,
    "half a": 0.5,
    "half an": 0.5,
    "an": 1.0,
    "a": 1.0,
}
_SPACES = re.compile(r"\s+")
_FRACTION = re.compile(r"(\d+)\s*/\s*(\d+)")


def word_to_int(text: str) -> int | None:
    """Value of a number word ("tiga", "dua belas", "tiga puluh lima", "twenty")."""
    words = _SPACES.sub(" ", text.strip().lower())
    if words in _DIGITS:
        return _DIGITS[words]
    if words in _EN:
        return _EN[words]
    special = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
    if words in special:
        return special[words]
    parts = words.split(" ")
    if len(parts) == 2 and parts[1] == "belas" and parts[0] in _DIGITS:
        return 10 + _DIGITS[parts[0]]
    if len(parts) >= 2 and parts[1] == "puluh" and parts[0] in _DIGITS:
        tens = 10 * _DIGITS[parts[0]]
        if len(parts) == 2:
            return tens
        if len(parts) == 3 and parts[2] in _DIGITS:
            return tens + _DIGITS[parts[2]]
    return None


def parse_amount(text: str) -> float | None:
    """Value of an amount: "2", "2,5", "0.5", "1/2", "tiga", "satu setengah", "½"."""
    if text.isdigit():
        return float(text)
    s = _SPACES.sub(" ", text.strip().lower())
    if not s:
        return None
    if s in _FRACTION_WORDS:
        return _FRACTION_WORDS[s]
    extra = 0.0
    for suffix in (" setengah", "½", " ½"):
        if s.endswith(suffix) and s != suffix.strip():
            extra = 0.5
            s = s[: -len(suffix)].strip()
            break
    m = _FRACTION.fullmatch(s)
    if m:
        den = int(m.group(2))
        return int(m.group(1)) / den + extra if den else None
    if s.replace(",", "").replace(".", "").isdigit():
        return float(s.replace(",", ".")) + extra if s.count(",") + s.count(".") <= 1 else None
    value = word_to_int(s)
    return value + extra if value is not None else None
