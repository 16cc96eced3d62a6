"""Every message exists in every language with the same placeholders."""

from __future__ import annotations

from datetime import date

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
        empty = [
            k
            for k, v in i18n.catalog(lang).items()
            if not all(text.strip() for text in i18n.forms(v).values())
        ]
        assert empty == []


def test_plural_forms_are_complete() -> None:
    """A message with {count} has every plural form its language needs: English one and
    other, Indonesian other (a plain string is its "other" form)."""
    needed = {"id": {"other"}, "en": {"one", "other"}}
    for lang in i18n.LANGUAGES:
        for key, message in i18n.catalog(lang).items():
            if isinstance(message, dict):
                assert set(message) <= set(i18n.PLURAL_FORMS), (lang, key)
                assert "other" in message, (lang, key)
                assert "count" in i18n.placeholders(message), (lang, key)
            if "count" in i18n.placeholders(message):
                assert needed[lang] <= set(i18n.forms(message)), (lang, key)


def _count_keys() -> list[str]:
    return sorted(k for k, v in i18n.catalog("id").items() if "count" in i18n.placeholders(v))


@pytest.mark.parametrize("key", _count_keys())
def test_every_count_message_with_one_and_two(key: str) -> None:
    args = {name: "X" for name in i18n.placeholders(i18n.catalog("id")[key]) if name != "count"}
    for lang in i18n.LANGUAGES:
        one, two = (i18n.t(lang, key, count=n, **args) for n in (1, 2))
        assert "1" in one and "2" in two and "{" not in one + two, (lang, key)
        assert one.replace("1", "2") != two or lang == "id" or key == "skp.list_title"
        forms = i18n.forms(i18n.catalog(lang)[key])
        assert one == forms["one" if lang == "en" else "other"].format(count=1, **args)
        assert two == forms["other"].format(count=2, **args)


def test_english_singular_and_plural() -> None:
    assert i18n.t("en", "report.understood", count=1) == "📝 I noted 1 activity."
    assert i18n.t("en", "report.understood", count=2) == "📝 I noted 2 activities."
    assert i18n.t("en", "skp.add_result", count=1) == "✅ 1 SKP item added."
    assert i18n.t("en", "skp.add_result", count=0) == "✅ 0 SKP items added."
    assert i18n.t("id", "skp.add_result", count=1) == i18n.t(
        "id", "skp.add_result", count=2
    ).replace("2", "1")


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


def test_a_one_day_range_is_one_date_not_the_date_twice() -> None:
    day, later = date(2026, 11, 28), date(2026, 12, 3)
    assert i18n.format_date_range(day, day, "id", "long") == "28 November 2026"
    assert i18n.format_date_range(day, later, "id", "long") == "28 November 2026 – 3 Desember 2026"
    assert i18n.format_date_range(day, later, "en", "long") == "28 November 2026 – 3 December 2026"
