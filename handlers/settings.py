"""/pengaturan: reminder time, time zone (own, or the unit's), language shortcut, the
lighter reminder.

Other features add their own part of the screen with `register_section(render)`: `render`
gets the AppContext and the employee and returns (text, rows of buttons); its buttons use
the feature's own callback codec and handlers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import update
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler, ContextTypes

from bot import drafts, reminders
from bot.bot_context import BotContext
from bot.callback_data import CallbackData, Token, Word, spec
from bot.context import AppContext
from bot.i18n import format_clock, t
from bot.ptb_types import BotApp
from bot.workcalendar import ZONES, load_calendar, parse_clock, zone_label
from handlers.inputs import register_input
from handlers.kit import Callbacks, Press, button, keyboard, linked
from storage.models import Employee, Unit

Section = Callable[[AppContext, Employee], Awaitable[tuple[str, list[list[InlineKeyboardButton]]]]]
_sections: list[Section] = []

TIME_CHOICES = ("15:00", "15:30", "16:00")


def _mark(lang: str, label: str, current: bool) -> str:
    """A button's label, with ✓ when it is the current choice."""
    return t(lang, "settings.current", label=label) if current else label


def _clock(choice: str) -> time:
    return time(int(choice[:2]), int(choice[3:]))


def register_section(render: Section) -> None:
    """Add a part to /pengaturan (shown after the reminder settings, in order added). Safe
    to call from a feature's register(app), which runs once per Application built."""
    if render not in _sections:
        _sections.append(render)


@dataclass(frozen=True)
class SetPress(CallbackData, prefix="set"):
    op: str = spec(Word("time", "tz", "lang", "ask", "light", "utz", "utime"))
    arg: str | None = spec(Token(8), default=None)


presses = Callbacks(SetPress)


