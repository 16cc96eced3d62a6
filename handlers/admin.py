"""/admin: add, find and edit employees, issue invites, import a CSV of employees.

Only admins (role admin, or a Telegram id in ADMIN_TELEGRAM_IDS) get anything; the check
is repeated from the database on every update, buttons and typed answers alike.

Callback data: `adm:m` menu, `adm:add` / `adm:find` / `adm:csv` ask for lines / a search /
a file, `adm:cx[:<id>]` cancel a question (back to the card or menu), `adm:f:<page>:<q>`
search results, `adm:e:<id>` card, `adm:sup:<id>` ask the atasan's NIP, `adm:pos:<id>`
ask the position, `adm:act:<id>:<0|1>` deactivate/activate, `adm:inv:<id>` invite link.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import admin as domain
from bot import drafts
from bot.employees import ImportReport, RowError
from bot.i18n import Html, t
from bot.ptb_types import BotApp
from bot.registration import INVITE_TTL, deep_link
from handlers.common import app_ctx, current_employee, drop_buttons, require_employee
from handlers.inputs import register_input
from storage.models import Employee

log = logging.getLogger(__name__)

PAGE = 8
MAX_ERRORS_SHOWN = 25
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


def _btn(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 10 else None


def _fit_query(query: str) -> str:
    """The search text cut to fit callback_data (64 bytes) without splitting a character."""
    data = " ".join(query.split()).encode()[:_QUERY_BYTES]
    return data.decode(errors="ignore").replace(":", " ").strip()


async def _admin(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Employee | None:
    """The admin behind this update, or None after saying no."""
    ctx = app_ctx(context)
    employee = await require_employee(ctx, update)
    if employee is None:
        return None
    user = update.effective_user
    if domain.is_admin(employee, user.id if user else None, ctx.settings.admin_telegram_ids):
        return employee
    text = t(employee.language, "common.not_allowed")
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)
    return None


def _still_admin(update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee) -> bool:
    user = update.effective_user
    ids = app_ctx(context).settings.admin_telegram_ids
    return domain.is_admin(employee, user.id if user else None, ids)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


async def _set_state(
    context: ContextTypes.DEFAULT_TYPE,
    employee: Employee,
    kind: str | None,
    *,
    menu: bool = False,
    **data: Any,
) -> None:
    """Ask a question (kind), or drop our pending one (None); `menu` marks /admin as open."""
    ctx = app_ctx(context)
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


def _message_id(query: CallbackQuery) -> int | None:
    return query.message.message_id if query.message is not None else None


def render_menu(lang: str) -> tuple[str, InlineKeyboardMarkup]:
    markup = InlineKeyboardMarkup(
        [
            [
                _btn(t(lang, "admin.btn_add"), "adm:add"),
                _btn(t(lang, "admin.btn_find"), "adm:find"),
            ],
            [_btn(t(lang, "admin.btn_csv"), "adm:csv")],
        ]
    )
    return t(lang, "admin.menu"), markup


def render_import(lang: str, report: ImportReport) -> str:
    lines = [
        t(
            lang,
            "import.summary",
            created=report.created,
            updated=report.updated,
            errors=len(report.errors),
        )
    ]
    size = len(lines[0])
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
        unit=card.unit_name or none,
        supervisor=Html(supervisor),
        roles=", ".join(sorted(emp.role_set)) or none,
        status=t(lang, "admin.status_active" if emp.active else "admin.status_inactive"),
        telegram=t(
            lang, "admin.telegram_linked" if emp.telegram_user_id else "admin.telegram_unlinked"
        ),
    )
    toggle = (
        _btn(t(lang, "admin.btn_deactivate"), f"adm:act:{emp.id}:0")
        if emp.active
        else _btn(t(lang, "admin.btn_activate"), f"adm:act:{emp.id}:1")
    )
    markup = InlineKeyboardMarkup(
        [
            [
                _btn(t(lang, "admin.btn_supervisor"), f"adm:sup:{emp.id}"),
                _btn(t(lang, "admin.btn_position"), f"adm:pos:{emp.id}"),
            ],
            [toggle, _btn(t(lang, "admin.btn_invite"), f"adm:inv:{emp.id}")],
            [_btn(t(lang, "admin.btn_menu"), "adm:m")],
        ]
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
            _btn(
                t(lang, "admin.btn_result", name=_short(e.name, 40), nip=e.nip)
                + ("" if e.active else " ⛔"),
                f"adm:e:{e.id}",
            )
        ]
        for e in result.employees
    ]
    nav = []
    if page > 0:
        nav.append(_btn(t(lang, "admin.btn_prev"), f"adm:f:{page - 1}:{fitted}"))
    if page < pages - 1:
        nav.append(_btn(t(lang, "admin.btn_next"), f"adm:f:{page + 1}:{fitted}"))
    if nav:
        rows.append(nav)
    rows.append([_btn(t(lang, "admin.btn_menu"), "adm:m")])
    return "\n".join(lines), InlineKeyboardMarkup(rows)


def _cancel_markup(lang: str, employee_id: int | None = None) -> InlineKeyboardMarkup:
    data = "adm:cx" if employee_id is None else f"adm:cx:{employee_id}"
    return InlineKeyboardMarkup([[_btn(t(lang, "admin.btn_cancel"), data)]])


async def _card(
    context: ContextTypes.DEFAULT_TYPE, lang: str, employee_id: int
) -> tuple[str, InlineKeyboardMarkup] | None:
    async with app_ctx(context).db.session() as session:
        card = await domain.employee_card(session, employee_id)
    return render_card(lang, card) if card is not None else None


# --- command and buttons -------------------------------------------------------------------


async def admin_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    admin = await _admin(update, context)
    message = update.effective_message
    if admin is None or message is None:
        return
    lang = admin.language
    query = " ".join(context.args or [])
    await _set_state(context, admin, None, menu=True)
    if query:  # "/admin siti" searches straight away
        await _reply_search(update, context, admin, query)
        return
    text, markup = render_menu(lang)
    await message.reply_text(text, reply_markup=markup)


async def _reply_search(
    update: Update, context: ContextTypes.DEFAULT_TYPE, admin: Employee, query: str
) -> None:
    message = update.effective_message
    assert message is not None
    lang = admin.language
    async with app_ctx(context).db.session() as session:
        result = await domain.find_employees(session, query, limit=PAGE)
        card = (
            await domain.employee_card(session, result.employees[0].id)
            if result.total == 1
            else None
        )
    if result.total == 0:
        text = t(lang, "admin.search_none", query=_short(query, 100))
        ask = await message.reply_text(text, reply_markup=_cancel_markup(lang))
        await _set_state(context, admin, INPUT_FIND, prompt=ask.message_id)
        return
    if card is not None:
        text, markup = render_card(lang, card)
    else:
        text, markup = render_search(lang, query, 0, result)
    await message.reply_text(text, reply_markup=markup)


async def on_callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    admin = await _admin(update, context)
    if admin is None:
        return
    ctx = app_ctx(context)
    lang = admin.language
    parts = (query.data or "").split(":", 3)
    op = parts[1] if len(parts) > 1 else ""
    target = _int(parts[2]) if len(parts) > 2 else None

    if op == "m" and len(parts) == 2:
        await _set_state(context, admin, None, menu=True)
        await query.answer()
        await _edit(query, *render_menu(lang))
        return
    asks = {
        "add": (INPUT_ADD, "admin.ask_add"),
        "find": (INPUT_FIND, "admin.ask_find"),
        "csv": (INPUT_CSV, "admin.ask_csv"),
    }
    if op in asks and len(parts) == 2:
        kind, key = asks[op]
        await _set_state(context, admin, kind, menu=True, prompt=_message_id(query))
        await query.answer()
        await _edit(query, t(lang, key), _cancel_markup(lang))
        return
    if op == "cx" and len(parts) <= 3:
        await _set_state(context, admin, None)
        await query.answer(t(lang, "admin.cancelled"))
        view = await _card(context, lang, target) if target is not None else None
        await _edit(query, *(view or render_menu(lang)))
        return
    if op == "f" and len(parts) == 4 and target is not None:
        async with ctx.db.session() as session:
            result = await domain.find_employees(
                session, parts[3], offset=target * PAGE, limit=PAGE
            )
        await query.answer()
        await _edit(query, *render_search(lang, parts[3], target, result))
        return
    if target is None or op not in ("e", "sup", "pos", "act", "inv"):
        await query.answer(t(lang, "common.stale_button"))
        return

    async with ctx.db.session() as session:
        card = await domain.employee_card(session, target)
    if card is None:
        await query.answer(t(lang, "admin.employee_gone"), show_alert=True)
        return
    emp = card.employee
    if op == "e":
        await query.answer()
        await _edit(query, *render_card(lang, card))
    elif op == "sup":
        await _set_state(
            context, admin, INPUT_SUPERVISOR, employee_id=emp.id, prompt=_message_id(query)
        )
        await query.answer()
        text = t(lang, "admin.ask_supervisor", name=emp.name)
        await _edit(query, text, _cancel_markup(lang, emp.id))
    elif op == "pos":
        await _set_state(
            context, admin, INPUT_POSITION, employee_id=emp.id, prompt=_message_id(query)
        )
        await query.answer()
        text = t(lang, "admin.ask_position", name=emp.name, position=emp.position or "-")
        await _edit(query, text, _cancel_markup(lang, emp.id))
    elif op == "act":
        flag = parts[3] if len(parts) > 3 else ""
        if flag not in ("0", "1"):
            await query.answer(t(lang, "common.stale_button"))
            return
        active = flag == "1"
        if not active and emp.id == admin.id:
            await query.answer(t(lang, "admin.cannot_deactivate_self"), show_alert=True)
            return
        async with ctx.db.session() as session:
            await domain.set_active(session, emp.id, active)
        await query.answer(t(lang, "admin.activated" if active else "admin.deactivated"))
        view = await _card(context, lang, emp.id)
        if view is not None:
            await _edit(query, *view)
    elif op == "inv":
        async with ctx.db.session() as session:
            invite = await domain.issue_invite(session, emp.id, ctx.clock.now())
        if invite.status is not domain.InviteStatus.ISSUED or invite.code is None:
            await query.answer(t(lang, "admin.invite_inactive"), show_alert=True)
            return
        await query.answer()
        text = t(
            lang,
            "admin.invite",
            name=emp.name,
            days=INVITE_TTL.days,
            link=deep_link(ctx.bot_username, invite.code),
        )
        if invite.already_linked:
            text += t(lang, "admin.invite_linked_warning")
        if query.message is not None:
            await context.bot.send_message(query.message.chat.id, text)


# --- typed answers -----------------------------------------------------------------------


async def read_add(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    message = update.effective_message
    if message is None or not message.text or not _still_admin(update, context, employee):
        return
    await drop_buttons(context, message.chat.id, data.get("prompt"))
    ctx = app_ctx(context)
    lang = employee.language
    async with ctx.db.session() as session:
        report = await domain.add_employees(session, message.text, ctx.settings.default_timezone)
    text = render_import(lang, report)
    if not report.created and not report.updated:
        text += "\n\n" + t(lang, "admin.add_nothing")
        ask = await message.reply_text(text, reply_markup=_cancel_markup(lang))
        await _set_state(context, employee, INPUT_ADD, prompt=ask.message_id)
        return
    markup = InlineKeyboardMarkup(
        [[_btn(t(lang, "admin.btn_add_more"), "adm:add"), _btn(t(lang, "admin.btn_menu"), "adm:m")]]
    )
    await message.reply_text(text, reply_markup=markup)


async def read_find(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    message = update.effective_message
    if message is None or not message.text or not _still_admin(update, context, employee):
        return
    await drop_buttons(context, message.chat.id, data.get("prompt"))
    await _reply_search(update, context, employee, message.text)


async def read_csv_text(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    """Text while a file is awaited: ask again rather than read it as a report."""
    message = update.effective_message
    if message is None or not _still_admin(update, context, employee):
        return
    await drop_buttons(context, message.chat.id, data.get("prompt"))
    lang = employee.language
    ask = await message.reply_text(
        t(lang, "admin.ask_csv_again"), reply_markup=_cancel_markup(lang)
    )
    await _set_state(context, employee, INPUT_CSV, prompt=ask.message_id)


async def read_supervisor(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    message = update.effective_message
    target = data.get("employee_id")
    if message is None or not message.text or not isinstance(target, int):
        return
    if not _still_admin(update, context, employee):
        return
    await drop_buttons(context, message.chat.id, data.get("prompt"))
    lang = employee.language
    async with app_ctx(context).db.session() as session:
        result = await domain.set_supervisor(session, target, message.text)
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
        nip=_short(message.text.strip(), 40),
        employee=card.employee.name,
        supervisor=sup_name,
    )
    ask = await message.reply_text(note, reply_markup=_cancel_markup(lang, target))
    await _set_state(context, employee, INPUT_SUPERVISOR, employee_id=target, prompt=ask.message_id)


async def read_position(
    update: Update, context: ContextTypes.DEFAULT_TYPE, employee: Employee, data: dict[str, Any]
) -> None:
    message = update.effective_message
    target = data.get("employee_id")
    if message is None or not message.text or not isinstance(target, int):
        return
    if not _still_admin(update, context, employee):
        return
    await drop_buttons(context, message.chat.id, data.get("prompt"))
    lang = employee.language
    if domain.clean_position(message.text) is None:
        ask = await message.reply_text(
            t(lang, "admin.position_invalid", max=domain.MAX_POSITION),
            reply_markup=_cancel_markup(lang, target),
        )
        await _set_state(
            context, employee, INPUT_POSITION, employee_id=target, prompt=ask.message_id
        )
        return
    async with app_ctx(context).db.session() as session:
        changed = await domain.set_position(session, target, message.text)
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


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file from an admin is an employee import when captioned /import, asked for with
    📥 Impor CSV, or a .csv sent within 30 minutes of /admin with no report in progress.

    Anything else is left alone (no ApplicationHandlerStop) so the report flow can keep
    it as evidence.
    """
    message = update.effective_message
    if message is None or message.document is None:
        return
    ctx = app_ctx(context)
    captioned = bool(message.caption and _IMPORT_CAPTION.match(message.caption))
    employee = await current_employee(ctx, update)
    if employee is None or not employee.active:
        if captioned:
            await require_employee(ctx, update)
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
    async with ctx.db.session() as session:
        report = await domain.import_employees_file(session, data, ctx.settings.default_timezone)
    markup = InlineKeyboardMarkup([[_btn(t(lang, "admin.btn_menu"), "adm:m")]])
    await progress.edit_text(render_import(lang, report), reply_markup=markup)
    raise ApplicationHandlerStop


def register(app: BotApp) -> None:
    app.add_handler(CommandHandler("admin", admin_command))
    app.add_handler(CallbackQueryHandler(on_callback, pattern=r"^adm:"))
    # Group 0 runs before the report flow's evidence handler (group 10); on_document
    # stops the update only when it really imports.
    app.add_handler(MessageHandler(filters.Document.ALL, on_document))
    register_input(INPUT_ADD, read_add)
    register_input(INPUT_FIND, read_find)
    register_input(INPUT_CSV, read_csv_text)
    register_input(INPUT_SUPERVISOR, read_supervisor)
    register_input(INPUT_POSITION, read_position)
