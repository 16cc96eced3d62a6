"""Telegram transport hardening (touches `telegram`, like the outbox sender).

Telegram answers 429 with a retry_after and 5xx on bad days; PTB turns both into
exceptions at the call site. Retrying here, below every `bot.send_*` call, means
handlers and jobs need no retry code of their own and no reply is lost to a blip.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 502, 503, 504}


class RetryingRequest(HTTPXRequest):
    """HTTPXRequest that retries 429 (after retry_after) and 5xx/network errors with backoff."""

    def __init__(
        self, *args: Any, max_attempts: int = 8, max_retry_after: float = 60.0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_attempts = max_attempts
        self.max_retry_after = max_retry_after

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **kwargs: Any
    ) -> tuple[int, bytes]:
        # getUpdates has its own retry loop in PTB's updater; doubling it would only add delay.
        if url.endswith("/getUpdates"):
            return await super().do_request(url, method, request_data, **kwargs)
        delay = 0.5
        attempt = 1
        while True:
            try:
                code, payload = await super().do_request(url, method, request_data, **kwargs)
            except (NetworkError, TimedOut) as exc:
                if attempt >= self.max_attempts:
                    raise
                log.warning("network error on %s (attempt %d): %s", _method(url), attempt, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 4.0)
                attempt += 1
                continue
            if code not in RETRY_STATUSES or attempt >= self.max_attempts:
                return code, payload
            wait = delay
            if code == 429:
                wait = _retry_after(payload) or 1.0
                if wait > self.max_retry_after:
                    return code, payload
            log.warning("HTTP %d on %s, retry %d in %.1fs", code, _method(url), attempt, wait)
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
