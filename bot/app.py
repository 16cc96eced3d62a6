"""Builds the python-telegram-bot Application: handlers, error handler, jobs."""

from __future__ import annotations

import logging
import secrets
import traceback
from dataclasses import dataclass
from datetime import timedelta

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

import handlers
from bot import menus
from bot.bot_context import BotContext
from bot.context import AppContext
from bot.guards import AnswerOnceLimiter, callback_answered, clean_update
from bot.i18n import LANGUAGES, normalize_language, t
from bot.matching import SkpCandidate, rank
from bot.ptb_types import BotApp
from bot.registration import forget_old_attempts
from bot.transport import RetryingRequest
from bot.updates import Claim, PerUserUpdateProcessor, claim, forget_old_updates, mark_done
from storage.queries import admin_chat_ids

log = logging.getLogger(__name__)


def build_application(ctx: AppContext, *, file_base_url: str | None = None) -> BotApp:
    """The Application for polling or webhook; the caller decides how it is run."""
    settings = ctx.settings
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to build the application")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_api_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .request(RetryingRequest(connection_pool_size=64))
        .get_updates_request(RetryingRequest(read_timeout=40.0))
        .rate_limiter(AnswerOnceLimiter(overall_max_rate=settings.send_rate_per_second))
        .concurrent_updates(PerUserUpdateProcessor(256))
        .post_init(_post_init)
        .arbitrary_callback_data(False)
        .context_types(ContextTypes(context=BotContext))
    )
    base_file = file_base_url or settings.telegram_file_base_url
    if base_file:
        builder = builder.base_file_url(base_file)
    app = builder.build()
    app.bot_data["ctx"] = ctx
    register_handlers(app)
    app.add_error_handler(on_error)
    if app.job_queue is not None:
        app.job_queue.run_repeating(_cleanup_job, interval=timedelta(hours=6), first=60)
    return app


def register_handlers(app: BotApp) -> None:
    app.add_handler(TypeHandler(Update, _clean), group=-2)
    app.add_handler(TypeHandler(Update, _dedupe), group=-1)
    handlers.register_all(app)
    # Last: whatever no feature answered. They compute "known" at answer time, so
    # features registered later are covered without a list to keep in step.
    app.add_handler(MessageHandler(filters.COMMAND, _unknown_command), group=LAST_GROUP)
    app.add_handler(CallbackQueryHandler(_unanswered_press), group=LAST_GROUP)
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE, _emptied_text), group=LAST_GROUP)
    app.add_handler(TypeHandler(Update, _mark_done), group=LAST_GROUP + 1)


LAST_GROUP = 1000


