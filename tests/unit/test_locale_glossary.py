"""One glossary per language (issue 7 defect 10): each thing has one name and one unit.

locales/<lang>/glossary.json holds the chosen words; every other message must use them.
Text inside <i>…</i> and <code>…</code> is left out: there the messages quote what a
person may *type* ("1j30m", "/digest 16.00"), which is read whatever the glossary says.
"""

from __future__ import annotations

import re
from datetime import time

import pytest

from bot import i18n

# concept → (glossary key, the word it must be, spellings of the same thing that must not appear)
CONCEPTS: dict[str, dict[str, tuple[str, str, str]]] = {
    "id": {
        "description": ("term.description", "Uraian", r"\b[Dd]eskripsi\b"),
        "minute": ("unit.minute_short", "menit", r"\bmnt\b|\d ?m\b"),
        "hour": ("unit.hour_short", "jam", r"\d ?j\b|\} ?j\b"),
        "clock": ("unit.clock", "{hour}.{minute}", r"\b\d{1,2}:\d{2}\b"),
        "extra_task": (
            "term.extra_task",
            "Tugas tambahan",
            r"\b[Tt]ugas lain\b|\b[Tt]ugas di luar SKP\b",
        ),
        "output": ("term.output", "Realisasi", r"\b[Cc]apaian\b"),
        "evidence": ("term.evidence", "Bukti dukung", r"\b[Bb]ukti pendukung\b|\b[Ll]ampiran\b"),
    },
    "en": {
        "description": ("term.description", "Description", r"\b[Uu]raian\b|\b[Dd]escr\.\b"),
        "minute": ("unit.minute_short", "min", r"\bmins?\.|\bmnt\b|\d ?m\b"),
        "hour": ("unit.hour_short", "h", r"\d ?hrs?\b|\d ?j\b"),
        "clock": ("unit.clock", "{hour}:{minute}", r"\b\d{1,2}\.\d{2}\b"),
        "extra_task": ("term.extra_task", "Additional task", r"\b[Ee]xtra task\b"),
        "output": ("term.output", "Output", r"\b[Rr]ealisasi\b|\b[Aa]chievement\b"),
        "evidence": ("term.evidence", "Supporting evidence", r"\b[Aa]ttachment\b|\b[Pp]roof\b"),
    },
}
# Keys that show a glossary word on their own (a button, a label) must be exactly it.
SAME_AS = {
    "report.btn_edit_text": "term.description",
    "report.btn_edit_duration": "term.duration",
    "report.btn_edit_date": "term.date",
    "report.btn_edit_skp": "term.skp_item",
    "report.extra_task": "term.extra_task",
    "report.btn_edit_time": "term.time",
    "entries.clock": "unit.clock",
}
_QUOTED = re.compile(r"<(i|code)>.*?</\1>", re.DOTALL)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_glossary_words_are_the_chosen_ones(lang: str) -> None:
    cat = i18n.catalog(lang)
    for key, word, _ in CONCEPTS[lang].values():
        assert cat[key] == word, (lang, key)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_message_names_a_glossary_thing_differently(lang: str) -> None:
    cat = i18n.catalog(lang)
    wrong = []
    for key, text in cat.items():
        if key.startswith(("term.", "unit.")):
            continue
        forms = text.values() if isinstance(text, dict) else [text]  # plural forms
        plain = _QUOTED.sub("", " ".join(forms))
        for concept, (_, _, avoid) in CONCEPTS[lang].items():
            if re.search(avoid, plain):
                wrong.append((key, concept, plain[:80]))
    assert wrong == []


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_labels_are_the_glossary_word(lang: str) -> None:
    cat = i18n.catalog(lang)
    for key, term in SAME_AS.items():
        if key in cat:
            label = re.sub(r"^[^\w{]+\s*", "", str(cat[key]))  # an emoji in front is fine
            assert label == cat[term], (lang, key)


def test_durations_and_clock_times_use_the_glossary() -> None:
    assert i18n.format_duration(90, "id") == "1 jam 30 menit"
    assert i18n.format_duration(30, "id") == "30 menit"
    assert i18n.format_duration(120, "en") == "2 h"
    assert i18n.format_duration(90, "en") == "1 h 30 min"
    assert i18n.format_clock(time(7, 30), "id") == "07.30"
    assert i18n.format_clock("07:30", "en") == "07:30"
    assert i18n.format_span("08:00", time(9, 30), "id") == "08.00–09.30"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_parser_warning_has_a_text(lang: str) -> None:
    """Issue 7 defect 6 / issue 8 defect 6: no warning the parser emits goes unexplained."""
    from bot.parsing import WARNING_CODES

    cat = i18n.catalog(lang)
    assert [c for c in WARNING_CODES if f"report.warn_{c}" not in cat] == []


def test_no_code_writes_clock_times_by_hand() -> None:
    """Clock times shown to people go through i18n.format_clock / format_span (the glossary),
    never a hard-coded '%H.%M' that is wrong for English readers."""
    from pathlib import Path

    root = Path(i18n.__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for folder in ("bot", "handlers")
        for path in (root / folder).rglob("*.py")
        if "parsing" not in path.parts
        and "sandbox" not in path.parts
        and re.search(r"%H\.%M", path.read_text(encoding="utf-8"))
    ]
    assert offenders == ["bot/approval_requests.py"]  # its fallback when a time is missing
