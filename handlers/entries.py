"""/hariini: the employee's stored entries for a day, with edit and delete buttons.

Callback data (the id is always re-checked against the presser in bot.entries):
`ent:v:<yyyymmdd>:<page>` view, `ent:e:<id>` edit menu, `ent:ed:<id>` ask for a new
description, `ent:em:<id>` ask for a duration, `ent:m:<id>:<minutes>` set it,
`ent:d:<id>` confirm delete, `ent:dy:<id>` delete, `ent:cx:<id>` cancel a question.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot import drafts
from bot import entries as domain
from bot.i18n import Html, format_date, format_duration, format_hours, t
from bot.ptb_types import BotApp
from handlers.common import app_ctx, drop_buttons, require_employee
from handlers.inputs import register_input
from storage.models import Employee

PAGE = 8
QUICK_MINUTES = (30, 60, 90, 120, 180)
INPUT_DESCRIPTION = "ent_desc"
INPUT_MINUTES = "ent_min"
_DESCRIPTION_SHOWN = 250
_SKP_SHOWN = 100
_STATUSES = ("submitted", "approved", "rejected", "revision_requested", "partly_approved")


def _btn(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _clock(value: time, lang: str) -> str:
    return t(lang, "entries.clock", hour=f"{value.hour:02d}", minute=f"{value.minute:02d}")


def _date_key(day: date) -> str:
    return day.strftime("%Y%m%d")


def _parse_date_key(raw: str) -> date | None:
    if len(raw) != 8 or not raw.isdigit():
        return None
    try:
        return date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


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
    for number, entry in shown:
        skp = (
            t(lang, "entries.line_skp", title=_short(entry.skp_title, _SKP_SHOWN))
            if entry.skp_title
            else t(lang, "entries.line_extra")
        )
        desc = _short(entry.activity.description, _DESCRIPTION_SHOWN)
        blocks.append(
            "\n".join([_entry_head(entry, number, lang), html.escape(desc, quote=False), skp])
        )
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

    buttons: list[InlineKeyboardButton] = []
    for number, entry in shown:
        if entry.locked:
            continue
        aid = entry.activity.id
        buttons.append(_btn(t(lang, "entries.btn_edit", number=number), f"ent:e:{aid}"))
        buttons.append(_btn(t(lang, "entries.btn_delete", number=number), f"ent:d:{aid}"))
    rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
    key = _date_key(view.work_date)
    nav = []
    if page > 0:
        nav.append(_btn(t(lang, "entries.btn_prev"), f"ent:v:{key}:{page - 1}"))
    if page < pages - 1:
        nav.append(_btn(t(lang, "entries.btn_next"), f"ent:v:{key}:{page + 1}"))
    if nav:
        rows.append(nav)
    return "\n\n".join(blocks), InlineKeyboardMarkup(rows) if rows else None


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:  # the same view pressed twice
        if "not modified" not in str(exc):
            raise


def _tz_today(context: ContextTypes.DEFAULT_TYPE, employee: Employee) -> date:
    return domain.local_today(app_ctx(context).clock.now(), employee.timezone)


async def _day_view(
    context: ContextTypes.DEFAULT_TYPE, employee: Employee, day: date, page: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    ctx = app_ctx(context)
    async with ctx.db.session() as session:
        view = await domain.day_entries(session, employee.id, day)
    return render_day(employee.language, view, page, ctx.settings.workday_minutes)


async def _view_of_entry(
    context: ContextTypes.DEFAULT_TYPE, employee: Employee, day: date, activity_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The day view on the page that holds this entry (or the first page if it is gone)."""
    ctx = app_ctx(context)
    async with ctx.db.session() as session:
        view = await domain.day_entries(session, employee.id, day)
    index = next((i for i, e in enumerate(view.entries) if e.activity.id == activity_id), 0)
    return render_day(employee.language, view, index // PAGE, ctx.settings.workday_minutes)


async def hariini_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    message = update.effective_message
    if employee is None or message is None:
        return
    arg = " ".join(context.args or [])
    tz = domain.zone(employee.timezone)
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
    context: ContextTypes.DEFAULT_TYPE, employee: Employee, activity_id: int
) -> tuple[_Located | None, domain.EditResult]:
    ctx = app_ctx(context)
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
        return f"{minutes}{t(lang, 'unit.minute_short')}"
    return f"{format_hours(minutes, lang)}{t(lang, 'unit.hour_short')}"


