"""Bilingual domain glossary for the SKP matcher (data: one JSON file per domain).

Reports name things the way people talk ("promotion files", "printer", "webinar"); SKP
items word them the way e-Kinerja does ("kenaikan pangkat", "sarana dan prasarana TIK",
"pengembangan diri"). Each entry maps a ``term`` (Indonesian or English) to what it
``means`` in SKP words; the matcher's normalisation (``bot.textnorm``) adds those words
after the term, on both sides. Each file also holds the SKP titles its entries are
tested against (``skp``) and, per entry, an ``example`` activity and its ``skp`` key.

Files: kepegawaian, pendidikan, kesehatan, tik, keuangan, perencanaan. Loaded once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Final

DOMAINS: Final = ("kepegawaian", "pendidikan", "kesehatan", "tik", "keuangan", "perencanaan")


@dataclass(frozen=True, slots=True)
class Entry:
    """One glossary term: ``term`` (lower-case) means ``means`` in SKP words."""

    domain: str
    term: str
    lang: str
    means: str
    example: str
    skp: str


@dataclass(frozen=True, slots=True)
class Domain:
    name: str
    skp: dict[str, str]
    entries: tuple[Entry, ...]


class GlossaryError(ValueError):
    """A glossary file is malformed (a packaging or editing mistake, not user input)."""


def _entry(domain: str, raw: object, skp: dict[str, str]) -> Entry:
    if not isinstance(raw, dict):
        raise GlossaryError(f"{domain}: an entry is not an object")
    fields: dict[str, str] = {}
    for key in ("term", "lang", "means", "example", "skp"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise GlossaryError(f"{domain}: entry {raw!r} lacks {key!r}")
        fields[key] = value.strip()
    if fields["lang"] not in ("id", "en"):
        raise GlossaryError(f"{domain}: {fields['term']!r} has lang {fields['lang']!r}")
    if fields["skp"] not in skp:
        raise GlossaryError(f"{domain}: {fields['term']!r} names unknown SKP {fields['skp']!r}")
    return Entry(
        domain,
        fields["term"].lower(),
        fields["lang"],
        fields["means"].lower(),
        fields["example"],
        fields["skp"],
    )


@lru_cache(maxsize=1)
def load() -> tuple[Domain, ...]:
    """Every domain file, read and checked once per process."""
    domains: list[Domain] = []
    base = resources.files(__package__ or "bot.glossary")
    for name in DOMAINS:
        data = json.loads(base.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        skp = data.get("skp")
        if not isinstance(skp, dict) or not all(isinstance(v, str) for v in skp.values()):
            raise GlossaryError(f"{name}: 'skp' must map keys to titles")
        entries = tuple(_entry(name, raw, skp) for raw in data.get("entries", ()))
        domains.append(Domain(name, dict(skp), entries))
    return tuple(domains)


def entries() -> tuple[Entry, ...]:
    """All entries of all domains, in file order."""
    return tuple(e for d in load() for e in d.entries)