async def _clean(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Issue 8 defect 2: control characters never get past this point (bot.guards)."""
    if clean_update(update):
        log.info("update %s: control characters removed", update.update_id)


def known_commands(app: BotApp) -> frozenset[str]:
    """Every command some CommandHandler answers, read from the handlers registered now."""
    names: set[str] = set()
    for group, group_handlers in app.handlers.items():
        if group == LAST_GROUP:
            continue
        for handler in group_handlers:
            if isinstance(handler, CommandHandler):
                names.update(c.lower() for c in handler.commands)
    return frozenset(names)


async def _unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command no handler knows gets an answer; one addressed to another bot does not."""
    message = update.effective_message
    if message is None or not message.text:
        return
    head = message.text.split(maxsplit=1)[0][1:]
    name, _, addressee = head.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return
    if name.lower() in known_commands(context.application):
        return
    lang = await _user_language(context, update)
    await message.reply_text(t(lang, "common.unknown_command"))


async def _unanswered_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every press gets exactly one answer: "stale" when no feature took it (unknown
    prefix, forged data), an empty one when a feature took it and did not answer."""
    query = update.callback_query
    if query is None or _answered(context, query.id):
        return
    taken = any(
        isinstance(handler, CallbackQueryHandler) and handler.check_update(update)
        for group, group_handlers in context.application.handlers.items()
        if group != LAST_GROUP
        for handler in group_handlers
    )
    text = None
    if not taken:
        text = t(await _user_language(context, update), "common.stale_button")
    try:
        await query.answer(text)
    except TelegramError as exc:  # too old, or the user is gone: nothing more to do
        log.warning("could not answer callback %s: %s", query.id, exc)


async def _emptied_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text that was nothing but control characters is empty once cleaned; Telegram never
    sends an empty text otherwise, so say what happened instead of staying silent."""
    message = update.effective_message
    if message is not None and message.text == "":
        lang = await _user_language(context, update)
        await message.reply_text(t(lang, "guard.empty_text"))


def _answered(context: ContextTypes.DEFAULT_TYPE, query_id: str) -> bool:
    flagged = isinstance(context, BotContext) and context.callback_answered
    return flagged or callback_answered(context.bot, query_id)


async def _dedupe(update: Update, context: BotContext) -> None:
    """Skip redeliveries, and anything outside private chats (reports are personal)."""
    chat = update.effective_chat
    if chat is not None and chat.type != "private":
        raise ApplicationHandlerStop
    ctx = context.app
    user = update.effective_user
    status, employee = await claim(ctx.db, update.update_id, user.id if user is not None else None)
    if status is Claim.DONE:
        log.info("skipping redelivered update %s", update.update_id)
        raise ApplicationHandlerStop
    if status is Claim.UNFINISHED:
        log.warning("update %s was claimed but never finished: handling it again", update.update_id)
        context.redelivered = True
    if user is not None:
        context.remember_employee(employee)


async def _mark_done(update: Update, context: BotContext) -> None:
    """After every other group (also after an error: PTB goes on with the next group)."""
    await mark_done(context.app.db, update.update_id, context.app.clock.now())


async def _post_init(app: BotApp) -> None:
    ctx: AppContext = app.bot_data["ctx"]
    me = await app.bot.get_me()
    ctx.bot_username = me.username or ctx.bot_username
    # Command menus are set in the background by BotRuntime.start: never hold up polling.
    # The Indonesian stemmer loads its dictionary on first use (~30 ms): pay it now,
    # not on the first user's report.
    rank("menyusun laporan", [SkpCandidate(0, "Menyusun laporan")])


async def set_command_menus(app: BotApp) -> None:
    """Command menus per language (Telegram picks by the user's client language).

    Cosmetic and set again on every start, so the first failure is one warning line
    and the rest are skipped (an API server without setMyCommands, a network blip).
    """
    for lang in (*LANGUAGES, None):
        commands = [BotCommand(c, t(lang or "id", f"cmd.{c}")) for c in menus.DEFAULT]
        try:
            await app.bot.set_my_commands(
                commands, scope=BotCommandScopeDefault(), language_code=lang
            )
        except Exception as exc:
            log.warning("setMyCommands failed, command menus not set: %s", exc)
            return


async def _cleanup_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx: AppContext = context.bot_data["ctx"]
    await forget_old_updates(ctx.db, ctx.clock.now(), keep=timedelta(days=2))
    async with ctx.db.session() as session:
        await forget_old_attempts(session, ctx.clock.now())


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the details under an error id, apologise to the user, tell the admins the id.

    Issue 8 defect 11: the admins' message names only the error id, the exception type,
    the handler and the update type. Exception texts and tracebacks can hold SQL parameters
    (names, NIPs, activity text), so they go to the log only, under that id.
    """
    err = context.error
    if isinstance(err, Forbidden):
        log.info("user blocked the bot: %s", err)
        return
    if isinstance(err, BadRequest) and "message is not modified" in str(err):
        return
    report = error_report(update, err)
    log.error(
        "error %s: %s in %s (%s)",
        report.error_id,
        report.error_type,
        report.handler,
        report.update_type,
        exc_info=err,
    )
    ctx: AppContext | None = context.bot_data.get("ctx")
    if isinstance(update, Update) and update.effective_chat is not None:
        lang = await _user_language(context, update)
        try:
            query = update.callback_query
            if query is not None and not _answered(context, query.id):
                await query.answer(t(lang, "common.error"), show_alert=True)
            else:
                await context.bot.send_message(update.effective_chat.id, t(lang, "common.error"))
        except Exception as exc:  # the apology is best effort; its failure is no new error
            log.warning("error %s: could not send the apology: %r", report.error_id, exc)
    if ctx is None:
        return
    admins = set(ctx.settings.admin_telegram_ids)
    try:
        async with ctx.db.session() as session:
            admins.update(await admin_chat_ids(session))
    except Exception as exc:
        log.warning("error %s: could not load admin chats: %r", report.error_id, exc)
    body = t(
        "id",
        "guard.error_report",
        error_id=report.error_id,
        error_type=report.error_type,
        handler=report.handler,
        update_type=report.update_type,
    )
    for chat_id in admins:
        try:
            await context.bot.send_message(chat_id, body)
        except Exception as exc:
            log.warning("error %s: could not notify admin %s: %r", report.error_id, chat_id, exc)


@dataclass(frozen=True)
class ErrorReport:
    error_id: str
    error_type: str
    handler: str
    update_type: str


def error_report(update: object, err: BaseException | None) -> ErrorReport:
    """What admins may see of an error: no message text, no values, no traceback."""
    error_id = secrets.token_hex(4)
    if err is None:
        return ErrorReport(error_id, "?", "?", _update_type(update))
    kind = type(err)
    error_type = (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )
    return ErrorReport(error_id, error_type, _handler_of(err), _update_type(update))


def _handler_of(err: BaseException) -> str:
    """The innermost frame of our own code (a handler, else the bot) that the error passed."""
    best = "?"
    for frame, _ in traceback.walk_tb(err.__traceback__):
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith("handlers."):
            best = f"{module}.{frame.f_code.co_name}"
        elif module.startswith("bot.") and not best.startswith("handlers."):
            best = f"{module}.{frame.f_code.co_name}"
    return best


def _update_type(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__
    for kind in Update.ALL_TYPES:
        name = str(getattr(kind, "value", kind))
        if getattr(update, name, None) is not None:
            query = update.callback_query
            if query is not None and query.data:
                prefix = query.data.split(":", 1)[0]
                if prefix.isascii() and prefix.isalpha() and len(prefix) <= 8:
                    return f"{name} ({prefix})"
            return name
    return "update"


async def _user_language(context: ContextTypes.DEFAULT_TYPE, update: Update) -> str:
    if not isinstance(context, BotContext) or "ctx" not in context.bot_data:
        return "id"
    try:
        return await context.language(update)
    except Exception:  # the database may be what failed
        user = update.effective_user
        return normalize_language(user.language_code if user else None)
