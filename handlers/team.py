"""/tim (issue 9): the atasan's team for today, yesterday or this week, paged; tap a person.

Thin: bot.team reads the team in a fixed number of statements and renders it.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import team
from bot.approval_buttons import TeamPress
from bot.bot_context import BotContext
from bot.clock import local_today
from bot.i18n import t
from bot.ptb_types import BotApp
from handlers.approval import kb
from handlers.kit import Callbacks, Press, linked
from storage.models import Employee

presses = Callbacks(TeamPress)


@linked
async def tim_command(update: Update, context: BotContext, employee: Employee) -> None:
    """/tim, /tim kemarin, /tim minggu ini, /tim 20/11."""
    message = update.effective_message
    assert message is not None
    now = context.app.clock.now()
    span = team.period(" ".join(context.args or []), local_today(now, employee.zone_name))
    if span is None:
        await message.reply_text(t(employee.language, "team.bad_period"))
        return
    start, days = span
    async with context.app.db.session() as session:
        view = await team.team(session, employee, start, days, False, now)
    text, data = team.render_team(view, employee.language, 0, context.app.settings.workday_minutes)
    await message.reply_text(text, reply_markup=kb(data))


@presses.on("v")
async def page(press: Press[TeamPress]) -> None:
    d = press.data
    async with press.app.db.session() as session:
        view = await team.team(
            session, press.employee, d.start, d.days, bool(d.deep), press.app.clock.now()
        )
    text, data = team.render_team(view, press.lang, d.page, press.app.settings.workday_minutes)
    await press.edit(text, kb(data))


@presses.on("p")
async def person(press: Press[TeamPress]) -> None:
    d = press.data
    assert d.arg is not None
    back = TeamPress("v", d.start, d.days, d.deep, d.page)
    async with press.app.db.session() as session:
        view = await team.person_view(
            session, press.employee, d.arg, d.start, d.days, back, press.app.clock.now()
        )
    if view is None:
        await press.answer(t(press.lang, "team.not_in_team"), alert=True)
        return
    await press.edit(view[0], kb(view[1]))


def register(app: BotApp) -> None:
    for name in ("tim", "team"):
        app.add_handler(CommandHandler(name, tim_command))
    presses.register(app)
