"""/skp: the employee's SKP items — list, add by pasting, archive.

Callback data: `skp:p:<page>` list page, `skp:add` ask for a paste, `skp:arc:<page>`
choose an item to archive, `skp:a:<id>` confirm, `skp:ay:<id>` archive, `skp:cx` cancel
the paste question. Every item id is re-checked against the presser's own items.
"""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

from bot import drafts
from bot import skp as domain
from bot.clock import local_now
from bot.i18n import t
from bot.ptb_types import BotApp
from handlers.common import app_ctx, drop_buttons, require_employee
from handlers.inputs import register_input
from storage.models import Employee, SkpItem

PAGE = 8
INPUT_ADD = "skp_add"
MAX_SKIPPED_SHOWN = 10
_TITLE_SHOWN = 250
_RHK_SHOWN = 100


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _btn(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _meta(item: SkpItem, lang: str) -> str:
    parts = [t(lang, f"skp.kind_{item.kind}") if item.kind in domain.KINDS else item.kind]
    if item.target_qty is not None:
        target = t(
            lang,
            "skp.target",
            qty=domain.format_qty(item.target_qty, lang),
            unit=item.unit or "",
        )
        parts.append(target.strip())
    return " · ".join(parts)


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE))


def render_list(
    lang: str, items: list[SkpItem], year: int, page: int, *, archive: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """One page of the list; in archive mode the buttons pick an item instead."""
    pages = _pages(len(items))
    page = max(0, min(page, pages - 1))
    lines = [t(lang, "skp.list_title", year=year, count=len(items))]
    if archive:
        lines.append(t(lang, "skp.archive_choose"))
    if not items:
        lines.append(t(lang, "skp.empty", year=year))
    shown = list(enumerate(items, start=1))[page * PAGE : (page + 1) * PAGE]
    for number, item in shown:
        entry = [t(lang, "skp.item", number=number, title=_short(item.title, _TITLE_SHOWN))]
        entry.append(t(lang, "skp.item_meta", meta=_meta(item, lang)))
        if item.rhk:
            entry.append(t(lang, "skp.item_rhk", rhk=_short(item.rhk, _RHK_SHOWN)))
        lines.append("\n".join(entry))
    if pages > 1:
        lines.append(t(lang, "skp.page", page=page + 1, pages=pages))
    rows: list[list[InlineKeyboardButton]] = []
    op = "arc" if archive else "p"
    if archive:
        numbers = [
            _btn(t(lang, "skp.btn_archive_number", number=n), f"skp:a:{item.id}")
            for n, item in shown
        ]
        rows += [numbers[i : i + 4] for i in range(0, len(numbers), 4)]
    nav = []
    if page > 0:
        nav.append(_btn(t(lang, "skp.btn_prev"), f"skp:{op}:{page - 1}"))
    if page < pages - 1:
        nav.append(_btn(t(lang, "skp.btn_next"), f"skp:{op}:{page + 1}"))
    if nav:
        rows.append(nav)
    if archive:
        rows.append([_btn(t(lang, "skp.btn_back"), f"skp:p:{page}")])
    else:
        actions = [_btn(t(lang, "skp.btn_add"), "skp:add")]
        if items:
            actions.append(_btn(t(lang, "skp.btn_archive"), f"skp:arc:{page}"))
        rows.append(actions)
    return "\n\n".join(lines), InlineKeyboardMarkup(rows)


def _year(employee: Employee, context: ContextTypes.DEFAULT_TYPE) -> int:
    """The SKP year is the employee's local year (WIT's New Year comes 2 hours early)."""
    return local_now(app_ctx(context).clock.now(), employee.timezone).year


async def _list_view(
    context: ContextTypes.DEFAULT_TYPE, employee: Employee, page: int, *, archive: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    ctx = app_ctx(context)
    year = _year(employee, context)
    async with ctx.db.session() as session:
        items = await domain.active_items(session, employee.id, year)
    return render_list(employee.language, items, year, page, archive=archive)


async def skp_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    if employee is None or update.effective_message is None:
        return
    text, markup = await _list_view(context, employee, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:  # pressing the same page twice
        if "not modified" not in str(exc):
            raise


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


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
    arg = _int(parts[2]) if len(parts) > 2 else None

    if op in ("p", "arc") and arg is not None:
        await query.answer()
        text, markup = await _list_view(context, employee, arg, archive=op == "arc")
        await _edit(query, text, markup)
    elif op == "add" and len(parts) == 2:
        await query.answer()
        if query.message is None:
            return
        cancel = InlineKeyboardMarkup([[_btn(t(lang, "skp.btn_cancel"), "skp:cx")]])
        prompt = await context.bot.send_message(
            query.message.chat.id, t(lang, "skp.add_prompt"), reply_markup=cancel
        )
        await _ask(context, employee, _year(employee, context), prompt.message_id)
    elif op == "cx" and len(parts) == 2:
        async with ctx.db.session() as session:
            state = await drafts.load(session, employee.id)
            pending = state.pending_input
            if pending is not None and pending.get("kind") == INPUT_ADD:
                drafts.clear_input(state)
                await drafts.save(session, state)
        await query.answer()
        await _edit(query, t(lang, "skp.add_cancelled"), None)
    elif op == "a" and arg is not None:
        async with ctx.db.session() as session:
            item = await domain.own_item(session, employee.id, arg)
            title = item.title if item is not None and item.active else None
        if title is None:
            await query.answer(t(lang, "common.stale_button"))
            return
        await query.answer()
        markup = InlineKeyboardMarkup(
            [
                [
                    _btn(t(lang, "skp.btn_confirm_archive"), f"skp:ay:{arg}"),
                    _btn(t(lang, "skp.btn_cancel"), "skp:p:0"),
                ]
            ]
        )
        await _edit(query, t(lang, "skp.archive_confirm", title=title), markup)
    elif op == "ay" and arg is not None:
        async with ctx.db.session() as session:
            item = await domain.own_item(session, employee.id, arg)
            result = await domain.archive_item(session, employee.id, arg)
        if result is domain.ArchiveResult.NOT_FOUND or item is None:
            await query.answer(t(lang, "common.stale_button"))
            return
        if result is domain.ArchiveResult.ALREADY:
            await query.answer(t(lang, "skp.already_archived"))
        else:
            await query.answer(_short(t(lang, "skp.archived", title=item.title), 190))
        text, markup = await _list_view(context, employee, 0)
        note = t(lang, "skp.archived", title=_short(item.title, _TITLE_SHOWN))
        await _edit(query, f"{note}\n\n{text}", markup)
    else:
        await query.answer(t(lang, "common.stale_button"))


async def _ask(
    context: ContextTypes.DEFAULT_TYPE, employee: Employee, year: int, prompt: int
) -> None:
    async with app_ctx(context).db.session() as session:
        state = await drafts.load(session, employee.id)
        drafts.set_input(state, INPUT_ADD, year=year, prompt=prompt)
        await drafts.save(session, state)


def render_add_report(lang: str, report: domain.AddReport) -> str:
    lines: list[str] = []
    if report.created:
        lines.append(t(lang, "skp.add_result", count=len(report.created)))
    if report.restored:
        lines.append(t(lang, "skp.add_restored", count=len(report.restored)))
    if not lines:
        lines.append(t(lang, "skp.add_none_new"))
    if report.skipped:
        lines.append("")
        lines.append(t(lang, "skp.skipped_title"))
        for skip in report.skipped[:MAX_SKIPPED_SHOWN]:
            lines.append(
                t(
                    lang,
                    f"skp.skip_{skip.reason.value}",
                    line=skip.line,
                    text=_short(skip.text, 80),
                    max=domain.MAX_TITLE,
                )
            )
        if len(report.skipped) > MAX_SKIPPED_SHOWN:
            more = len(report.skipped) - MAX_SKIPPED_SHOWN
            lines.append(t(lang, "skp.skip_more", count=more))
    return "\n".join(lines)


async def read_add(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    """The pasted list: add what can be read, report the rest, then show the list."""
    message = update.effective_message
    if message is None or not message.text:
        return
    ctx = app_ctx(context)
    lang = employee.language
    year = data.get("year")
    if not isinstance(year, int):
        year = _year(employee, context)
    await drop_buttons(context, message.chat.id, data.get("prompt"))
    async with ctx.db.session() as session:
        report = await domain.add_items(session, employee.id, year, message.text)
        items = await domain.active_items(session, employee.id, year)
    nothing = not report.created and not report.restored
    if nothing and all(s.reason is not domain.SkipReason.DUPLICATE for s in report.skipped):
        cancel = InlineKeyboardMarkup([[_btn(t(lang, "skp.btn_cancel"), "skp:cx")]])
        ask = await message.reply_text(t(lang, "skp.add_nothing"), reply_markup=cancel)
        await _ask(context, employee, year, ask.message_id)  # ask again, keep the question
        return
    await message.reply_text(render_add_report(lang, report))
    first_new = min((i.id for i in [*report.created, *report.restored]), default=None)
    index = next((n for n, i in enumerate(items) if i.id == first_new), 0)
    text, markup = render_list(lang, items, year, index // PAGE)
    await message.reply_text(text, reply_markup=markup)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("skp", skp_command))
    app.add_handler(CallbackQueryHandler(on_callback, pattern=r"^skp:"))
    register_input(INPUT_ADD, read_add)
