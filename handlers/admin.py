"""/admin: add, find and edit employees, issue invites, import a CSV of employees.

Only admins (role admin, or a Telegram id in ADMIN_TELEGRAM_IDS) get anything; the check
is repeated from the database on every update, buttons and typed answers alike.
The buttons are `AdminPress` values.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CommandHandler, MessageHandler, filters

from bot import admin as domain
from bot import drafts
from bot.bot_context import BotContext
from bot.callback_data import CallbackData, Int, Rest, Word, spec
from bot.employees import ImportReport, RowError
from bot.i18n import Html, t
from bot.ptb_types import BotApp
from bot.registration import INVITE_TTL, deep_link
from handlers.inputs import InputReader, register_input
from handlers.kit import (
    Callbacks,
    Press,
    button,
    drop_buttons,
    keyboard,
    linked,
    require_employee,
    short,
)
from storage.models import Employee

log = logging.getLogger(__name__)

PAGE = 8
MAX_ERRORS_SHOWN = 25
MAX_PEOPLE_BUTTONS = 5  # more rows than this: the summary alone, find them with 🔍
TEXT_BUDGET = 3600
MENU_WINDOW = timedelta(minutes=30)  # a CSV sent this soon after /admin is an import
INPUT_ADD = "adm_add"
INPUT_FIND = "adm_find"
INPUT_CSV = "adm_csv"
INPUT_SUPERVISOR = "adm_sup"
INPUT_POSITION = "adm_pos"
_INPUTS = (INPUT_ADD, INPUT_FIND, INPUT_CSV, INPUT_SUPERVISOR, INPUT_POSITION)
_IMPORT_CAPTION = re.compile(r"^\s*/import(?:@\w+)?\b", re.IGNORECASE)
_QUERY_BYTES = 40

_ALONE = ("m", "add", "find", "csv")  # no employee id
_ON_EMPLOYEE = ("e", "ec", "sup", "pos", "inv")  # an employee id and nothing else


@dataclass(frozen=True)
class AdminPress(CallbackData, prefix="adm"):
    """`adm:m` menu, `adm:add` / `adm:find` / `adm:csv` ask for lines / a search / a file,
    `adm:cx[:<id>]` cancel a question (back to the card or menu), `adm:f:<page>:<q>`
    search results, `adm:e:<id>` card, `adm:ec:<id>` the card as a new message (from an
    import result, which stays), `adm:sup:<id>` ask the atasan's NIP, `adm:pos:<id>`
    ask the position, `adm:act:<id>:<0|1>` deactivate/activate, `adm:inv:<id>` invite link."""

    op: str = spec(Word(*_ALONE, *_ON_EMPLOYEE, "cx", "f", "act"))
    target: int | None = spec(Int(0), default=None)  # an employee id; "f": the page
    rest: str | None = spec(Rest(), default=None)  # "f": the search; "act": 0 or 1

    def valid(self) -> bool:
        if self.op in _ALONE:
            return self.target is None and self.rest is None
        if self.op == "cx":
            return self.rest is None
        if self.op == "f":
            return self.target is not None and self.rest is not None
        if self.op == "act":
            return self.target is not None and self.rest in ("0", "1")
        return self.target is not None and self.rest is None


def _fit_query(query: str) -> str:
    """The search text cut to fit callback_data (64 bytes) without splitting a character."""
    data = " ".join(query.split()).encode()[:_QUERY_BYTES]
    text = data.decode(errors="ignore").replace(":", " ")
    return "".join(ch for ch in text if ch.isprintable()).strip()


def _still_admin(update: Update, context: BotContext, employee: Employee) -> bool:
    user = update.effective_user
    ids = context.app.settings.admin_telegram_ids
    return domain.is_admin(employee, user.id if user else None, ids)


async def _set_state(
    context: BotContext,
    employee: Employee,
    kind: str | None,
    *,
    menu: bool = False,
    **data: Any,
) -> None:
    """Ask a question (kind), or drop our pending one (None); `menu` marks /admin as open."""
    ctx = context.app
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        if kind is not None:
            drafts.set_input(state, kind, **data)
        else:
            pending = state.pending_input
            if pending is not None and pending.get("kind") in _INPUTS:
                drafts.clear_input(state)
        if menu:
            state.payload["admin"] = {"menu_at": ctx.clock.now().isoformat()}
        await drafts.save(session, state)


def render_menu(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    markup = keyboard(
        [
            button(t(lang, "admin.btn_add"), AdminPress("add")),
            button(t(lang, "admin.btn_find"), AdminPress("find")),
        ],
        [button(t(lang, "admin.btn_csv"), AdminPress("csv"))],
    )
    return t(lang, "admin.menu"), markup


def render_import(lang: str, report: ImportReport) -> str:
    counts = (
        t(lang, "admin.count_created", count=report.created),
        t(lang, "admin.count_updated", updated=report.updated),
        t(lang, "admin.count_errors", count=len(report.errors)),
    )
    lines = [t(lang, "admin.import_summary", counts=Html(", ".join(counts)))]
    if report.new_units:
        shown_units = "; ".join(short(u, 100) for u in report.new_units[:MAX_ERRORS_SHOWN])
        lines.append(t(lang, "admin.new_units", count=len(report.new_units), units=shown_units))
    size = sum(len(line) + 1 for line in lines)
    shown = 0
    for err in report.errors[:MAX_ERRORS_SHOWN]:
        message = Html(t(lang, f"import.{err.code}", **err.params))
        line = t(lang, "import.row_error", line=err.line, message=message)
        if size + len(line) > TEXT_BUDGET:  # Telegram's 4096, with room for the tail
            break
        lines.append(line)
        size += len(line) + 1
        shown += 1
    if len(report.errors) > shown:
        lines.append(t(lang, "admin.more_errors", count=len(report.errors) - shown))
    return "\n".join(lines)


def render_card(lang: str, card: domain.EmployeeCard) -> tuple[str, InlineKeyboardMarkup]:
    emp = card.employee
    none = t(lang, "admin.card_none")
    supervisor = (
        t(lang, "admin.card_supervisor", name=card.supervisor.name, nip=card.supervisor.nip)
        if card.supervisor is not None
        else none
    )
    text = t(
        lang,
        "admin.card",
        name=emp.name,
        nip=emp.nip,
        pppk=Html(t(lang, "admin.card_pppk") if emp.is_pppk else ""),
        position=emp.position or none,
        unit=(
            Html(t(lang, "admin.card_unit", name=card.unit_name, id=emp.unit_id))
            if card.unit_name is not None
            else none
        ),
        supervisor=Html(supervisor),
        roles=", ".join(sorted(emp.role_set)) or none,
        status=t(lang, "admin.status_active" if emp.active else "admin.status_inactive"),
        telegram=t(
            lang, "admin.telegram_linked" if emp.telegram_user_id else "admin.telegram_unlinked"
        ),
    )
    toggle = (
        button(t(lang, "admin.btn_deactivate"), AdminPress("act", emp.id, "0"))
        if emp.active
        else button(t(lang, "admin.btn_activate"), AdminPress("act", emp.id, "1"))
    )
    markup = keyboard(
        [
            button(t(lang, "admin.btn_supervisor"), AdminPress("sup", emp.id)),
            button(t(lang, "admin.btn_position"), AdminPress("pos", emp.id)),
        ],
        [toggle, button(t(lang, "admin.btn_invite"), AdminPress("inv", emp.id))],
        [_menu_button(lang)],
    )
    return text, markup


def render_search(
    lang: str, query: str, page: int, result: domain.SearchPage
) -> tuple[str, InlineKeyboardMarkup]:
    fitted = _fit_query(query)
    pages = max(1, -(-result.total // PAGE))
    lines = [t(lang, "admin.search_title", query=query, total=result.total)]
    rows = [
        [
            button(
                t(lang, "admin.btn_result", name=short(e.name, 40), nip=e.nip)
                + ("" if e.active else " ⛔"),
                AdminPress("e", e.id),
            )
        ]
        for e in result.employees
    ]
    nav = []
    if page > 0:
        nav.append(button(t(lang, "admin.btn_prev"), AdminPress("f", page - 1, fitted)))
    if page < pages - 1:
        nav.append(button(t(lang, "admin.btn_next"), AdminPress("f", page + 1, fitted)))
    rows.append(nav)
    rows.append([_menu_button(lang)])
    return "\n".join(lines), keyboard(*rows)


def _menu_button(lang: str) -> Button:
    return button(t(lang, "admin.btn_menu"), AdminPress("m"))


def _cancel_markup(lang: str, employee_id: int | None = None) -> InlineKeyboardMarkup:
    return keyboard([button(t(lang, "admin.btn_cancel"), AdminPress("cx", employee_id))])


async def _card(
    context: BotContext, lang: str, employee_id: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    async with context.app.db.session() as session:
        card = await domain.employee_card(session, employee_id)
    return render_card(lang, card) if card is not None else None


# --- command and buttons -------------------------------------------------------------------


@linked(role="admin")
async def admin_command(update: Update, context: BotContext, admin: Employee) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = admin.language
    query = " ".join(context.args or [])
    await _set_state(context, admin, None, menu=True)
    if query:  # "/admin siti" searches straight away
        await _reply_search(message, context, admin, query)
        return
    text, markup = render_menu(lang)
    await message.reply_text(text, reply_markup=markup)


async def _reply_search(message: Message, context: BotContext, admin: Employee, query: str) -> None:
    lang = admin.language
    async with context.app.db.session() as session:
        result = await domain.find_employees(session, query, limit=PAGE)
        card = (
            await domain.employee_card(session, result.employees[0].id)
            if result.total == 1
            else None
        )
    if result.total == 0:
        text = t(lang, "admin.search_none", query=short(query, 100))
        ask = await message.reply_text(text, reply_markup=_cancel_markup(lang))
        await _set_state(context, admin, INPUT_FIND, prompt=ask.message_id)
        return
    if card is not None:
        text, markup = render_card(lang, card)
    else:
        text, markup = render_search(lang, query, 0, result)
    await message.reply_text(text, reply_markup=markup)


presses = Callbacks(AdminPress, role="admin")
APress = Press[AdminPress]


@presses.on("m")
async def _op_menu(press: APress) -> None:
    await _set_state(press.context, press.employee, None, menu=True)
    await press.answer()
    await press.edit(*render_menu(press.lang))


_ASKS = {
    "add": (INPUT_ADD, "admin.ask_add"),
    "find": (INPUT_FIND, "admin.ask_find"),
    "csv": (INPUT_CSV, "admin.ask_csv"),
}


@presses.on(*_ASKS)
async def _op_ask(press: APress) -> None:
    kind, key = _ASKS[press.data.op]
    await _set_state(press.context, press.employee, kind, menu=True, prompt=press.message_id)
    await press.answer()
    await press.edit(t(press.lang, key), _cancel_markup(press.lang))


@presses.on("cx")
async def _op_cancel(press: APress) -> None:
    lang, target = press.lang, press.data.target
    await _set_state(press.context, press.employee, None)
    await press.answer(t(lang, "admin.cancelled"))
    view = await _card(press.context, lang, target) if target is not None else None
    await press.edit(*(view or render_menu(lang)))


@presses.on("f")
async def _op_search_page(press: APress) -> None:
    page, text = press.data.target or 0, press.data.rest or ""
    async with press.app.db.session() as session:
        result = await domain.find_employees(session, text, offset=page * PAGE, limit=PAGE)
    await press.answer()
    await press.edit(*render_search(press.lang, text, page, result))


CardOp = Callable[[APress, domain.EmployeeCard], Awaitable[None]]


def _on_card(*ops: str) -> Callable[[CardOp], CardOp]:
    """An op on the employee `target` (read again here; gone → an alert)."""

    def wrap(op: CardOp) -> CardOp:
        async def run(press: APress) -> None:
            assert press.data.target is not None  # AdminPress.valid
            async with press.app.db.session() as session:
                card = await domain.employee_card(session, press.data.target)
            if card is None:
                await press.answer(t(press.lang, "admin.employee_gone"), alert=True)
                return
            await op(press, card)

        presses.on(*ops)(run)
        return op

    return wrap


@_on_card("e", "ec")
async def _op_card(press: APress, card: domain.EmployeeCard) -> None:
    await press.answer()
    if press.data.op == "ec":  # the import result keeps its row errors and other people
        await press.reply(*render_card(press.lang, card))
    else:
        await press.edit(*render_card(press.lang, card))


_CARD_ASKS = {"sup": INPUT_SUPERVISOR, "pos": INPUT_POSITION}


@_on_card(*_CARD_ASKS)
async def _op_ask_about(press: APress, card: domain.EmployeeCard) -> None:
    """Ask for the employee's atasan NIP (sup) or position (pos); the answer comes as text."""
    emp, kind = card.employee, _CARD_ASKS[press.data.op]
    await _set_state(
        press.context, press.employee, kind, employee_id=emp.id, prompt=press.message_id
    )
    await press.answer()
    if kind == INPUT_SUPERVISOR:
        text = t(press.lang, "admin.ask_supervisor", name=emp.name)
    else:
        text = t(press.lang, "admin.ask_position", name=emp.name, position=emp.position or "-")
    await press.edit(text, _cancel_markup(press.lang, emp.id))


