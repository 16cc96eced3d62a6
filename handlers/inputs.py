"""Routing of plain text: a pending question's answer, else a new report.

Feature modules register a reader for each kind of pending question they ask; the
question itself is stored in the drafts row (bot.drafts), never in memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot import drafts
from bot.bot_context import BotContext
from bot.ptb_types import BotApp
from handlers.kit import linked
from storage.models import Employee

InputReader = Callable[[Update, BotContext, Employee, dict[str, Any]], Awaitable[None]]
# The fallback gets the draft state read here, so it need not read it again.
TextFallback = Callable[[Update, BotContext, Employee, drafts.DraftState], Awaitable[None]]

_readers: dict[str, InputReader] = {}
_fallback: list[TextFallback] = []


def register_input(kind: str, reader: InputReader) -> None:
    """`reader` gets the text message and the stored question (its kind and data)."""
    _readers[kind] = reader


def set_text_fallback(handler: TextFallback) -> None:
    _fallback[:] = [handler]


@linked
async def on_text(update: Update, context: BotContext, employee: Employee) -> None:
    async with context.app.db.session() as session:
        state = await drafts.load(session, employee.id)
        pending = state.pending_input
        if pending is not None:
            drafts.clear_input(state)
            await drafts.save(session, state)
    if pending is not None:
        reader = _readers.get(str(pending.get("kind")))
        if reader is not None:
            await reader(update, context, employee, pending)
            return
    if _fallback:
        await _fallback[0](update, context, employee, state)


def register(app: BotApp) -> None:
    # New messages only: an edited old report must not start a second draft.
    only_new = filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(only_new & filters.TEXT & ~filters.COMMAND, on_text), group=10)
