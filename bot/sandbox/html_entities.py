"""Telegram's HTML parse_mode, ported from tdlib's ``parse_html`` so errors match byte for byte.

The real Bot API answers ``Bad Request: can't parse entities: <message>``; this module produces
the ``<message>`` part (``EntityParseError.message``) and the resulting plain text with
Bot API ``MessageEntity`` dicts whose offsets are in UTF-16 code units, as Telegram counts them.
It also applies Telegram's text clean-up (control characters, ``\\r``, trimming) so length and
emptiness checks see what Telegram sees.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]

_ALLOWED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SPACES = frozenset(b" \t\r\n\0\v\f")
_HEX_DIGITS = frozenset(b"0123456789abcdefABCDEF")
_TYPE_PRIORITY = {
    "mention": 50,
    "hashtag": 50,
    "bot_command": 50,
    "url": 50,
    "email": 50,
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "cashtag": 50,
    "phone_number": 50,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "expandable_blockquote": 0,
    "spoiler": 94,
    "custom_emoji": 99,
}


class EntityParseError(ValueError):
    """A parse failure; ``message`` is the text Telegram puts after "can't parse entities: "."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ParsedText:
    """Plain text as the user sees it, its entities, and its length in UTF-16 code units."""

    text: str
    entities: list[Entity] = field(default_factory=list)

    @property
    def utf16_length(self) -> int:
        return utf16_len(self.text)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: characters outside the BMP take two units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def sort_entities(entities: list[Entity]) -> list[Entity]:
    """Telegram's order: by offset, longer first, then by type priority."""
    return sorted(
        entities, key=lambda e: (e["offset"], -e["length"], _TYPE_PRIORITY.get(e["type"], 50))
    )


def _is_space(c: int) -> bool:
    return c in _SPACES


def _is_alnum(c: int) -> bool:
    return 48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122


def _decode_entity(data: bytes, pos: int) -> tuple[int, int]:
    """Decode ``&...;`` at ``pos``; returns (code point, next position) or (0, pos) if invalid."""
    end = pos + 1
    res = 0
    if data[pos + 1] == ord("#"):
        end += 1
        if data[pos + 2] == ord("x"):
            end += 1
            while data[end] in _HEX_DIGITS:
                res = res * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while 48 <= data[end] <= 57:
                res = res * 10 + data[end] - 48
                end += 1
        if res == 0 or res >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while 65 <= data[end] <= 90 or 97 <= data[end] <= 122:
            end += 1
        name = data[pos + 1 : end]
        named = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}.get(name)
        if named is None:
            return 0, pos
        res = ord(named)
    if data[end] == ord(";"):
        end += 1
    return res, end