@_on_card("act")
async def _op_set_active(press: APress, card: domain.EmployeeCard) -> None:
    lang, emp = press.lang, card.employee
    active = press.data.rest == "1"
    if not active and emp.id == press.employee.id:
        await press.answer(t(lang, "admin.cannot_deactivate_self"), alert=True)
        return
    async with press.app.db.session() as session:
        await domain.set_active(session, emp.id, active)
        team = 0 if active else await domain.active_team_size(session, emp.id)
    if team:  # their staff's reports would wait for an atasan who no longer decides
        await press.answer(t(lang, "admin.deactivated_team", count=team), alert=True)
    else:
        await press.answer(t(lang, "admin.activated" if active else "admin.deactivated"))
    view = await _card(press.context, lang, emp.id)
    if view is not None:
        await press.edit(*view)


@_on_card("inv")
async def _op_invite(press: APress, card: domain.EmployeeCard) -> None:
    ctx, lang, emp = press.app, press.lang, card.employee
    async with ctx.db.session() as session:
        invite = await domain.issue_invite(session, emp.id, ctx.clock.now())
    if invite.status is not domain.InviteStatus.ISSUED or invite.code is None:
        await press.answer(t(lang, "admin.invite_inactive"), alert=True)
        return
    await press.answer()
    text = t(
        lang,
        "admin.invite",
        name=emp.name,
        days=INVITE_TTL.days,
        link=deep_link(ctx.bot_username, invite.code),
    )
    if invite.already_linked:
        text += t(lang, "admin.invite_linked_warning")
    if press.message is not None:
        link = deep_link(ctx.bot_username, invite.code)
        share = "https://t.me/share/url?" + urlencode(
            {"url": link, "text": t(lang, "admin.invite_share_text", name=emp.name)},
            quote_via=quote,
        )
        markup = InlineKeyboardMarkup([[Button(t(lang, "admin.btn_share_invite"), url=share)]])
        await press.context.bot.send_message(press.message.chat.id, text, reply_markup=markup)


