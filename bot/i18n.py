"""Translations from `locales/*.json` and Babel formatting.

Arguments are HTML-escaped by default because every message goes out with
parse_mode=HTML: user text (names, activity descriptions) can never break markup.
Wrap trusted markup in `Html` to pass it through.

A message that depends on a number is a dict of plural forms, chosen by the language's
CLDR plural rules (Babel) for the `count` argument:

    "skp.add_result": {"one": "✅ {count} SKP item added.", "other": "✅ {count} SKP items added."}

Indonesian has one form ("other"), so its messages may stay plain strings.
"""

from __future__ import annotations

import html
import json
import string
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any, TypeAlias

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")  # CLDR's categories

Message: TypeAlias = str | dict[str, str]  # a text, or its plural forms


class Html(str):
    """A string already safe for Telegram HTML; `t()` does not escape it."""

    __slots__ = ()


class DuplicateKey(Exception):
    """Two locale files define the same key: one would silently win."""


def catalog_files(lang: str) -> list[Path]:
    """`locales/<lang>/*.json`, one file per feature so features can grow independently."""
    return sorted((LOCALES_DIR / lang).glob("*.json"))


@cache
def catalog(lang: str) -> dict[str, Message]:
    data: dict[str, Message] = {}
    for path in catalog_files(lang):
        with path.open(encoding="utf-8") as fh:
            part: dict[str, Message] = json.load(fh)
        clash = data.keys() & part.keys()
        if clash:
            raise DuplicateKey(f"{path.name}: {sorted(clash)}")
        data.update(part)
    return data


def normalize_language(code: str | None) -> str:
    """Map a Telegram language_code (e.g. 'en-US') to one we speak; Indonesian otherwise."""
    if code:
        base = code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return DEFAULT_LANGUAGE


def _escape(value: Any) -> Any:
    if isinstance(value, Html):
        return value
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value


def forms(message: Message) -> dict[str, str]:
    """A message's plural forms; a plain text is its only ("other") form."""
    return message if isinstance(message, dict) else {"other": message}


@cache
def _plural_rule(lang: str) -> Locale:
    return Locale.parse(lang)


def plural_form(lang: str, count: Any) -> str:
    """The CLDR plural category of `count` in `lang` ("one", "other", …)."""
    if isinstance(count, bool) or not isinstance(count, int | float):
        return "other"
    return str(_plural_rule(lang).plural_form(abs(count)))


def t(lang: str | None, key: str, /, **kwargs: Any) -> str:
    """The message `key` in `lang` (falling back to Indonesian), formatted with escaped kwargs;
    for a message with plural forms, the form for the `count` argument."""
    lang = normalize_language(lang)
    message = catalog(lang).get(key)
    if message is None:
        lang, message = DEFAULT_LANGUAGE, catalog(DEFAULT_LANGUAGE).get(key, key)
    if isinstance(message, dict):
        text = message.get(plural_form(lang, kwargs.get("count")), message["other"])
    else:
        text = message
    if not kwargs:
        return text
    return text.format_map({k: _escape(v) for k, v in kwargs.items()})


def placeholders(message: Message) -> set[str]:
    """The arguments a message takes (in any of its plural forms)."""
    return {
        name
        for text in forms(message).values()
        for _, name, _, _ in string.Formatter().parse(text)
        if name
    }


def format_date(d: date, lang: str | None, fmt: str = "full") -> str:
    """'Senin, 23 November 2026' / 'Monday, 23 November 2026'."""
    lang = normalize_language(lang)
    pattern = {"full": "EEEE, d MMMM y", "long": "d MMMM y", "short": "EEE, d MMM"}.get(fmt, fmt)
    return _babel_date(d, pattern, locale=lang)


def format_date_range(start: date, end: date, lang: str | None, fmt: str = "full") -> str:
    """One date for a one-day range, else 'start – end' (never "28 Nov – 28 Nov")."""
    if start == end:
        return format_date(start, lang, fmt)
    first, last = format_date(start, lang, fmt), format_date(end, lang, fmt)
    return t(lang, "calendar.date_span", start=first, end=last)


def format_datetime(dt: datetime, lang: str | None, fmt: str = "d MMM y HH:mm") -> str:
    return _babel_datetime(dt, fmt, tzinfo=dt.tzinfo, locale=normalize_language(lang))


def format_hours(minutes: int, lang: str | None) -> str:
    """Minutes as hours with one decimal in the locale's style: 450 → '7,5' (id) / '7.5' (en)."""
    return format_decimal(
        round(minutes / 60, 2), format="#,##0.##", locale=normalize_language(lang)
    )


def format_clock(value: time | str, lang: str | None) -> str:
    """A clock time as the glossary writes it: '07.30' (id) / '07:30' (en).

    Accepts a `time` or the drafts' 'HH:MM' string."""
    if isinstance(value, str):
        hour, _, minute = value.partition(":")
    else:
        hour, minute = f"{value.hour:02d}", f"{value.minute:02d}"
    return t(lang, "unit.clock", hour=hour, minute=minute)


def format_span(start: time | str, end: time | str, lang: str | None) -> str:
    """'08.00–09.30' (id) / '08:00–09:30' (en)."""
    return f"{format_clock(start, lang)}–{format_clock(end, lang)}"


def format_duration(minutes: int, lang: str | None) -> str:
    """90 → '1 jam 30 menit' (id) / '1 h 30 min' (en): the glossary's units."""
    h, m = divmod(int(minutes), 60)
    hu = t(lang, "unit.hour_short")
    mu = t(lang, "unit.minute_short")
    if h and m:
        return f"{h} {hu} {m} {mu}"
    if h:
        return f"{h} {hu}"
    return f"{m} {mu}"