async def _reminder_section(
    ctx: AppContext, employee: Employee
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    now = ctx.clock.now()
    async with ctx.db.session() as session:
        cal = await load_calendar(session, now.date(), now.date(), now=now, employee_ids=[])
        light = await reminders.light_on(session, employee.id)
    default = ctx.settings.default_timezone
    tz = str(cal.zone(employee.timezone, employee.unit_id, default))
    at = cal.reminder_time(employee.reminder_time, employee.unit_id, ctx.settings.reminder_time)
    lang = employee.language
    text = t(
        lang,
        "settings.reminders",
        time=format_clock(at, lang),
        zone=zone_label(tz),
        tz=tz,
        source=t(lang, "settings.zone_own" if employee.timezone else "settings.zone_unit"),
        light=t(lang, "settings.on" if light else "settings.off"),
    )
    text += "\n" + t(lang, "settings.buttons_own")
    times = [
        button(
            _mark(
                lang, t(lang, "settings.button_time", time=format_clock(c, lang)), at == _clock(c)
            ),
            SetPress("time", c.replace(":", "")),
        )
        for c in TIME_CHOICES
    ]
    zones = [
        button(
            _mark(
                lang,
                t(lang, "settings.button_zone", zone=label),
                employee.timezone == ZONES[label],
            ),
            SetPress("tz", label),
        )
        for label in ZONES
    ]
    if employee.timezone:  # an own zone: back to the unit's
        zones.append(button(t(lang, "settings.button_zone_unit"), SetPress("tz", "unit")))
    rows = [
        times,
        [button(t(lang, "settings.button_other_time"), SetPress("ask"))],
        zones,
        [
            button(
                t(lang, "settings.button_language"),
                SetPress("lang", "en" if lang == "id" else "id"),
            ),
            button(
                t(lang, "settings.button_light_off" if light else "settings.button_light_on"),
                SetPress("light", "off" if light else "on"),
            ),
        ],
    ]
    return text, rows


async def _unit_section(
    ctx: AppContext, employee: Employee
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """Admins: their unit's time zone and reminder time (inherited by its sub-units)."""
    if "admin" not in employee.role_set or employee.unit_id is None:
        return "", []
    now = ctx.clock.now()
    async with ctx.db.session() as session:
        unit = await session.get(Unit, employee.unit_id)
        cal = await load_calendar(session, now.date(), now.date(), now=now, employee_ids=[])
    if unit is None:
        return "", []
    lang = employee.language
    tz = str(cal.zone(None, unit.id, ctx.settings.default_timezone))
    at = cal.reminder_time(None, unit.id, ctx.settings.reminder_time)
    text = t(
        lang, "settings.unit", unit=unit.name, zone=zone_label(tz), time=format_clock(at, lang)
    )
    text += "\n" + t(lang, "settings.buttons_unit")
    zones = [
        button(
            _mark(lang, t(lang, "settings.button_unit_zone", zone=label), tz == ZONES[label]),
            SetPress("utz", label),
        )
        for label in ZONES
    ]
    times = [
        button(
            _mark(
                lang,
                t(lang, "settings.button_unit_time", time=format_clock(c, lang)),
                at == _clock(c),
            ),
            SetPress("utime", c.replace(":", "")),
        )
        for c in TIME_CHOICES
    ]
    return text, [zones, times]


async def render(ctx: AppContext, employee: Employee) -> tuple[str, InlineKeyboardMarkup]:
    parts = [t(employee.language, "settings.title")]
    rows: list[list[InlineKeyboardButton]] = []
    for section in (_reminder_section, _unit_section, *_sections):
        text, more = await section(ctx, employee)
        if text:
            parts.append(text)
        rows.extend(more)
    return "\n\n".join(parts), keyboard(*rows)


@linked
async def settings_command(update: Update, context: BotContext, employee: Employee) -> None:
    text, markup = await render(context.app, employee)
    if update.effective_message is not None:
        await update.effective_message.reply_text(text, reply_markup=markup)


async def _save(ctx: AppContext, employee: Employee, **values: Any) -> Employee:
    async with ctx.db.session() as session:
        await session.execute(update(Employee).where(Employee.id == employee.id).values(**values))
        fresh = await session.get(Employee, employee.id)
    assert fresh is not None
    return fresh


def _hhmm(arg: str) -> time | None:
    if len(arg) == 4 and arg.isdigit() and int(arg[:2]) < 24 and int(arg[2:]) < 60:
        return time(int(arg[:2]), int(arg[2:]))
    return None


@presses.on("utz", "utime")
async def change_unit(press: Press[SetPress]) -> None:
    """An admin sets their own unit's zone or reminder time (sub-units inherit it)."""
    ctx, op, arg = press.app, press.data.op, press.data.arg or ""
    employee = press.employee
    if "admin" not in employee.role_set or employee.unit_id is None:
        await press.answer(t(press.lang, "common.not_allowed"), alert=True)
        return
    values: dict[str, Any] = {}
    if op == "utz" and arg in ZONES:
        values["timezone"] = ZONES[arg]
    elif op == "utime" and _hhmm(arg) is not None:
        values["reminder_time"] = _hhmm(arg)
    if not values:
        await press.stale()
        return
    async with ctx.db.session() as session:
        await session.execute(update(Unit).where(Unit.id == employee.unit_id).values(**values))
    text, markup = await render(ctx, employee)
    await press.answer(t(employee.language, "settings.saved"))
    await press.edit(text, markup)


@presses.on("time", "tz", "lang", "light")
async def change(press: Press[SetPress]) -> None:
    ctx, op, arg = press.app, press.data.op, press.data.arg or ""
    employee = press.employee
    if op == "time" and _hhmm(arg) is not None:
        employee = await _save(ctx, employee, reminder_time=_hhmm(arg))
    elif op == "tz" and arg in ZONES:
        employee = await _save(ctx, employee, timezone=ZONES[arg])  # even the default's
    elif op == "tz" and arg == "unit":
        employee = await _save(ctx, employee, timezone=None)
    elif op == "lang" and arg in ("id", "en"):
        employee = await _save(ctx, employee, language=arg)
    elif op == "light" and arg in ("on", "off"):
        async with ctx.db.session() as session:
            await reminders.set_light(session, employee.id, arg == "on", ctx.clock.now())
    else:
        await press.stale()
        return
    text, markup = await render(ctx, employee)
    await press.answer(t(employee.language, "settings.saved"))
    await press.edit(text, markup)


@presses.on("ask")
async def ask_time(press: Press[SetPress]) -> None:
    ctx = press.app
    async with ctx.db.session() as session:
        state = await drafts.load(session, press.employee.id)
        drafts.set_input(state, "settings_time")
        await drafts.save(session, state)
    await press.answer()
    await press.reply(t(press.lang, "settings.ask_time"))


async def read_time(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, pending: dict[str, Any]
) -> None:
    message = update.effective_message
    if message is None:
        return
    ctx: AppContext = context.bot_data["ctx"]
    at = parse_clock(message.text or "")
    if at is None:
        await message.reply_text(t(employee.language, "settings.bad_time"))
        return
    employee = await _save(ctx, employee, reminder_time=at)
    text, markup = await render(ctx, employee)
    await message.reply_text(
        t(employee.language, "settings.saved") + "\n\n" + text, reply_markup=markup
    )


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler(["pengaturan", "settings"], settings_command))
    presses.register(app)
    register_input("settings_time", read_time)