async def _refuse(
    query: CallbackQuery,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    result: domain.EditResult,
    found: _Located | None,
) -> None:
    """Answer a press that cannot change anything; an approved entry's view loses its buttons."""
    lang = employee.language
    if result is domain.EditResult.LOCKED and found is not None:
        await query.answer(t(lang, "entries.locked"), show_alert=True)
        text, markup = await _view_of_entry(context, employee, found.day, found.entry.activity.id)
        await _edit(query, text, markup)
    else:
        await query.answer(t(lang, "common.stale_button"))


async def _set_question(
    employee: Employee, context: ContextTypes.DEFAULT_TYPE, kind: str | None, **data: Any
) -> None:
    ctx = app_ctx(context)
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


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    if employee is None:
        return
    lang = employee.language
    parts = (query.data or "").split(":")
    op = parts[1] if len(parts) > 1 else ""

    if op == "v" and len(parts) == 4:
        day, page = _parse_date_key(parts[2]), _int(parts[3])
        if day is None or page is None:
            await query.answer(t(lang, "common.stale_button"))
            return
        await query.answer()
        text, markup = await _day_view(context, employee, day, page)
        await _edit(query, text, markup)
        return

    activity_id = _int(parts[2]) if len(parts) > 2 else None
    if activity_id is None or op not in ("e", "ed", "em", "m", "d", "dy", "cx"):
        await query.answer(t(lang, "common.stale_button"))
        return
    found, result = await _locate(context, employee, activity_id)

    if op == "cx":  # cancelling is always allowed; it only drops the question
        await _set_question(employee, context, None)
        await query.answer(t(lang, "entries.cancelled"))
        if found is None:
            await _edit(query, t(lang, "entries.cancelled"), None)
        else:
            text, markup = await _view_of_entry(context, employee, found.day, activity_id)
            await _edit(query, text, markup)
        return
    if found is None or result is not domain.EditResult.OK:
        await _refuse(query, context, employee, result, found)
        return

    entry, number = found.entry, found.number
    prompt = query.message.message_id if query.message is not None else None
    description = _short(entry.activity.description, _DESCRIPTION_SHOWN)
    duration = _duration_text(entry, lang)
    back = _btn(t(lang, "entries.btn_back"), f"ent:cx:{activity_id}")
    cancel = _btn(t(lang, "entries.btn_cancel"), f"ent:cx:{activity_id}")
    if op == "e":
        await query.answer()
        markup = InlineKeyboardMarkup(
            [
                [
                    _btn(t(lang, "entries.btn_description"), f"ent:ed:{activity_id}"),
                    _btn(t(lang, "entries.btn_duration"), f"ent:em:{activity_id}"),
                ],
                [back],
            ]
        )
        text = t(
            lang, "entries.edit_menu", number=number, description=description, duration=duration
        )
        await _edit(query, text, markup)
    elif op == "ed":
        await _set_question(
            employee, context, INPUT_DESCRIPTION, activity_id=activity_id, prompt=prompt
        )
        await query.answer()
        text = t(lang, "entries.ask_description", number=number, description=description)
        await _edit(query, text, InlineKeyboardMarkup([[cancel]]))
    elif op == "em":
        await _set_question(
            employee, context, INPUT_MINUTES, activity_id=activity_id, prompt=prompt
        )
        await query.answer()
        quick = [_btn(_quick_label(m, lang), f"ent:m:{activity_id}:{m}") for m in QUICK_MINUTES]
        text = t(
            lang, "entries.ask_minutes", number=number, description=description, duration=duration
        )
        await _edit(query, text, InlineKeyboardMarkup([quick, [cancel]]))
    elif op == "m":
        minutes = _int(parts[3]) if len(parts) > 3 else None
        async with ctx.db.session() as session:
            result = await domain.edit_minutes(
                session, employee.id, activity_id, minutes or 0, now=ctx.clock.now()
            )
        if result is domain.EditResult.INVALID:
            await query.answer(t(lang, "entries.bad_minutes")[:200], show_alert=True)
            return
        if result is not domain.EditResult.OK:
            await _refuse(query, context, employee, result, found)
            return
        await _set_question(employee, context, None)
        await query.answer(t(lang, "entries.minutes_changed"))
        text, markup = await _view_of_entry(context, employee, found.day, activity_id)
        await _edit(query, f"{t(lang, 'entries.minutes_changed')}\n\n{text}", markup)
    elif op == "d":
        await query.answer()
        markup = InlineKeyboardMarkup(
            [[_btn(t(lang, "entries.btn_confirm_delete"), f"ent:dy:{activity_id}"), cancel]]
        )
        text = t(
            lang,
            "entries.confirm_delete",
            number=number,
            description=description,
            duration=duration,
        )
        await _edit(query, text, markup)
    elif op == "dy":
        async with ctx.db.session() as session:
            result = await domain.delete_entry(
                session, employee.id, activity_id, now=ctx.clock.now()
            )
        if result is not domain.EditResult.OK:
            await _refuse(query, context, employee, result, found)
            return
        await query.answer(t(lang, "entries.deleted"))
        text, markup = await _view_of_entry(context, employee, found.day, activity_id)
        await _edit(query, f"{t(lang, 'entries.deleted')}\n\n{text}", markup)


