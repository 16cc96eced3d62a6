"""/bantuan, /bahasa and the admin's command menu (the shared plumbing is handlers.kit)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot, BotCommand, BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot import menus
from bot.admin import has_role
from bot.bot_context import BotContext
from bot.callback_data import CallbackData, Word, spec
from bot.employees import set_language
from bot.i18n import LANGUAGES, t
from bot.ptb_types import BotApp
from handlers.kit import Callbacks, Press, button, keyboard, linked
from storage.models import Employee

log = logging.getLogger(__name__)


async def set_chat_menu(bot: Bot, chat_id: int, lang: str, roles: set[str]) -> None:
    """The command menu of one linked person's chat, in their chosen language (which may
    differ from their Telegram client's) and for their roles. A per-chat scope wins over
    the per-language defaults set at start-up."""
    commands = [BotCommand(c, t(lang, f"cmd.{c}")) for c in menus.commands_for(roles)]
    try:
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
    except TelegramError:
        log.warning("could not set the command menu for %s", chat_id)


async def refresh_menu(
    update: Update, context: BotContext, employee: Employee, lang: str | None = None
) -> None:
    """Set the sender's chat menu for who they are now (`lang`, else their language)."""
    chat = update.effective_chat
    if chat is None:
        return
    user = update.effective_user
    roles = set(employee.role_set)
    if has_role(
        employee, "admin", user.id if user else None, context.app.settings.admin_telegram_ids
    ):
        roles.add("admin")
    await set_chat_menu(context.bot, chat.id, lang or employee.language, roles)


@linked
async def help_command(update: Update, context: BotContext, employee: Employee) -> None:
    if update.effective_message is None:
        return
    text = t(employee.language, "help.text")
    if "supervisor" in employee.role_set:
        text += t(employee.language, "help.atasan")
    if "admin" in employee.role_set:
        text += t(employee.language, "help.admin")
    text += t(employee.language, "help.footer")  # the disclaimer last, after every section
    await update.effective_message.reply_text(text)


# What people type after /bahasa: '/bahasa en', '/bahasa inggris', '/language indonesia'.
_LANGUAGE_WORDS = {
    "id": "id",
    "ind": "id",
    "indonesia": "id",
    "indonesian": "id",
    "bahasa": "id",
    "en": "en",
    "eng": "en",
    "english": "en",
    "inggris": "en",
}


@linked
async def language_command(update: Update, context: BotContext, employee: Employee) -> None:
    if update.effective_message is None:
        return
    words = [_LANGUAGE_WORDS.get(w.casefold()) for w in context.args or ()]
    chosen = next((lang for lang in words if lang), None)
    if chosen is not None:
        async with context.app.db.session() as session:
            await set_language(session, employee.id, chosen)
        await update.effective_message.reply_text(t(chosen, "language.set"))
        await refresh_menu(update, context, employee, chosen)
        return
    buttons = [
        [button(t(lang, f"language.button_{lang}"), LanguagePress(lang))] for lang in LANGUAGES
    ]
    await update.effective_message.reply_text(
        t(employee.language, "language.choose"), reply_markup=keyboard(*buttons)
    )


@dataclass(frozen=True)
class LanguagePress(CallbackData, prefix="lang"):
    lang: str = spec(Word(*LANGUAGES))


language_presses = Callbacks(LanguagePress, key=lambda _: "")


@language_presses.on("")
async def language_chosen(press: Press[LanguagePress]) -> None:
    lang = press.data.lang
    async with press.app.db.session() as session:
        changed = await set_language(session, press.employee.id, lang)
    if not changed:
        await press.stale()
        return
    await press.answer()
    await press.edit(t(lang, "language.set"))
    await refresh_menu(press.update, press.context, press.employee, lang)


def register(app: BotApp) -> None:
    for name in ("bantuan", "help"):
        app.add_handler(CommandHandler(name, help_command))
    for name in ("bahasa", "language"):
        app.add_handler(CommandHandler(name, language_command))
    language_presses.register(app)