def _checked_link(url: str) -> str | None:
    """Roughly tdlib's get_checked_link: keep web/tg links, add a scheme, drop the rest."""
    url = url.strip()
    if not url:
        return None
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    if match is None:
        return "http://" + url if re.match(r"^[^\s/]+\.[^\s/]", url) else None
    if match.group(1).lower() in {"http", "https", "tg", "ton", "ftp"}:
        return url
    return None


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML exactly like tdlib does (same checks, same messages, same offsets)."""
    try:
        raw = source.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise EntityParseError("Strings must be encoded in UTF-8") from exc
    size = len(raw)
    data = raw + b"\0" * 16  # sentinel, like the C string terminator tdlib relies on
    out = bytearray()
    entities: list[Entity] = []
    utf16 = 0
    # stack of (tag name, argument, utf16 offset, byte offset in out)
    stack: list[tuple[str, str, int, int]] = []
    i = 0
    while i < size:
        c = data[i]
        if c == ord("&"):
            code, nxt = _decode_entity(data, i)
            if code != 0:
                utf16 += 1 + (code > 0xFFFF)
                out += chr(code).encode("utf-8", "surrogatepass")
                i = nxt
                continue
        if c != ord("<"):
            if (c & 0xC0) != 0x80:
                utf16 += 1 + (c >= 0xF0)
            out.append(c)
            i += 1
            continue

        begin = i
        i += 1
        if data[i] != ord("/"):
            while not _is_space(data[i]) and data[i] != ord(">"):
                i += 1
            if data[i] == 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            tag = data[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in _ALLOWED_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            argument = ""
            while data[i] != ord(">"):
                while data[i] != 0 and _is_space(data[i]):
                    i += 1
                if data[i] == ord(">"):
                    break
                attr_begin = i
                while not _is_space(data[i]) and data[i] not in b"=>/\"'":
                    i += 1
                attr_name = data[attr_begin:i].decode("utf-8", "replace")
                if not attr_name:
                    raise EntityParseError(
                        f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                    )
                while data[i] != 0 and _is_space(data[i]):
                    i += 1
                if data[i] != ord("="):
                    if data[i] == 0:
                        raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                    if tag == "blockquote" and attr_name == "expandable":
                        argument = "1"
                    continue
                i += 1
                while data[i] != 0 and _is_space(data[i]):
                    i += 1
                if data[i] == 0:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                if data[i] not in b"'\"":
                    token_begin = i
                    while _is_alnum(data[i]) or data[i] in b".-":
                        i += 1
                    value = data[token_begin:i].decode("utf-8", "replace").lower()
                    if not _is_space(data[i]) and data[i] != ord(">"):
                        raise EntityParseError(
                            f"Unexpected end of name token at byte offset {token_begin}"
                        )
                else:
                    quote = data[i]
                    i += 1
                    buf = bytearray()
                    while data[i] != quote and data[i] != 0:
                        if data[i] == ord("&"):
                            code, nxt = _decode_entity(data, i)
                            if code != 0:
                                buf += chr(code).encode("utf-8", "surrogatepass")
                                i = nxt
                                continue
                        buf.append(data[i])
                        i += 1
                    if data[i] == quote:
                        i += 1
                    value = buf.decode("utf-8", "replace")
                if data[i] == 0:
                    raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
                if tag == "a" and attr_name == "href":
                    argument = value
                elif tag == "code" and attr_name == "class" and value.startswith("language-"):
                    argument = value[9:]
                elif tag == "span" and attr_name == "class" and value.startswith("tg-"):
                    argument = value[3:]
                elif tag == "tg-emoji" and attr_name == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attr_name == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
                )
            stack.append((tag, argument, utf16, len(out)))
            i += 1  # skip '>'
            continue

        # end tag
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        while not _is_space(data[i]) and data[i] != ord(">"):
            i += 1
        end_tag = data[begin + 2 : i].decode("utf-8", "replace").lower()
        while _is_space(data[i]) and data[i] != 0:
            i += 1
        if data[i] != ord(">"):
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        tag, argument, start, start_byte = stack[-1]
        if end_tag and end_tag != tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{tag}>", '
                f'found "</{end_tag}>"'
            )
        if utf16 > start:
            _close_entity(entities, tag, argument, start, utf16 - start, bytes(out[start_byte:]))
        stack.pop()
        i += 1  # skip '>'

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise EntityParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        ) from exc
    return ParsedText(text, sort_entities(entities))


def _close_entity(
    entities: list[Entity], tag: str, argument: str, offset: int, length: int, inner: bytes
) -> None:
    """Turn a closed tag into a Bot API entity, merging <pre><code class> like tdlib."""
    simple = {
        "i": "italic",
        "em": "italic",
        "b": "bold",
        "strong": "bold",
        "s": "strikethrough",
        "strike": "strikethrough",
        "del": "strikethrough",
        "u": "underline",
        "ins": "underline",
        "tg-spoiler": "spoiler",
        "span": "spoiler",
    }
    if tag in simple:
        entities.append({"type": simple[tag], "offset": offset, "length": length})
    elif tag == "tg-emoji":
        if not argument.isdigit() or int(argument) == 0:
            raise EntityParseError("Invalid custom emoji identifier specified")
        emoji: Entity = {"type": "custom_emoji", "offset": offset, "length": length}
        emoji["custom_emoji_id"] = argument
        entities.append(emoji)
    elif tag == "a":
        url = argument or inner.decode("utf-8", "replace")
        checked = _checked_link(url)
        if checked is not None:
            link: Entity = {"type": "text_link", "offset": offset, "length": length}
            link["url"] = checked
            entities.append(link)
    elif tag == "pre":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == offset
            and last["length"] == length
            and last.get("language")
        ):
            last["type"] = "pre"
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif tag == "code":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "pre"
            and last["offset"] == offset
            and last["length"] == length
            and argument
        ):
            last["language"] = argument
        else:
            entity: Entity = {"type": "code", "offset": offset, "length": length}
            if argument:
                entity["language"] = argument
            entities.append(entity)
    elif tag == "blockquote":
        kind = "expandable_blockquote" if argument else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})


def _utf16_boundaries(text: str) -> list[int]:
    """UTF-16 offset at the start of each character, plus the total at the end."""
    offsets = [0]
    for ch in text:
        offsets.append(offsets[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return offsets


def clean_text(text: str, entities: list[Entity]) -> ParsedText:
    """Telegram's fix_formatted_text: blank control chars, drop \\r and U+2028..U+202E, trim.

    Entities are moved along with the text; ones that end up empty are dropped.
    """
    old_bounds = _utf16_boundaries(text)
    new_chars: list[str] = []
    # new UTF-16 offset for every old UTF-16 offset that starts a character (and the end)
    mapping: dict[int, int] = {}
    new_off = 0
    for idx, ch in enumerate(text):
        mapping[old_bounds[idx]] = new_off
        mapping[old_bounds[idx] + 1] = new_off  # middle of a surrogate pair, if any
        code = ord(ch)
        if code == 13 or 0x2028 <= code <= 0x202E:
            continue
        if code < 32 and code != 10:
            ch = " "
        new_chars.append(ch)
        new_off += 2 if ord(ch) > 0xFFFF else 1
    mapping[old_bounds[-1]] = new_off
    cleaned = "".join(new_chars)

    stripped = cleaned.strip(" \n")
    lead = utf16_len(cleaned[: len(cleaned) - len(cleaned.lstrip(" \n"))])
    total = utf16_len(stripped)

    fixed: list[Entity] = []
    for entity in entities:
        try:
            start = mapping.get(int(entity["offset"]))
            end = mapping.get(int(entity["offset"]) + int(entity["length"]))
        except (KeyError, TypeError, ValueError):
            continue
        if start is None or end is None:
            continue
        start = min(max(start - lead, 0), total)
        end = min(max(end - lead, 0), total)
        if end > start:
            fixed.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, sort_entities(fixed))


def parse_text(text: str, parse_mode: str | None, entities: list[Entity] | None) -> ParsedText:
    """Parse a Bot API text/caption argument into what the user sees.

    ``parse_mode`` is case-insensitive like Telegram's; MarkdownV2/Markdown are accepted but not
    validated (backslash escapes are removed, markup characters kept).
    Raises EntityParseError for HTML problems and ValueError("unsupported parse_mode").
    """
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        parsed = parse_html(text)
    elif mode in ("markdownv2", "markdown"):
        parsed = ParsedText(re.sub(r"\\([\\_*\[\]()~`>#+\-=|{}.!])", r"\1", text), [])
    elif mode == "":
        parsed = ParsedText(text, list(entities or []))
    else:
        raise ValueError("unsupported parse_mode")
    return clean_text(parsed.text, parsed.entities)


_BOT_COMMAND = re.compile(r"(?<![\w/<>])/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/<>])")


def find_bot_commands(text: str) -> list[Entity]:
    """bot_command entities the way Telegram detects them in a user's message."""
    result: list[Entity] = []
    for match in _BOT_COMMAND.finditer(text):
        offset = utf16_len(text[: match.start()])
        result.append(
            {"type": "bot_command", "offset": offset, "length": utf16_len(match.group(0))}
        )
    return result