async def _after_text_edit(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    data: dict[str, Any],
    result: domain.EditResult,
    *,
    kind: str,
    done_key: str,
    retry_key: str,
) -> None:
    message = update.effective_message
    activity_id = data["activity_id"]
    assert message is not None
    lang = employee.language
    await drop_buttons(context, message.chat.id, data.get("prompt"))
    if result is domain.EditResult.INVALID:
        cancel = _btn(t(lang, "entries.btn_cancel"), f"ent:cx:{activity_id}")
        rows = [[cancel]]
        if kind == INPUT_MINUTES:
            quick = [_btn(_quick_label(m, lang), f"ent:m:{activity_id}:{m}") for m in QUICK_MINUTES]
            rows.insert(0, quick)
        ask = await message.reply_text(
            t(lang, retry_key, max=domain.MAX_DESCRIPTION), reply_markup=InlineKeyboardMarkup(rows)
        )
        await _set_question(employee, context, kind, activity_id=activity_id, prompt=ask.message_id)
        return
    if result is domain.EditResult.LOCKED:
        await message.reply_text(t(lang, "entries.locked"))
        return
    if result is domain.EditResult.NOT_FOUND:
        await message.reply_text(t(lang, "common.stale_button"))
        return
    found, _ = await _locate(context, employee, activity_id)
    day = found.day if found is not None else _tz_today(context, employee)
    text, markup = await _view_of_entry(context, employee, day, activity_id)
    await message.reply_text(f"{t(lang, done_key)}\n\n{text}", reply_markup=markup)


async def read_description(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    message = update.effective_message
    activity_id = data.get("activity_id")
    if message is None or not message.text or not isinstance(activity_id, int):
        return
    now = app_ctx(context).clock.now()
    async with app_ctx(context).db.session() as session:
        result = await domain.edit_description(
            session, employee.id, activity_id, message.text, now=now
        )
    await _after_text_edit(
        update,
        context,
        employee,
        data,
        result,
        kind=INPUT_DESCRIPTION,
        done_key="entries.description_changed",
        retry_key="entries.bad_description",
    )


async def read_minutes(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    message = update.effective_message
    activity_id = data.get("activity_id")
    if message is None or not message.text or not isinstance(activity_id, int):
        return
    minutes = domain.parse_minutes(message.text)
    now = app_ctx(context).clock.now()
    async with app_ctx(context).db.session() as session:
        result = await domain.edit_minutes(session, employee.id, activity_id, minutes or 0, now=now)
    await _after_text_edit(
        update,
        context,
        employee,
        data,
        result,
        kind=INPUT_MINUTES,
        done_key="entries.minutes_changed",
        retry_key="entries.bad_minutes",
    )


def register(app: BotApp) -> None:
    for name in ("hariini", "today"):
        app.add_handler(CommandHandler(name, hariini_command))
    app.add_handler(CallbackQueryHandler(on_callback, pattern=r"^ent:"))
    register_input(INPUT_DESCRIPTION, read_description)
    register_input(INPUT_MINUTES, read_minutes)
