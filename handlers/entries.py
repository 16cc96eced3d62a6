"""/hariini: the employee's stored entries for a day, with edit and delete buttons.

The buttons are `EntryPress` values; the activity id is always re-checked against the
presser in bot.entries.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot import drafts
from bot import entries as domain
from bot.bot_context import BotContext
from bot.callback_data import CallbackData, Day, Int, Word, spec
from bot.clock import local_today, zone
from bot.i18n import Html, format_date, format_duration, format_hours, t
from bot.ptb_types import BotApp
from handlers.inputs import InputReader, register_input
from handlers.kit import (
    Callbacks,
    Press,
    button,
    drop_buttons,
    keyboard,
    linked,
    quick_durations,
    short,
)
from storage.models import Employee

PAGE = 8
INPUT_DESCRIPTION = "ent_desc"
INPUT_MINUTES = "ent_min"
_DESCRIPTION_SHOWN = 250
_SKP_SHOWN = 100
_STATUSES = ("submitted", "approved", "rejected", "revision_requested", "partly_approved")

_DAY = Day()


@dataclass(frozen=True)
class EntryPress(CallbackData, prefix="ent"):
    """`ent:v:<yyyymmdd>:<page>` view a day; on activity <id>: `ent:e:<id>` edit menu,
    `ent:ed:<id>` ask for a new description, `ent:em:<id>` ask for a duration,
    `ent:m:<id>:<minutes>` set it, `ent:d:<id>` confirm delete, `ent:dy:<id>` delete,
    `ent:cx:<id>` cancel a question."""

    op: str = spec(Word("v", "e", "ed", "em", "m", "d", "dy", "cx"))
    ref: int = spec(Int(1))  # the activity id; for "v" the day as yyyymmdd
    n: int | None = spec(Int(0), default=None)  # "v": the page; "m": the minutes

    @classmethod
    def view(cls, day: date, page: int) -> EntryPress:
        return cls("v", int(_DAY.dump(day)), page)

    @property
    def day(self) -> date | None:
        if self.op != "v":
            return None
        day: date | None = _DAY.load(f"{self.ref:08d}")
        return day if isinstance(day, date) else None

    def valid(self) -> bool:
        if self.op == "v":
            return self.day is not None and self.n is not None
        return (self.n is not None) == (self.op == "m")


def _clock(value: time, lang: str) -> str:
    return t(lang, "entries.clock", hour=f"{value.hour:02d}", minute=f"{value.minute:02d}")


def _entry_head(entry: domain.EntryView, number: int, lang: str) -> str:
    act = entry.activity
    times = ""
    if act.start_time is not None and act.end_time is not None:
        times = t(
            lang,
            "entries.line_range",
            start=_clock(act.start_time, lang),
            end=_clock(act.end_time, lang),
        )
    marks = ""
    if entry.has_evidence:
        marks += t(lang, "entries.evidence_mark")
    if entry.locked:
        marks += t(lang, "entries.locked_mark")
    return t(
        lang,
        "entries.line_head",
        number=number,
        times=Html(times),
        duration=format_duration(act.minutes, lang),
        marks=Html(marks),
    )


def render_day(
    lang: str, view: domain.DayView, page: int, workday_minutes: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    pages = max(1, -(-len(view.entries) // PAGE))
    page = max(0, min(page, pages - 1))
    status_key = (
        f"entries.status_{view.submission_status}"
        if view.submission_status in _STATUSES
        else "entries.status_none"
    )
    blocks = [t(lang, "entries.title", date=format_date(view.work_date, lang))]
    if view.entries:
        blocks.append(t(lang, status_key))
    else:
        blocks.append(t(lang, "entries.empty"))
    numbered = list(enumerate(view.entries, start=1))
    shown = numbered[page * PAGE : (page + 1) * PAGE]
    overlaps = view.overlaps()
    for number, entry in shown:
        skp = (
            t(lang, "entries.line_skp", title=short(entry.skp_title, _SKP_SHOWN))
            if entry.skp_title
            else t(lang, "entries.line_extra")
        )
        desc = short(entry.activity.description, _DESCRIPTION_SHOWN)
        lines = [_entry_head(entry, number, lang), html.escape(desc, quote=False), skp]
        if number in overlaps:
            numbers = ", ".join(str(n) for n in overlaps[number])
            lines.append(t(lang, "entries.overlap", numbers=numbers))
        blocks.append("\n".join(lines))
    if view.entries:
        blocks.append(
            t(
                lang,
                "entries.total",
                done=format_hours(view.total_minutes, lang),
                target=format_hours(workday_minutes, lang),
            )
        )
    if any(e.locked for _, e in shown):
        blocks.append(t(lang, "entries.locked_note"))
    if pages > 1:
        blocks.append(t(lang, "entries.page", page=page + 1, pages=pages))

    buttons: list[Button] = []
    for number, entry in shown:
        if entry.locked:
            continue
        aid = entry.activity.id
        buttons.append(button(t(lang, "entries.btn_edit", number=number), EntryPress("e", aid)))
        buttons.append(button(t(lang, "entries.btn_delete", number=number), EntryPress("d", aid)))
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    nav = []
    if page > 0:
        nav.append(button(t(lang, "entries.btn_prev"), EntryPress.view(view.work_date, page - 1)))
    if page < pages - 1:
        nav.append(button(t(lang, "entries.btn_next"), EntryPress.view(view.work_date, page + 1)))
    rows.append(nav)
    if view.resubmit is not None:
        rows.append([button(t(lang, "approval.btn_resubmit"), view.resubmit)])
    markup = keyboard(*rows)
    return "\n\n".join(blocks), markup if markup.inline_keyboard else None


def _question_rows(lang: str, kind: str, activity_id: int) -> list[list[Button]]:
    """Cancel, and for a question about the duration the quick durations above it."""
    rows = [[_cancel_button(lang, activity_id)]]
    if kind == INPUT_MINUTES:
        quick = quick_durations(
            lambda m: _quick_label(m, lang), lambda m: EntryPress("m", activity_id, m)
        )
        rows[:0] = quick
    return rows


async def _day_view(
    context: BotContext, employee: Employee, day: date, page: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    ctx = context.app
    async with ctx.db.session() as session:
        view = await domain.day_entries(session, employee.id, day)
    return render_day(employee.language, view, page, ctx.settings.workday_minutes)


async def _view_of_entry(
    context: BotContext, employee: Employee, day: date, activity_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The day view on the page that holds this entry (or the first page if it is gone)."""
    ctx = context.app
    async with ctx.db.session() as session:
        view = await domain.day_entries(session, employee.id, day)
    index = next((i for i, e in enumerate(view.entries) if e.activity.id == activity_id), 0)
    return render_day(employee.language, view, index // PAGE, ctx.settings.workday_minutes)


@linked
async def hariini_command(update: Update, context: BotContext, employee: Employee) -> None:
    ctx = context.app
    message = update.effective_message
    if message is None:
        return
    arg = " ".join(context.args or [])
    tz = zone(employee.zone_name)
    day = domain.parse_day(arg, ctx.clock.now(), tz)
    if day is None:
        await message.reply_text(t(employee.language, "entries.bad_date"))
        return
    text, markup = await _day_view(context, employee, day)
    await message.reply_text(text, reply_markup=markup)


@dataclass
class _Located:
    entry: domain.EntryView
    number: int
    day: date


async def _locate(
    context: BotContext, employee: Employee, activity_id: int
) -> tuple[_Located | None, domain.EditResult]:
    ctx = context.app
    async with ctx.db.session() as session:
        entry, result = await domain.own_entry(session, employee.id, activity_id)
        if entry is None:
            return None, result
        day = entry.activity.work_date
        view = await domain.day_entries(session, employee.id, day)
    number = next(
        (i for i, e in enumerate(view.entries, start=1) if e.activity.id == activity_id), 1
    )
    return _Located(entry, number, day), result


def _duration_text(entry: domain.EntryView, lang: str) -> str:
    act = entry.activity
    duration = format_duration(act.minutes, lang)
    if act.start_time is not None and act.end_time is not None:
        return f"{_clock(act.start_time, lang)}–{_clock(act.end_time, lang)} · {duration}"
    return duration


def _quick_label(minutes: int, lang: str) -> str:
    if minutes < 60:
        return f"{minutes} {t(lang, 'unit.minute_short')}"
    return f"{format_hours(minutes, lang)} {t(lang, 'unit.hour_short')}"


async def _refuse(press: EPress, result: domain.EditResult, found: _Located | None) -> None:
    """Answer a press that cannot change anything; an approved entry's view loses its buttons."""
    if result is domain.EditResult.LOCKED and found is not None:
        await press.answer(t(press.lang, "entries.locked"), alert=True)
        text, markup = await _view_of_entry(
            press.context, press.employee, found.day, found.entry.activity.id
        )
        await press.edit(text, markup)
    else:
        await press.stale()


async def _set_question(
    employee: Employee, context: BotContext, kind: str | None, **data: Any
) -> None:
    ctx = context.app
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        if kind is None:
            pending = state.pending_input
            if pending is None or pending.get("kind") not in (INPUT_DESCRIPTION, INPUT_MINUTES):
                return
            drafts.clear_input(state)
        else:
            drafts.set_input(state, kind, **data)
        await drafts.save(session, state)


# --- presses ----------------------------------------------------------------------------

presses = Callbacks(EntryPress)
EPress = Press[EntryPress]


@presses.on("v")
async def _op_view(press: EPress) -> None:
    day, page = press.data.day, press.data.n
    assert day is not None and page is not None  # EntryPress.valid
    await press.answer()
    text, markup = await _day_view(press.context, press.employee, day, page)
    await press.edit(text, markup)


@presses.on("cx")
async def _op_cancel(press: EPress) -> None:
    """Cancelling is always allowed; it only drops the question."""
    lang, activity_id = press.lang, press.data.ref
    found, _ = await _locate(press.context, press.employee, activity_id)
    await _set_question(press.employee, press.context, None)
    await press.answer(t(lang, "entries.cancelled"))
    if found is None:
        await press.edit(t(lang, "entries.cancelled"))
    else:
        text, markup = await _view_of_entry(press.context, press.employee, found.day, activity_id)
        await press.edit(text, markup)


EntryOp = Callable[[EPress, _Located], Awaitable[None]]


def _on_entry(*ops: str) -> Callable[[EntryOp], EntryOp]:
    """An op on one of the presser's own entries that is still editable."""

    def wrap(op: EntryOp) -> EntryOp:
        async def run(press: EPress) -> None:
            found, result = await _locate(press.context, press.employee, press.data.ref)
            if found is None or result is not domain.EditResult.OK:
                await _refuse(press, result, found)
                return
            await op(press, found)

        presses.on(*ops)(run)
        return op

    return wrap


def _about(found: _Located, lang: str) -> dict[str, Any]:
    entry = found.entry
    return {
        "number": found.number,
        "description": short(entry.activity.description, _DESCRIPTION_SHOWN),
        "duration": _duration_text(entry, lang),
    }


def _cancel_button(lang: str, activity_id: int, key: str = "entries.btn_cancel") -> Button:
    return button(t(lang, key), EntryPress("cx", activity_id))


@_on_entry("e")
async def _op_menu(press: EPress, found: _Located) -> None:
    lang, activity_id = press.lang, press.data.ref
    await press.answer()
    markup = keyboard(
        [
            button(t(lang, "entries.btn_description"), EntryPress("ed", activity_id)),
            button(t(lang, "entries.btn_duration"), EntryPress("em", activity_id)),
        ],
        [_cancel_button(lang, activity_id, "entries.btn_back")],
    )
    await press.edit(t(lang, "entries.edit_menu", **_about(found, lang)), markup)


@_on_entry("ed", "em")
async def _op_ask(press: EPress, found: _Located) -> None:
    """Ask for a new description (ed) or duration (em); the answer comes as text."""
    lang, activity_id = press.lang, press.data.ref
    kind = INPUT_DESCRIPTION if press.data.op == "ed" else INPUT_MINUTES
    await _set_question(
        press.employee, press.context, kind, activity_id=activity_id, prompt=press.message_id
    )
    await press.answer()
    about = _about(found, lang)
    if kind == INPUT_MINUTES:
        text = t(lang, "entries.ask_minutes", **about)
    else:
        text = t(
            lang,
            "entries.ask_description",
            number=about["number"],
            description=about["description"],
        )
    await press.edit(text, keyboard(*_question_rows(lang, kind, activity_id)))


@_on_entry("m")
async def _op_minutes(press: EPress, found: _Located) -> None:
    lang, activity_id = press.lang, press.data.ref
    async with press.app.db.session() as session:
        result = await domain.edit_minutes(
            session, press.employee.id, activity_id, press.data.n or 0, press.app.clock.now()
        )
    if result in (domain.EditResult.INVALID, domain.EditResult.PAST_MIDNIGHT):
        key = (
            "entries.bad_minutes"
            if result is domain.EditResult.INVALID
            else "entries.past_midnight"
        )
        await press.answer(t(lang, key), alert=True)
        return
    if result is not domain.EditResult.OK:
        await _refuse(press, result, found)
        return
    await _set_question(press.employee, press.context, None)
    await press.answer(t(lang, "entries.minutes_changed"))
    text, markup = await _view_of_entry(press.context, press.employee, found.day, activity_id)
    await press.edit(f"{t(lang, 'entries.minutes_changed')}\n\n{text}", markup)


@_on_entry("d")
async def _op_confirm_delete(press: EPress, found: _Located) -> None:
    lang, activity_id = press.lang, press.data.ref
    await press.answer()
    markup = keyboard(
        [
            button(t(lang, "entries.btn_confirm_delete"), EntryPress("dy", activity_id)),
            _cancel_button(lang, activity_id),
        ]
    )
    await press.edit(t(lang, "entries.confirm_delete", **_about(found, lang)), markup)


@_on_entry("dy")
async def _op_delete(press: EPress, found: _Located) -> None:
    lang, activity_id = press.lang, press.data.ref
    async with press.app.db.session() as session:
        result = await domain.delete_entry(
            session, press.employee.id, activity_id, press.app.clock.now()
        )
    if result is not domain.EditResult.OK:
        await _refuse(press, result, found)
        return
    await press.answer(t(lang, "entries.deleted"))
    text, markup = await _view_of_entry(press.context, press.employee, found.day, activity_id)
    await press.edit(f"{t(lang, 'entries.deleted')}\n\n{text}", markup)


EntryEdit = Callable[[AsyncSession, int, int, str, datetime], Awaitable[domain.EditResult]]


def _entry_reader(kind: str, edit: EntryEdit, done_key: str, retry_key: str) -> InputReader:
    """The reader of question `kind`: applies `edit` to the entry with the typed text, then
    shows the day again, or asks again when the text is not acceptable."""

    async def read(
        update: Update, context: BotContext, employee: Employee, data: dict[str, Any]
    ) -> None:
        message = update.effective_message
        activity_id = data.get("activity_id")
        if message is None or not message.text or not isinstance(activity_id, int):
            return
        now = context.app.clock.now()
        async with context.app.db.session() as session:
            result = await edit(session, employee.id, activity_id, message.text, now)
        lang = employee.language
        await drop_buttons(context, message.chat.id, data.get("prompt"))
        if result in (domain.EditResult.INVALID, domain.EditResult.PAST_MIDNIGHT):
            key = retry_key if result is domain.EditResult.INVALID else "entries.past_midnight"
            ask = await message.reply_text(
                t(lang, key, max=domain.MAX_DESCRIPTION),
                reply_markup=keyboard(*_question_rows(lang, kind, activity_id)),
            )
            await _set_question(
                employee, context, kind, activity_id=activity_id, prompt=ask.message_id
            )
            return
        if result is domain.EditResult.LOCKED:
            await message.reply_text(t(lang, "entries.locked"))
            return
        if result is domain.EditResult.NOT_FOUND:
            await message.reply_text(t(lang, "common.stale_button"))
            return
        found, _ = await _locate(context, employee, activity_id)
        day = found.day if found is not None else local_today(now, employee.zone_name)
        text, markup = await _view_of_entry(context, employee, day, activity_id)
        await message.reply_text(f"{t(lang, done_key)}\n\n{text}", reply_markup=markup)

    return read


async def _edit_minutes(
    session: AsyncSession, employee_id: int, activity_id: int, text: str, now: datetime
) -> domain.EditResult:
    minutes = domain.parse_minutes(text)
    return await domain.edit_minutes(session, employee_id, activity_id, minutes or 0, now)


read_description = _entry_reader(
    INPUT_DESCRIPTION,
    domain.edit_description,
    "entries.description_changed",
    "entries.bad_description",
)
read_minutes = _entry_reader(
    INPUT_MINUTES, _edit_minutes, "entries.minutes_changed", "entries.bad_minutes"
)


def register(app: BotApp) -> None:
    for name in ("hariini", "today"):
        app.add_handler(CommandHandler(name, hariini_command))
    presses.register(app)
    register_input(INPUT_DESCRIPTION, read_description)
    register_input(INPUT_MINUTES, read_minutes)
