"""Telegram transport hardening (touches `telegram`, like the outbox sender).

Telegram answers 429 with a retry_after and 5xx on bad days; PTB turns both into
exceptions at the call site. Retrying here, below every `bot.send_*` call, means
handlers and jobs need no retry code of their own and no reply is lost to a blip.

A retry is only safe when Telegram surely did not act on the first request: the
connection was never made (connect error, connect or pool timeout), Telegram refused
it (429), or it failed on Telegram's side (5xx). A read or write timeout on a request
that creates something (sendMessage, answerCallbackQuery, …) may have reached Telegram,
so it is not repeated here: a slow Telegram must never turn one reply into several.
Edits, deletes and reads are repeatable (a second identical edit changes nothing).
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}
# The request never left us: repeating it cannot duplicate anything.
NOT_SENT_CAUSES = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# Repeating these after a timeout changes nothing the first one did not.
REPEATABLE_PREFIXES = ("get", "edit", "delete", "set")
# Cosmetic and set again on every start: one try, so a server without it costs one request.
NOT_RETRIED = frozenset({"setmycommands"})


@dataclass(frozen=True)
class Timeouts:
    """Seconds per phase of a Bot API request (getUpdates keeps its own read timeout).

    Generous by default: a read timeout on a send means "maybe delivered", which is
    worse than waiting, and Telegram does take several seconds on bad days.
    """

    connect: float = 10.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 10.0


def surely_not_sent(exc: BaseException) -> bool:
    """True when a failed request cannot have reached Telegram (safe to repeat)."""
    return isinstance(exc.__cause__, NOT_SENT_CAUSES)


def maybe_sent(exc: BaseException) -> bool:
    """True when a request failed in transit after it may have reached Telegram.

    An HTTP error answer (5xx) is not: Telegram answered, and did not do the work.
    """
    cause = exc.__cause__
    return isinstance(cause, httpx.HTTPError) and not isinstance(cause, NOT_SENT_CAUSES)


def repeatable(method: str) -> bool:
    """Methods whose repetition after an unknown outcome cannot duplicate anything."""
    name = method.lower()
    return name.startswith(REPEATABLE_PREFIXES) or name == "sendchataction"


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest that retries 429 (after retry_after), 5xx and unsent requests with backoff."""

    def __init__(
        self,
        *args: Any,
        max_attempts: int = 8,
        max_retry_after: float = 60.0,
        timeouts: Timeouts | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_attempts = max_attempts
        self.max_retry_after = max_retry_after
        self.timeouts = timeouts or Timeouts()

    def configure(self, timeouts: Timeouts) -> None:
        """Timeouts from the settings, for every method that does not name its own."""
        self.timeouts = timeouts

    def _with_timeouts(self, kwargs: dict[str, Any], upload: bool) -> dict[str, Any]:
        out = dict(kwargs)
        # Uploads keep PTB's own (longer) media write timeout.
        phases = ("connect", "read", "pool") if upload else ("connect", "read", "write", "pool")
        for phase in phases:
            key = f"{phase}_timeout"
            if isinstance(out.get(key, self.DEFAULT_NONE), type(self.DEFAULT_NONE)):
                out[key] = getattr(self.timeouts, phase)
        return out

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        name = _method(url)
        # getUpdates has its own retry loop in PTB's updater; doubling it would only add delay.
        if name.lower() == "getupdates":
            return await super().do_request(url, method, request_data, **kwargs)
        kwargs = self._with_timeouts(kwargs, bool(request_data and request_data.multipart_data))
        attempts = 1 if name.lower() in NOT_RETRIED else self.max_attempts
        delay = 0.5
        attempt = 1
        while True:
            try:
                code, payload = await super().do_request(url, method, request_data, **kwargs)
            except (NetworkError, TimedOut) as exc:
                if attempt >= attempts or not (surely_not_sent(exc) or repeatable(name)):
                    raise
                log.warning("network error on %s (attempt %d): %s", name, attempt, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 4.0)
                attempt += 1
                continue
            if code not in RETRY_STATUSES or attempt >= attempts:
                return code, payload
            wait = delay
            if code == 429:
                wait = _retry_after(payload) or 1.0
                if wait > self.max_retry_after:
                    return code, payload
            log.warning("HTTP %d on %s, retry %d in %.1fs", code, name, attempt, wait)
            await asyncio.sleep(wait)
            delay = min(delay * 2, 4.0)
            attempt += 1


def _method(url: str) -> str:
    return url.rsplit("/", 1)[-1]


def _retry_after(payload: bytes) -> float | None:
    try:
        data = json.loads(payload)
        return float(data["parameters"]["retry_after"])
    except (ValueError, KeyError, TypeError):
        return None
