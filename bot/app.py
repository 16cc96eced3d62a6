"""Builds the python-telegram-bot Application: handlers, error handler, jobs."""

from __future__ import annotations

import html
import logging
import traceback
from datetime import timedelta

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    ApplicationHandlerStop,
    ContextTypes,
    Defaults,
    TypeHandler,
)

import handlers
from bot import menus
from bot.bot_context import BotContext
from bot.context import AppContext
from bot.i18n import LANGUAGES, Html, t
from bot.matching import SkpCandidate, rank
from bot.ptb_types import BotApp
from bot.transport import RetryingRequest
from bot.updates import PerUserUpdateProcessor, claim_update_and_load, forget_old_updates
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
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.send_rate_per_second))
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
    app.add_handler(TypeHandler(Update, _dedupe), group=-1)
    handlers.register_all(app)


async def _dedupe(update: Update, context: BotContext) -> None:
    """Skip redeliveries, and anything outside private chats (reports are personal)."""
    chat = update.effective_chat
    if chat is not None and chat.type != "private":
        raise ApplicationHandlerStop
    ctx = context.app
    user = update.effective_user
    claimed, employee = await claim_update_and_load(
        ctx.db, update.update_id, user.id if user is not None else None
    )
    if not claimed:
        log.info("skipping redelivered update %s", update.update_id)
        raise ApplicationHandlerStop
    if user is not None:
        context.remember_employee(employee)


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


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the traceback, apologise to the user in their language, tell the admins."""
    err = context.error
    if isinstance(err, Forbidden):
        log.info("user blocked the bot: %s", err)
        return
    if isinstance(err, BadRequest) and "message is not modified" in str(err):
        return
    log.error("unhandled error", exc_info=err)
    ctx: AppContext | None = context.bot_data.get("ctx")
    if isinstance(update, Update) and update.effective_chat is not None:
        lang = await _user_language(context, update)
        try:
            query = update.callback_query
            answered = isinstance(context, BotContext) and context.callback_answered
            if query is not None and not answered:
                await query.answer(t(lang, "common.error"), show_alert=True)
            else:
                await context.bot.send_message(update.effective_chat.id, t(lang, "common.error"))
        except Exception:
            log.exception("could not send the apology")
    if ctx is None:
        return
    trace = "".join(traceback.format_exception(err)) if err else "?"
    update_id = update.update_id if isinstance(update, Update) else "-"
    admins = set(ctx.settings.admin_telegram_ids)
    try:
        async with ctx.db.session() as session:
            admins.update(await admin_chat_ids(session))
    except Exception:
        log.exception("could not load admin chats")
    room = 4000 - len(t("id", "admin.error_report", update_id=str(update_id), trace=""))
    body = t("id", "admin.error_report", update_id=str(update_id), trace=_escaped_tail(trace, room))
    for chat_id in admins:
        try:
            await context.bot.send_message(chat_id, body)
        except Exception:
            log.exception("could not notify admin %s", chat_id)


def _escaped_tail(text: str, room: int) -> Html:
    """The end of `text`, HTML-escaped, in at most `room` characters (no entity cut)."""
    tail = text[-room:] if room > 0 else ""
    escaped = html.escape(tail)
    while len(escaped) > room:
        tail = tail[len(escaped) - room :]
        escaped = html.escape(tail)
    return Html(escaped)


async def _user_language(context: ContextTypes.DEFAULT_TYPE, update: Update) -> str:
    if "ctx" not in context.bot_data or not isinstance(context, BotContext):
        return "id"
    try:
        return await context.language(update)
    except Exception:
        return "id"
