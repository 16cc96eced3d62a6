"""A tiny raw-httpx echo bot for tests: replies with a button, edits the reply when pressed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx


async def run_echo_bot(api_base_url: str, token: str, stop: asyncio.Event) -> None:
    """Long-poll getUpdates until ``stop`` is set.

    A text message gets "Echo: <b>text</b>" with a "Tandai" button; pressing it answers the
    callback with "Ditandai" and edits the message to "✅ Ditandai: text" without buttons.
    """
    base = f"{api_base_url}{token}/"
    offset = 0
    async with httpx.AsyncClient(timeout=30) as http:

        async def call(method: str, **params: Any) -> Any:
            return (await http.post(base + method, json=params)).json()

        while not stop.is_set():
            poll = asyncio.ensure_future(call("getUpdates", offset=offset, timeout=5))
            halt = asyncio.ensure_future(stop.wait())
            await asyncio.wait({poll, halt}, return_when=asyncio.FIRST_COMPLETED)
            if stop.is_set():
                poll.cancel()
                with contextlib.suppress(BaseException):
                    await poll
                halt.cancel()
                return
            halt.cancel()
            answer = poll.result()
            for update in answer.get("result", []):
                offset = update["update_id"] + 1
                if "message" in update and "text" in update["message"]:
                    msg = update["message"]
                    text = msg["text"].replace("&", "&amp;").replace("<", "&lt;")
                    await call(
                        "sendMessage",
                        chat_id=msg["chat"]["id"],
                        text=f"Echo: <b>{text}</b>",
                        parse_mode="HTML",
                        reply_markup={
                            "inline_keyboard": [[{"text": "Tandai", "callback_data": "mark"}]]
                        },
                    )
                elif "callback_query" in update:
                    query = update["callback_query"]
                    await call(
                        "answerCallbackQuery", callback_query_id=query["id"], text="Ditandai"
                    )
                    original = query["message"]["text"].removeprefix("Echo: ")
                    await call(
                        "editMessageText",
                        chat_id=query["message"]["chat"]["id"],
                        message_id=query["message"]["message_id"],
                        text=f"✅ Ditandai: {original}",
                    )


@contextlib.asynccontextmanager
async def echo_bot(api_base_url: str, token: str) -> AsyncIterator[None]:
    """Run the echo bot in the background for the duration of the block."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_echo_bot(api_base_url, token, stop))
    try:
        yield
    finally:
        stop.set()
        await task
