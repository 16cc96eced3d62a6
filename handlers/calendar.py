"""/cuti and /dinas (personal leave, duty travel; cancel) and /libur (admins' local days off)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from bot import drafts, reminders
from bot.bot_context import BotContext
from bot.callback_data import CallbackData, Int, Word, spec
from bot.context import AppContext
from bot.delegation import CANCEL_WORDS
from bot.i18n import format_date, format_date_range, t
from bot.ptb_types import BotApp
from bot.workcalendar import (
    MAX_RANGE_WORKDAYS,
    RangeError,
    UnitChoiceError,
    add_leave,
    add_local_days,
    cancel_leave,
    choose_unit,
    switch_off_holiday,
    upcoming_days_off,
    upcoming_leaves,
)
from handlers.inputs import register_input
from handlers.kit import Callbacks, Press, button, keyboard, linked, short
from storage.models import Employee, Unit


@dataclass(frozen=True)
class CalPress(CallbackData, prefix="cal"):
    op: str = spec(Word("leave", "day"))  # cancel a leave / remove a day off
    id: int = spec(Int(1))


presses = Callbacks(CalPress)


def _args(update: Update) -> str:
    text = update.effective_message.text if update.effective_message else ""
    parts = (text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _today(ctx: AppContext, employee: Employee) -> Any:
    async with ctx.db.session() as session:
        return await reminders.local_today(session, ctx.settings, employee, ctx.clock.now())


# --- leave and dinas ------------------------------------------------------------------------


def _is_cancel(text: str | None) -> bool:
    return (text or "").strip().strip("/").lower() in CANCEL_WORDS


async def _save_leave(ctx: AppContext, employee: Employee, kind: str, text: str) -> str:
    lang = employee.language
    today = await _today(ctx, employee)
    try:
        async with ctx.db.session() as session:
            row, days = await add_leave(
                session, employee.id, employee.unit_id, kind, text, today, ctx.clock.now()
            )
    except RangeError as err:
        return t(lang, f"calendar.error_{err.code}", max=MAX_RANGE_WORKDAYS)
    return t(
        lang,
        "calendar.leave_saved",
        kind=t(lang, f"calendar.kind_{kind}").capitalize(),
        dates=format_date_range(row.start_date, row.end_date, lang),
        days=days,
    )


async def _leave_list(ctx: AppContext, employee: Employee) -> tuple[str, Any]:
    lang = employee.language
    today = await _today(ctx, employee)
    async with ctx.db.session() as session:
        rows = await upcoming_leaves(session, employee.id, today)
    if not rows:
        return t(lang, "calendar.leave_none"), None
    items = "\n".join(
        t(
            lang,
            "calendar.leave_item",
            kind=t(lang, f"calendar.kind_{r.kind}"),
            start=format_date(r.start_date, lang, "short"),
            end=format_date(r.end_date, lang, "short"),
        )
        for r in rows
    )
    buttons = [
        [
            button(
                t(
                    lang,
                    "calendar.button_cancel_leave",
                    start=format_date(r.start_date, lang, "short"),
                ),
                CalPress("leave", r.id),
            )
        ]
        for r in rows
    ]
    return t(lang, "calendar.leave_list", items=items), keyboard(*buttons)


async def _leave_command(
    update: Update, context: BotContext, employee: Employee, kind: str
) -> None:
    message = update.effective_message
    if message is None:
        return
    ctx, lang = context.app, employee.language
    text = _args(update)
    if text:
        await message.reply_text(await _save_leave(ctx, employee, kind, text))
        return
    listing, markup = await _leave_list(ctx, employee)
    await message.reply_text(listing, reply_markup=markup)
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        drafts.set_input(state, "leave", leave_kind=kind)
        await drafts.save(session, state)
    await message.reply_text(t(lang, "calendar.leave_ask", kind=t(lang, f"calendar.kind_{kind}")))


@linked
async def cuti(update: Update, context: BotContext, employee: Employee) -> None:
    await _leave_command(update, context, employee, "cuti")


@linked
async def dinas(update: Update, context: BotContext, employee: Employee) -> None:
    await _leave_command(update, context, employee, "dinas")


async def read_leave(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, pending: dict[str, Any]
) -> None:
    message = update.effective_message
    if message is None:
        return
    kind = "dinas" if pending.get("leave_kind") == "dinas" else "cuti"
    ctx: AppContext = context.bot_data["ctx"]
    if _is_cancel(message.text):  # "batal" closes the question (it is already cleared)
        await message.reply_text(t(employee.language, "calendar.question_closed"))
        return
    await message.reply_text(await _save_leave(ctx, employee, kind, message.text or ""))


@presses.on("leave")
async def cancel_leave_press(press: Press[CalPress]) -> None:
    ctx, lang = press.app, press.lang
    async with ctx.db.session() as session:
        row = await cancel_leave(session, press.employee.id, press.data.id, ctx.clock.now())
    if row is None:
        await press.stale()
        return
    await press.answer()
    await press.reply(
        t(
            lang,
            "calendar.leave_cancelled",
            kind=t(lang, f"calendar.kind_{row.kind}"),
            start=format_date(row.start_date, lang, "short"),
            end=format_date(row.end_date, lang, "short"),
        )
    )
    listing, markup = await _leave_list(ctx, press.employee)
    await press.edit(listing, markup)


# --- local days off (admins) ----------------------------------------------------------------


async def _unit_name(ctx: AppContext, employee: Employee) -> str:
    if employee.unit_id is None:
        return t(employee.language, "calendar.everyone")
    async with ctx.db.session() as session:
        unit = await session.get(Unit, employee.unit_id)
    return unit.name if unit else t(employee.language, "calendar.everyone")


async def _save_days(ctx: AppContext, employee: Employee, text: str) -> str:
    """'24 Des HUT Kota' for the admin's own unit; '24 Des HUT Kota; SD Negeri 1' (a unit
    name or path 'Dinas Pendidikan > SD Negeri 1', or 'semua') for another one."""
    lang = employee.language
    today = await _today(ctx, employee)
    days_text, _, unit_text = text.rpartition(";") if ";" in text else (text, "", "")
    try:
        async with ctx.db.session() as session:
            unit_id, unit = employee.unit_id, None
            if unit_text.strip():
                unit_id, unit = await choose_unit(
                    session, employee.unit_id, unit_text, ctx.clock.now()
                )
            start, end, name = await add_local_days(
                session,
                unit_id,
                days_text,
                t(lang, "calendar.default_name"),
                employee.id,
                today,
                ctx.clock.now(),
            )
            # National days and cuti bersama already in the range: the unit is off anyway.
            already = [
                h
                for h in await upcoming_days_off(
                    session, unit_id, start, ctx.clock.now(), days=(end - start).days
                )
                if h.kind != "local"
            ]
    except RangeError as err:
        return t(lang, f"calendar.error_{err.code}", max=MAX_RANGE_WORKDAYS)
    except UnitChoiceError as err:
        return t(
            lang, f"calendar.error_{err.code}", unit=unit_text.strip(), paths="; ".join(err.paths)
        )
    if unit is None:
        unit = await _unit_name(ctx, employee) if unit_id is not None else None
    saved = t(
        lang,
        "calendar.holiday_saved",
        unit=unit or t(lang, "calendar.everyone"),
        dates=format_date_range(start, end, lang),
        name=name,
    )
    for h in already:
        saved += "\n" + t(
            lang,
            "calendar.already_off",
            date=format_date(h.day, lang),
            name=h.name,
            kind=t(lang, f"calendar.kind_{h.kind}"),
        )
    return saved


async def _days_list(ctx: AppContext, employee: Employee) -> tuple[str, Any]:
    lang = employee.language
    today = await _today(ctx, employee)
    async with ctx.db.session() as session:
        rows = await upcoming_days_off(session, employee.unit_id, today, ctx.clock.now())
    if not rows:
        return t(lang, "calendar.holiday_none"), None
    items = "\n".join(
        t(
            lang,
            "calendar.holiday_item",
            date=format_date(h.day, lang, "short"),
            name=h.name,
            kind=t(lang, f"calendar.kind_{h.kind}"),
        )
        for h in rows
    )
    buttons = [
        [
            button(
                t(
                    lang,
                    "calendar.button_remove",
                    date=format_date(h.day, lang, "short"),
                    name=short(h.name, 28),
                ),
                CalPress("day", h.id),
            )
        ]
        for h in rows[:20]
    ]
    return t(lang, "calendar.holiday_list", items=items), keyboard(*buttons)


@linked
async def libur(update: Update, context: BotContext, employee: Employee) -> None:
    """Everyone sees their unit's days off; only admins add or remove them."""
    message = update.effective_message
    if message is None:
        return
    ctx = context.app
    text = _args(update)
    if "admin" not in employee.role_set:
        listing, _markup = await _days_list(ctx, employee)
        await message.reply_text(listing + "\n\n" + t(employee.language, "calendar.view_only"))
        return
    if text:
        await message.reply_text(await _save_days(ctx, employee, text))
        return
    listing, markup = await _days_list(ctx, employee)
    await message.reply_text(listing, reply_markup=markup)
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        drafts.set_input(state, "holiday")
        await drafts.save(session, state)
    await message.reply_text(t(employee.language, "calendar.holiday_ask"))


async def read_days(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, pending: dict[str, Any]
) -> None:
    message = update.effective_message
    if message is None or "admin" not in employee.role_set:
        return
    if _is_cancel(message.text):
        await message.reply_text(t(employee.language, "calendar.question_closed"))
        return
    ctx: AppContext = context.bot_data["ctx"]
    await message.reply_text(await _save_days(ctx, employee, message.text or ""))


@presses.on("day")
async def remove_day(press: Press[CalPress]) -> None:
    if "admin" not in press.employee.role_set:
        await press.answer(t(press.lang, "common.not_allowed"), alert=True)
        return
    ctx, lang = press.app, press.lang
    async with ctx.db.session() as session:
        row = await switch_off_holiday(session, press.data.id)
    if row is None:
        await press.stale()
        return
    await press.answer(
        t(lang, "calendar.holiday_removed", date=format_date(row.day, lang, "short"), name=row.name)
    )
    listing, markup = await _days_list(ctx, press.employee)
    await press.edit(listing, markup)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler(["cuti", "leave"], cuti))
    app.add_handler(CommandHandler("dinas", dinas))
    app.add_handler(CommandHandler(["libur", "holidays"], libur))
    presses.register(app)
    register_input("leave", read_leave)
    register_input("holiday", read_days)
