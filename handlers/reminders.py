"""Reminder buttons (Lapor sekarang / Saya cuti hari ini / Ingatkan 1 jam lagi / nudge) and
the scheduler job that queues what the bot says on its own (bot.scheduler)."""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from telegram.ext import ContextTypes

from bot import reminders
from bot.context import AppContext
from bot.i18n import format_clock, format_date, t
from bot.ptb_types import BotApp
from bot.reminders import RemPress
from bot.scheduler import TICK_SECONDS, tick
from handlers.kit import Callbacks, Press
from storage.models import Leave

log = logging.getLogger(__name__)

presses = Callbacks(RemPress)


async def _today(press: Press[RemPress]) -> bool:
    """The press is about the presser's local today (else it is answered as stale)."""
    ctx = press.app
    async with ctx.db.session() as session:
        today = await reminders.local_today(session, ctx.settings, press.employee, ctx.clock.now())
    if press.data.day != today:
        await press.stale()
        return False
    return True


@presses.on("lapor")
async def report_now(press: Press[RemPress]) -> None:
    await press.answer()
    await press.reply(t(press.lang, "report.lapor_prompt"))


@presses.on("cuti")
async def leave_today(press: Press[RemPress]) -> None:
    if not await _today(press):
        return
    ctx, day = press.app, press.data.day
    async with ctx.db.session() as session:
        session.add(
            Leave(
                employee_id=press.employee.id,
                start_date=day,
                end_date=day,
                kind="cuti",
                created_at=ctx.clock.now(),
            )
        )
    text = t(press.lang, "reminders.leave_today", date=format_date(day, press.lang))
    await press.answer()
    await press.edit(text)


@presses.on("snooze")
async def snooze(press: Press[RemPress]) -> None:
    if not await _today(press):
        return
    ctx = press.app
    async with ctx.db.session() as session:
        due = await reminders.snooze(session, press.employee.id, press.data.day, ctx.clock.now())
        local = (
            await reminders.snapshot(session, ctx.settings, ctx.clock.now(), [press.employee.id])
        ).local
    if due is None:
        await press.answer(t(press.lang, "reminders.snooze_once"))
        return
    zone = local[press.employee.id].tzinfo
    when = format_clock((due.astimezone(zone) if zone else due).time(), press.lang)
    await press.answer(t(press.lang, "reminders.snooze_set", time=when))


@presses.on("nudge")
async def nudge(press: Press[RemPress]) -> None:
    ctx, data = press.app, press.data
    assert data.employee is not None
    async with ctx.db.session() as session:
        outcome = await reminders.nudge(
            session, press.employee, data.employee, ctx.clock.now().date(), ctx.clock.now()
        )
    if outcome == "ok":
        ctx.poke_outbox()
    key = {
        "ok": "reminders.nudge_sent",
        "already": "reminders.nudge_already",
        "unreachable": "reminders.nudge_unreachable",
    }.get(outcome, "common.not_allowed")
    await press.answer(t(press.lang, key), alert=outcome == "not_allowed")


async def _tick_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx: AppContext = context.bot_data["ctx"]
    try:
        result = await tick(ctx.db, ctx.settings, ctx.clock)
    except Exception:
        log.exception("scheduler tick failed")
        return
    if result.queued:
        ctx.poke_outbox()


def scheduler_enabled() -> bool:
    """KINERJA_SCHEDULER=0 switches the tick off (the test suite does, and drives it itself)."""
    return os.environ.get("KINERJA_SCHEDULER", "1") != "0"


def register(app: BotApp) -> None:
    presses.register(app)
    if app.job_queue is not None and scheduler_enabled():
        app.job_queue.run_repeating(
            _tick_job, interval=timedelta(seconds=TICK_SECONDS), first=timedelta(seconds=2)
        )