def _utf16_slice(text: str, bounds: list[int], start: int, end: int) -> str:
    """Slice ``text`` by UTF-16 offsets (bounds from _utf16_boundaries)."""
    a = bisect.bisect_left(bounds, start)
    b = bisect.bisect_left(bounds, end)
    return text[a:b]


def entities_to_html(text: str, entities: list[Entity]) -> str:
    """Render text + entities back to safe Telegram-style HTML (everything escaped).

    Used for the web chat and tests that want to see formatting; nested entities nest,
    overlapping ones are closed at the boundary.
    """
    bounds = _utf16_boundaries(text)
    ordered = sort_entities([e for e in entities if e.get("length", 0) > 0])

    def open_tag(e: Entity) -> tuple[str, str]:
        kind = e["type"]
        simple = {
            "bold": "b",
            "italic": "i",
            "underline": "u",
            "strikethrough": "s",
            "code": "code",
        }
        if kind in simple:
            return f"<{simple[kind]}>", f"</{simple[kind]}>"
        if kind == "spoiler":
            return "<tg-spoiler>", "</tg-spoiler>"
        if kind == "pre":
            lang = e.get("language")
            if lang:
                return (
                    f'<pre><code class="language-{html.escape(str(lang))}">',
                    "</code></pre>",
                )
            return "<pre>", "</pre>"
        if kind == "text_link":
            return f'<a href="{html.escape(str(e.get("url", "")))}">', "</a>"
        if kind == "text_mention":
            user_id = int((e.get("user") or {}).get("id", 0))
            return f'<a href="tg://user?id={user_id}">', "</a>"
        if kind == "blockquote":
            return "<blockquote>", "</blockquote>"
        if kind == "expandable_blockquote":
            return "<blockquote expandable>", "</blockquote>"
        if kind == "custom_emoji":
            return f'<tg-emoji emoji-id="{html.escape(str(e.get("custom_emoji_id", "")))}">', (
                "</tg-emoji>"
            )
        return "", ""

    def render(start: int, end: int, ents: list[Entity]) -> str:
        parts: list[str] = []
        pos = start
        idx = 0
        while idx < len(ents):
            e = ents[idx]
            e_start = max(e["offset"], pos)
            e_end = min(e["offset"] + e["length"], end)
            nxt = idx + 1
            while nxt < len(ents) and ents[nxt]["offset"] < e["offset"] + e["length"]:
                nxt += 1
            if e_start > pos:
                parts.append(html.escape(_utf16_slice(text, bounds, pos, e_start), quote=False))
            if e_end > e_start:
                opening, closing = open_tag(e)
                parts.append(opening + render(e_start, e_end, ents[idx + 1 : nxt]) + closing)
                pos = e_end
            idx = nxt
        if pos < end:
            parts.append(html.escape(_utf16_slice(text, bounds, pos, end), quote=False))
        return "".join(parts)

    return render(0, bounds[-1], ordered)
