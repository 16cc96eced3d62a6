"""HTTP app for `kinerja-bot serve`: Telegram webhook, health check."""

from __future__ import annotations

import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import text

from bot.runtime import BotRuntime

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"


def create_api(runtime: BotRuntime, *, manage_runtime: bool = True) -> FastAPI:
    """The ASGI app; with manage_runtime it starts/stops the bot and sets the webhook."""

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if manage_runtime:
            await runtime.start("webhook")
            await runtime.set_webhook()
        try:
            yield
        finally:
            if manage_runtime:
                await runtime.stop()

    api = FastAPI(title="Kinerja Bot", lifespan=lifespan, docs_url=None, redoc_url=None)
    secret = runtime.settings.webhook_secret

    @api.post(WEBHOOK_PATH)
    async def webhook(request: Request) -> Response:
        if secret is not None:
            given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not hmac.compare_digest(given, secret):
                return JSONResponse({"ok": False, "error": "wrong secret token"}, status_code=403)
        try:
            data: Any = await request.json()
        except ValueError:
            return JSONResponse({"ok": False, "error": "invalid JSON"}, status_code=400)
        if not isinstance(data, dict) or "update_id" not in data:
            return JSONResponse({"ok": False, "error": "not an update"}, status_code=400)
        # Answered after handling: a process killed before the work is done never said 200,
        # so Telegram redelivers; a redelivery of finished work is skipped by update_id.
        await runtime.process_update_json(data)
        return JSONResponse({"ok": True})

    @api.get("/healthz")
    async def healthz() -> Response:
        try:
            async with runtime.db.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            log.warning("health check failed: %s", exc)
            return JSONResponse({"status": "error", "database": False}, status_code=503)
        return JSONResponse({"status": "ok", "database": True})

    return api