# --- typed answers -----------------------------------------------------------------------

AdminReader = Callable[[Message, BotContext, Employee, dict[str, Any]], Awaitable[None]]


def _admin_reader(
    kind: str, *, needs_text: bool = True, about_employee: bool = False
) -> Callable[[AdminReader], AdminReader]:
    """The reader of question `kind` gets the message only from someone still an admin (with
    text, if `needs_text`; with an int `employee_id`, if `about_employee`), after the
    question has lost its buttons."""

    def wrap(reader: AdminReader) -> AdminReader:
        async def read(
            update: Update, context: BotContext, employee: Employee, data: dict[str, Any]
        ) -> None:
            message = update.effective_message
            if message is None or (needs_text and not message.text):
                return
            if about_employee and not isinstance(data.get("employee_id"), int):
                return
            if not _still_admin(update, context, employee):
                return
            await drop_buttons(context, message.chat.id, data.get("prompt"))
            await reader(message, context, employee, data)

        _READERS[kind] = read
        return reader

    return wrap


_READERS: dict[str, InputReader] = {}


@_admin_reader(INPUT_ADD)
async def read_add(
    message: Message, context: BotContext, employee: Employee, data: dict[str, Any]
) -> None:
    ctx = context.app
    lang = employee.language
    async with ctx.db.session() as session:
        report = await domain.add_employees(
            session, message.text or "", ctx.settings.default_timezone
        )
    text = render_import(lang, report)
    if not report.created and not report.updated:
        text += "\n\n" + t(lang, "admin.add_nothing")
        ask = await message.reply_text(text, reply_markup=_cancel_markup(lang))
        await _set_state(context, employee, INPUT_ADD, prompt=ask.message_id)
        return
    markup = keyboard(
        *_people_rows(lang, report),
        [button(t(lang, "admin.btn_add_more"), AdminPress("add")), _menu_button(lang)],
    )
    await message.reply_text(text, reply_markup=markup)


