"""/start: deep-link invites link a Telegram account to an employee."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.bot_context import BotContext
from bot.employees import call_name
from bot.i18n import normalize_language, t
from bot.ptb_types import BotApp
from bot.registration import RedeemStatus, redeem_invite
from handlers.common import refresh_menu

_STATUS_KEYS = {
    RedeemStatus.INVALID: "start.invalid_code",
    RedeemStatus.EXPIRED: "start.expired_code",
    RedeemStatus.USED: "start.used_code",
    RedeemStatus.EMPLOYEE_TAKEN: "start.employee_taken",
}


async def start(update: Update, context: BotContext) -> None:
    """Not @linked: an invite is how an unknown person becomes a linked employee."""
    ctx = context.app
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    client_lang = normalize_language(user.language_code)
    code = context.args[0] if context.args else None
    if not code:
        employee = await context.employee(update)
        if employee is None or not employee.active:
            key = "common.unknown_user" if employee is None else "common.inactive_user"
            await message.reply_text(t(client_lang, key))
            return
        await message.reply_text(
            t(employee.language, "start.welcome_back", name=call_name(employee.name))
        )
        return
    async with ctx.db.session() as session:
        result = await redeem_invite(session, code[:64], user.id, client_lang, ctx.clock.now())
        employee = result.employee
        if result.status in (RedeemStatus.LINKED, RedeemStatus.ALREADY_LINKED) and employee:
            reply = t(
                employee.language,
                "start.linked",
                name=call_name(employee.name),
                position=employee.position or "-",
                nip=employee.nip,
            )
        elif result.status is RedeemStatus.ACCOUNT_TAKEN and employee:
            reply = t(employee.language, "start.account_taken", name=employee.name)
        elif result.status is RedeemStatus.TOO_MANY_WRONG and result.retry_after:
            minutes = max(1, round(result.retry_after.total_seconds() / 60))
            reply = t(client_lang, "guard.too_many_codes", minutes=minutes)
        else:
            reply = t(client_lang, _STATUS_KEYS.get(result.status, "start.invalid_code"))
    if result.status is RedeemStatus.LINKED:
        context.forget_employee()  # the sender is somebody now
    await message.reply_text(reply)
    if result.status in (RedeemStatus.LINKED, RedeemStatus.ALREADY_LINKED) and employee:
        await refresh_menu(update, context, employee)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("start", start))
