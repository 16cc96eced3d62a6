"""Guards every update passes (Telegram-facing plumbing, like bot.updates).

- `clean_update`: the one place where incoming text is cleaned. U+0000 and the other C0
  controls (except tab and newline) are removed from every string of the update — message
  text, captions, file names, names — before any handler sees it: PostgreSQL refuses
  U+0000 in text, and no control character means anything in a report. Callback data is
  left as sent: the codecs refuse what they did not build.
- `AnswerOnceLimiter`: the bot's rate limiter also remembers which callback queries were
  answered, so a press is answered at most once whoever answers it (handler, router, error
  handler), and the last handler group can answer the ones nobody answered.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import CallbackQuery, TelegramObject, Update
from telegram.ext import AIORateLimiter

_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f]")
_CR = re.compile(r"\r\n?")


def strip_controls(text: str) -> str:
    """Text without C0 control characters; CR and CRLF become a newline, tab stays."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub("", _CR.sub("\n", text))


def clean_update(update: Update) -> int:
    """Strip control characters from every string in the update, in place; returns how
    many strings changed."""
    return _clean(update, set())


def _clean(obj: TelegramObject, seen: set[int]) -> int:
    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    changed = 0
    for name in obj._get_attrs_names(include_private=False):
        if name == "api_kwargs" or (isinstance(obj, CallbackQuery) and name == "data"):
            continue
        value = getattr(obj, name, None)
        if isinstance(value, str):
            cleaned = strip_controls(value)
            if cleaned != value:
                with obj._unfrozen():
                    setattr(obj, name, cleaned)
                changed += 1
        elif isinstance(value, TelegramObject):
            changed += _clean(value, seen)
        elif isinstance(value, tuple | list):
            for item in value:
                if isinstance(item, TelegramObject):
                    changed += _clean(item, seen)
    return changed


class AnswerOnceLimiter(AIORateLimiter):
    """AIORateLimiter that sends at most one answerCallbackQuery per callback query."""

    def __init__(self, *args: Any, remember: int = 20_000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._answered: OrderedDict[str, None] = OrderedDict()
        self._remember = remember

    def answered(self, query_id: str) -> bool:
        return query_id in self._answered

    def mark_answered(self, query_id: str) -> None:
        self._answered[query_id] = None
        while len(self._answered) > self._remember:
            self._answered.popitem(last=False)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint == "answerCallbackQuery":
            query_id = str(data.get("callback_query_id"))
            if self.answered(query_id):
                return True  # a second answer would only fail with "query is too old"
            self.mark_answered(query_id)  # even if this one fails: never try twice
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


def callback_answered(bot: object, query_id: str) -> bool:
    """Whether this bot already answered the callback query (False without the limiter)."""
    limiter = getattr(bot, "rate_limiter", None)
    return isinstance(limiter, AnswerOnceLimiter) and limiter.answered(query_id)