def _people_rows(lang: str, report: ImportReport) -> list[list[Button]]:
    """A button to each added person's card (atasan, invite link) when there are few."""
    if not report.people or len(report.people) > MAX_PEOPLE_BUTTONS:
        return []
    return [
        [button(t(lang, "admin.btn_person", name=short(name, 40)), AdminPress("ec", emp_id))]
        for emp_id, name in report.people
    ]


@_admin_reader(INPUT_FIND)
async def read_find(
    message: Message, context: BotContext, employee: Employee, data: dict[str, Any]
) -> None:
    await _reply_search(message, context, employee, message.text or "")


@_admin_reader(INPUT_CSV, needs_text=False)
async def read_csv_text(
    message: Message, context: BotContext, employee: Employee, data: dict[str, Any]
) -> None:
    """Text while a file is awaited: ask again rather than read it as a report."""
    lang = employee.language
    ask = await message.reply_text(
        t(lang, "admin.ask_csv_again"), reply_markup=_cancel_markup(lang)
    )
    await _set_state(context, employee, INPUT_CSV, prompt=ask.message_id)


@_admin_reader(INPUT_SUPERVISOR, about_employee=True)
async def read_supervisor(
    message: Message, context: BotContext, employee: Employee, data: dict[str, Any]
) -> None:
    target, answer = int(data["employee_id"]), message.text or ""
    lang = employee.language
    async with context.app.db.session() as session:
        result = await domain.set_supervisor(session, target, answer)
        card = await domain.employee_card(session, target)
    if card is None:
        await message.reply_text(t(lang, "admin.employee_gone"))
        return
    status = result.status
    sup_name = result.supervisor.name if result.supervisor else ""
    if status in (domain.SupervisorStatus.SET, domain.SupervisorStatus.CLEARED):
        note = t(
            lang,
            f"admin.supervisor_{status.value}",
            employee=card.employee.name,
            supervisor=sup_name,
        )
        text, markup = render_card(lang, card)
        await message.reply_text(f"{note}\n\n{text}", reply_markup=markup)
        return
    note = t(
        lang,
        f"admin.supervisor_{status.value}",
        nip=short(answer.strip(), 40),
        employee=card.employee.name,
        supervisor=sup_name,
    )
    ask = await message.reply_text(note, reply_markup=_cancel_markup(lang, target))
    await _set_state(context, employee, INPUT_SUPERVISOR, employee_id=target, prompt=ask.message_id)


