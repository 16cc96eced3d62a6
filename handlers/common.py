"""Shared handler plumbing (context, current employee, language) and /bantuan, /bahasa."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, TelegramError
from telegram.ext import CommandHandler, ContextTypes

from bot.callback_data import CallbackData, Word, spec
from bot.context import AppContext
from bot.i18n import LANGUAGES, normalize_language, t
from bot.ptb_types import BotApp
from handlers.kit import Callbacks, Press, button
from storage.models import Employee
from storage.queries import employee_by_telegram_id

log = logging.getLogger(__name__)


ADMIN_COMMANDS = ("lapor", "hariini", "skp", "admin", "bahasa", "bantuan", "start")


async def set_admin_menu(bot: Bot, chat_id: int, lang: str) -> None:
    """Admins also see /admin in their menu (a per-chat scope; others never see it)."""
    commands = [BotCommand(c, t(lang, f"cmd.{c}")) for c in ADMIN_COMMANDS]
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
    except TelegramError:
        log.warning("could not set the admin menu for %s", chat_id)


async def drop_buttons(context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: Any) -> None:
    """An answered or replaced question loses its buttons, so they cannot be pressed later."""
    if not isinstance(message_id, int):
        return
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest:  # already gone, or already without buttons
        pass


def app_ctx(context: ContextTypes.DEFAULT_TYPE) -> AppContext:
    ctx: AppContext = context.bot_data["ctx"]
    return ctx


# The employee read with the update's dedupe claim (bot.app), for the first lookup of that
# same update. One update is handled in one asyncio task, so this never crosses updates;
# it is taken once, so a later lookup in the update reads the database again as before.
_prefetched: ContextVar[tuple[Update, Employee | None] | None] = ContextVar(
    "prefetched_employee", default=None
)


def prefetch_employee(update: Update, employee: Employee | None) -> None:
    _prefetched.set((update, employee))


async def current_employee(ctx: AppContext, update: Update) -> Employee | None:
    user = update.effective_user
    if user is None:
        return None
    prefetched = _prefetched.get()
    if prefetched is not None and prefetched[0] is update:
        _prefetched.set(None)
        return prefetched[1]
    async with ctx.db.session() as session:
        return await employee_by_telegram_id(session, user.id)


async def language_of(ctx: AppContext, update: Update) -> str:
    """The employee's chosen language, else the Telegram client's, else Indonesian."""
    employee = await current_employee(ctx, update)
    if employee is not None:
        return normalize_language(employee.language)
    user = update.effective_user
    return normalize_language(user.language_code if user else None)


async def require_employee(ctx: AppContext, update: Update) -> Employee | None:
    """The active employee behind this update, or None after telling the user why not."""
    employee = await current_employee(ctx, update)
    if employee is not None and employee.active:
        return employee
    user = update.effective_user
    lang = normalize_language(user.language_code if user else None)
    key = "common.unknown_user" if employee is None else "common.inactive_user"
    if update.callback_query is not None:
        await update.callback_query.answer(t(lang, key)[:200], show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(t(lang, key))
    return None


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    if employee is None or update.effective_message is None:
        return
    text = t(employee.language, "help.text")
    if "admin" in employee.role_set:
        text += t(employee.language, "help.admin")
    await update.effective_message.reply_text(text)


async def language_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    if employee is None or update.effective_message is None:
        return
    buttons = [
        [button(t(lang, f"language.button_{lang}"), LanguagePress(lang))] for lang in LANGUAGES
    ]
    await update.effective_message.reply_text(
        t(employee.language, "language.choose"), reply_markup=InlineKeyboardMarkup(buttons)
    )


@dataclass(frozen=True)
class LanguagePress(CallbackData, prefix="lang"):
    lang: str = spec(Word(*LANGUAGES))


language_presses = Callbacks(LanguagePress, key=lambda _: "")


@language_presses.on("")
async def language_chosen(press: Press[LanguagePress]) -> None:
    lang = press.data.lang
    async with press.app.db.session() as session:
        employee = await session.get(Employee, press.employee.id)
        if employee is None:
            await press.stale()
            return
        employee.language = lang
    await press.answer()
    await press.edit(t(lang, "language.set"))


def register(app: BotApp) -> None:
    for name in ("bantuan", "help"):
        app.add_handler(CommandHandler(name, help_command))
    for name in ("bahasa", "language"):
        app.add_handler(CommandHandler(name, language_command))
    language_presses.register(app)
