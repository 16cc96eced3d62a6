"""Telegram HTML parse_mode: same results and error texts as tdlib's parse_html."""

from __future__ import annotations

import pytest

from bot.sandbox.html_entities import (
    EntityParseError,
    entities_to_html,
    find_bot_commands,
    parse_html,
    parse_text,
    utf16_len,
)


def test_tags_become_entities_with_utf16_offsets() -> None:
    parsed = parse_text(
        "😀 <b>tebal</b> <i>miring</i> <a href='https://x.id'>tautan</a>", "HTML", None
    )
    assert parsed.text == "😀 tebal miring tautan"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 5},
        {"type": "italic", "offset": 9, "length": 6},
        {"type": "text_link", "offset": 16, "length": 6, "url": "https://x.id"},
    ]
    assert parsed.utf16_length == utf16_len(parsed.text) == 22


def test_entities_are_decoded() -> None:
    parsed = parse_html("&lt;b&gt; &amp; &quot;x&quot; &#65;&#x42; &nbsp; a & b")
    assert parsed.text == '<b> & "x" AB &nbsp; a & b'


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("ab <br>", 'Unsupported start tag "br" at byte offset 3'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<b>tebal", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("x <", "Unclosed start tag at byte offset 2"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("é<foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("<a href=x/y>t</a>", "Unexpected end of name token at byte offset 8"),
        ("<tg-emoji emoji-id=abc>👍</tg-emoji>", "Invalid custom emoji identifier specified"),
    ],
)
def test_errors_match_telegram(source: str, message: str) -> None:
    with pytest.raises(EntityParseError) as info:
        parse_html(source)
    assert info.value.message == message


def test_pre_code_language_and_blockquotes() -> None:
    parsed = parse_html(
        '<pre><code class="language-python">x = 1</code></pre>'
        "<blockquote>q</blockquote><blockquote expandable>e</blockquote>"
        '<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler><code>c</code>'
    )
    types = [(e["type"], e.get("language")) for e in parsed.entities]
    assert types == [
        ("pre", "python"),
        ("blockquote", None),
        ("expandable_blockquote", None),
        ("spoiler", None),
        ("spoiler", None),
        ("code", None),
    ]


def test_text_is_cleaned_and_trimmed_like_telegram() -> None:
    parsed = parse_text(" \n <b>hi</b>\tthere\r\n ", "HTML", None)
    assert parsed.text == "hi there"
    assert parsed.entities == [{"type": "bold", "offset": 0, "length": 2}]
    assert parse_text("<b> </b>", "HTML", None).text == ""


def test_other_parse_modes() -> None:
    assert parse_text("a\\.b *c*", "MarkdownV2", None).text == "a.b *c*"
    assert parse_text("<b>raw</b>", None, None).text == "<b>raw</b>"
    with pytest.raises(ValueError, match="unsupported parse_mode"):
        parse_text("x", "BBCode", None)


def test_entities_render_back_to_safe_html() -> None:
    parsed = parse_html(
        "<b>a <i>b</i></b> &lt;script&gt; <a href='https://e.id?a=1&amp;b=\"'>l</a>"
    )
    html = entities_to_html(parsed.text, parsed.entities)
    assert html == (
        '<b>a <i>b</i></b> &lt;script&gt; <a href="https://e.id?a=1&amp;b=&quot;">l</a>'
    )


def test_bot_commands_are_found() -> None:
    assert find_bot_commands("/start ABC") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert find_bot_commands("x /help@kinerja_bot") == [
        {"type": "bot_command", "offset": 2, "length": 17}
    ]
    assert find_bot_commands("a/b 1/2") == []