@_admin_reader(INPUT_POSITION, about_employee=True)
async def read_position(
    message: Message, context: BotContext, employee: Employee, data: dict[str, Any]
) -> None:
    target, answer = int(data["employee_id"]), message.text or ""
    lang = employee.language
    if domain.clean_position(answer) is None:
        ask = await message.reply_text(
            t(lang, "admin.position_invalid", max=domain.MAX_POSITION),
            reply_markup=_cancel_markup(lang, target),
        )
        await _set_state(
            context, employee, INPUT_POSITION, employee_id=target, prompt=ask.message_id
        )
        return
    async with context.app.db.session() as session:
        changed = await domain.set_position(session, target, answer)
        card = await domain.employee_card(session, target) if changed else None
    if card is None:
        await message.reply_text(t(lang, "admin.employee_gone"))
        return
    text, markup = render_card(lang, card)
    await message.reply_text(f"{t(lang, 'admin.position_set')}\n\n{text}", reply_markup=markup)


# --- CSV upload ----------------------------------------------------------------------------


def _recent_menu(payload: dict[str, Any], now: datetime) -> bool:
    marker = payload.get("admin")
    if not isinstance(marker, dict):
        return False
    try:
        opened = datetime.fromisoformat(str(marker.get("menu_at")))
    except ValueError:
        return False
    return opened.tzinfo is not None and now - opened <= MENU_WINDOW


