"""/skp: the employee's SKP items — list, add by pasting, archive.

The buttons are `SkpPress` values; every item id is re-checked against the presser's
own items.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CommandHandler

from bot import drafts
from bot import skp as domain
from bot.bot_context import BotContext
from bot.callback_data import CallbackData, Int, Word, spec
from bot.clock import local_today
from bot.i18n import t
from bot.ptb_types import BotApp
from handlers.inputs import register_input
from handlers.kit import Callbacks, Press, button, drop_buttons, keyboard, linked, short
from storage.models import Employee, SkpItem

PAGE = 8
INPUT_ADD = "skp_add"
MAX_SKIPPED_SHOWN = 10
_TITLE_SHOWN = 250
_RHK_SHOWN = 100


@dataclass(frozen=True)
class SkpPress(CallbackData, prefix="skp"):
    """`skp:p:<page>` list page, `skp:add` ask for a paste, `skp:arc:<page>` choose an
    item to archive, `skp:a:<id>` confirm, `skp:ay:<id>` archive, `skp:cx` cancel the
    paste question."""

    op: str = spec(Word("p", "add", "arc", "a", "ay", "cx"))
    n: int | None = spec(Int(0), default=None)  # a page, or an SKP item id

    def valid(self) -> bool:
        return (self.n is None) == (self.op in ("add", "cx"))


def _meta(item: SkpItem, lang: str) -> str:
    """Kind and target; the usual non-trajectory item with no target gets no line at all
    (issue 7 defect 10: "Non-trajectory" under every item said nothing)."""
    if item.kind == domain.NON_TRAJECTORY and item.target_qty is None:
        return ""
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
        entry = [t(lang, "skp.item", number=number, title=short(item.title, _TITLE_SHOWN))]
        meta = _meta(item, lang)
        if meta:
            entry.append(t(lang, "skp.item_meta", meta=meta))
        if item.rhk:
            entry.append(t(lang, "skp.item_rhk", rhk=short(item.rhk, _RHK_SHOWN)))
        lines.append("\n".join(entry))
    if pages > 1:
        lines.append(t(lang, "skp.page", page=page + 1, pages=pages))
    rows: list[list[InlineKeyboardButton]] = []
    op = "arc" if archive else "p"
    if archive:
        numbers = [
            button(t(lang, "skp.btn_archive_number", number=n), SkpPress("a", item.id))
            for n, item in shown
        ]
        rows += [numbers[i : i + 4] for i in range(0, len(numbers), 4)]
    nav = []
    if page > 0:
        nav.append(button(t(lang, "skp.btn_prev"), SkpPress(op, page - 1)))
    if page < pages - 1:
        nav.append(button(t(lang, "skp.btn_next"), SkpPress(op, page + 1)))
    rows.append(nav)
    if archive:
        rows.append([button(t(lang, "skp.btn_back"), SkpPress("p", page))])
    else:
        actions = [button(t(lang, "skp.btn_add"), SkpPress("add"))]
        if items:
            actions.append(button(t(lang, "skp.btn_archive"), SkpPress("arc", page)))
        rows.append(actions)
    return "\n\n".join(lines), keyboard(*rows)


def _cancel_markup(lang: str) -> InlineKeyboardMarkup:
    return keyboard([button(t(lang, "skp.btn_cancel"), SkpPress("cx"))])


def _year(employee: Employee, context: BotContext) -> int:
    """The SKP year is the employee's local year (WIT's New Year comes 2 hours early)."""
    return local_today(context.app.clock.now(), employee.zone_name).year


async def _list_view(
    context: BotContext, employee: Employee, page: int, *, archive: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    ctx = context.app
    year = _year(employee, context)
    async with ctx.db.session() as session:
        items = await domain.active_items(session, employee.id, year)
    return render_list(employee.language, items, year, page, archive=archive)


@linked
async def skp_command(update: Update, context: BotContext, employee: Employee) -> None:
    if update.effective_message is None:
        return
    text, markup = await _list_view(context, employee, 0)
    await update.effective_message.reply_text(text, reply_markup=markup)


presses = Callbacks(SkpPress)
SPress = Press[SkpPress]


@presses.on("p", "arc")
async def _op_page(press: SPress) -> None:
    await press.answer()
    page = press.data.n or 0
    text, markup = await _list_view(
        press.context, press.employee, page, archive=press.data.op == "arc"
    )
    await press.edit(text, markup)


@presses.on("add")
async def _op_ask_add(press: SPress) -> None:
    await press.answer()
    if press.message is None:
        return
    prompt = await press.context.bot.send_message(
        press.message.chat.id,
        t(press.lang, "skp.add_prompt"),
        reply_markup=_cancel_markup(press.lang),
    )
    await _ask(
        press.context, press.employee, _year(press.employee, press.context), prompt.message_id
    )


@presses.on("cx")
async def _op_cancel(press: SPress) -> None:
    async with press.app.db.session() as session:
        state = await drafts.load(session, press.employee.id)
        pending = state.pending_input
        if pending is not None and pending.get("kind") == INPUT_ADD:
            drafts.clear_input(state)
            await drafts.save(session, state)
    await press.answer()
    await press.edit(t(press.lang, "skp.add_cancelled"))


@presses.on("a")
async def _op_confirm_archive(press: SPress) -> None:
    lang, item_id = press.lang, press.data.n or 0
    async with press.app.db.session() as session:
        item = await domain.own_item(session, press.employee.id, item_id)
        title = item.title if item is not None and item.active else None
    if title is None:
        await press.stale()
        return
    await press.answer()
    markup = keyboard(
        [
            button(t(lang, "skp.btn_confirm_archive"), SkpPress("ay", item_id)),
            button(t(lang, "skp.btn_cancel"), SkpPress("p", 0)),
        ]
    )
    await press.edit(t(lang, "skp.archive_confirm", title=title), markup)


@presses.on("ay")
async def _op_archive(press: SPress) -> None:
    lang, item_id = press.lang, press.data.n or 0
    async with press.app.db.session() as session:
        item = await domain.own_item(session, press.employee.id, item_id)
        result = await domain.archive_item(session, press.employee.id, item_id)
    if result is domain.ArchiveResult.NOT_FOUND or item is None:
        await press.stale()
        return
    if result is domain.ArchiveResult.ALREADY:
        await press.answer(t(lang, "skp.already_archived"))
    else:
        await press.answer(short(t(lang, "skp.archived", title=item.title), 190))
    text, markup = await _list_view(press.context, press.employee, 0)
    note = t(lang, "skp.archived", title=short(item.title, _TITLE_SHOWN))
    await press.edit(f"{note}\n\n{text}", markup)


async def _ask(context: BotContext, employee: Employee, year: int, prompt: int) -> None:
    async with context.app.db.session() as session:
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
                    text=short(skip.text, 80),
                    max=domain.MAX_TITLE,
                )
            )
        if len(report.skipped) > MAX_SKIPPED_SHOWN:
            more = len(report.skipped) - MAX_SKIPPED_SHOWN
            lines.append(t(lang, "skp.skip_more", count=more))
    return "\n".join(lines)


async def read_add(
    update: Update, context: BotContext, employee: Employee, data: dict[str, Any]
) -> None:
    """The pasted list: add what can be read, report the rest, then show the list."""
    message = update.effective_message
    if message is None or not message.text:
        return
    ctx = context.app
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
        ask = await message.reply_text(
            t(lang, "skp.add_nothing"), reply_markup=_cancel_markup(lang)
        )
        await _ask(context, employee, year, ask.message_id)  # ask again, keep the question
        return
    await message.reply_text(render_add_report(lang, report))
    first_new = min((i.id for i in [*report.created, *report.restored]), default=None)
    index = next((n for n, i in enumerate(items) if i.id == first_new), 0)
    text, markup = render_list(lang, items, year, index // PAGE)
    await message.reply_text(text, reply_markup=markup)


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("skp", skp_command))
    presses.register(app)
    register_input(INPUT_ADD, read_add)
