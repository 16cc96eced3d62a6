"""Every message exists in every language with the same placeholders."""

from __future__ import annotations

import pytest

from bot import i18n


def test_every_key_has_every_translation() -> None:
    catalogs = {lang: i18n.catalog(lang) for lang in i18n.LANGUAGES}
    all_keys = set().union(*catalogs.values())
    missing = {lang: sorted(all_keys - cat.keys()) for lang, cat in catalogs.items()}
    assert missing == {lang: [] for lang in i18n.LANGUAGES}


def test_placeholders_match_between_languages() -> None:
    base = i18n.catalog("id")
    for lang in i18n.LANGUAGES:
        cat = i18n.catalog(lang)
        for key, text in base.items():
            assert i18n.placeholders(cat[key]) == i18n.placeholders(text), (lang, key)


def test_same_feature_files_in_every_language() -> None:
    names = {lang: [p.name for p in i18n.catalog_files(lang)] for lang in i18n.LANGUAGES}
    assert names["en"] == names["id"]


def test_no_empty_messages() -> None:
    for lang in i18n.LANGUAGES:
        assert [k for k, v in i18n.catalog(lang).items() if not v.strip()] == []


def test_arguments_are_html_escaped_unless_marked() -> None:
    out = i18n.t("id", "start.welcome_back", name="<script>&")
    assert "&lt;script&gt;&amp;" in out
    assert "<b>&lt;script" in out
    assert "<i>x</i>" in i18n.t("id", "start.welcome_back", name=i18n.Html("<i>x</i>"))


@pytest.mark.parametrize(
    ("code", "expected"), [("en-US", "en"), ("id", "id"), ("ms", "id"), (None, "id")]
)
def test_normalize_language(code: str | None, expected: str) -> None:
    assert i18n.normalize_language(code) == expected


def test_indonesian_dates_and_hours() -> None:
    from datetime import date

    assert i18n.format_date(date(2026, 11, 23), "id") == "Senin, 23 November 2026"
    assert i18n.format_date(date(2026, 11, 23), "en") == "Monday, 23 November 2026"
    assert i18n.format_hours(450, "id") == "7,5"
    assert i18n.format_hours(450, "en") == "7.5"