async def on_document(update: Update, context: BotContext) -> None:
    """A file from an admin is an employee import when captioned /import, asked for with
    📥 Impor CSV, or a .csv sent within 30 minutes of /admin with no report in progress.

    Anything else is left alone (no ApplicationHandlerStop) so the report flow can keep
    it as evidence.
    """
    message = update.effective_message
    if message is None or message.document is None:
        return
    ctx = context.app
    captioned = bool(message.caption and _IMPORT_CAPTION.match(message.caption))
    employee = await context.employee(update)
    if employee is None or not employee.active:
        if captioned:
            await require_employee(update, context)
            raise ApplicationHandlerStop
        return
    async with ctx.db.session() as session:
        state = await drafts.load(session, employee.id)
        pending = state.pending_input
        asked = pending is not None and pending.get("kind") == INPUT_CSV
        in_menu = state.report is None and _recent_menu(state.payload, ctx.clock.now())
        if asked:
            drafts.clear_input(state)
            await drafts.save(session, state)
    if asked and pending is not None:
        await drop_buttons(context, message.chat.id, pending.get("prompt"))
    doc = message.document
    csv_like = (doc.file_name or "").lower().endswith(".csv") or (doc.mime_type or "") in (
        "text/csv",
        "text/comma-separated-values",
        "application/vnd.ms-excel",
    )
    in_menu = in_menu and csv_like and _still_admin(update, context, employee)
    if not (captioned or asked or in_menu):
        return
    lang = employee.language
    if not _still_admin(update, context, employee):
        await message.reply_text(t(lang, "common.not_allowed"))
        raise ApplicationHandlerStop
    name = doc.file_name or "employees.csv"
    if doc.file_size is not None and doc.file_size > domain.MAX_CSV_BYTES:
        report = ImportReport(errors=[RowError(1, "file_too_large", {"max": "2 MB"})])
        await message.reply_text(render_import(lang, report))
        raise ApplicationHandlerStop
    progress = await message.reply_text(t(lang, "admin.import_running", file=name))
    try:
        data = bytes(await (await context.bot.get_file(doc.file_id)).download_as_bytearray())
    except TelegramError:
        log.exception("could not download %s", doc.file_id)
        await progress.edit_text(t(lang, "admin.import_unreadable"))
        raise ApplicationHandlerStop from None
    if domain.is_spreadsheet(data):
        await progress.edit_text(
            t(lang, "admin.import_spreadsheet", file=name),
            reply_markup=keyboard([_menu_button(lang)]),
        )
        raise ApplicationHandlerStop
    async with ctx.db.session() as session:
        report = await domain.import_employees_file(session, data, ctx.settings.default_timezone)
    markup = keyboard(*_people_rows(lang, report), [_menu_button(lang)])
    await progress.edit_text(render_import(lang, report), reply_markup=markup)
    raise ApplicationHandlerStop


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("admin", admin_command))
    presses.register(app)
    # Group 0 runs before the report flow's evidence handler (group 10); on_document
    # stops the update only when it really imports.
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    for kind, reader in _READERS.items():
        register_input(kind, reader)
