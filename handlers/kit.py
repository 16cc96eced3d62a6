"""What every handler shares: the sender check, a typed button press, routing, UI helpers.

A press flows: Telegram → `Callbacks._dispatch` (decode with the feature's codec; None →
"stale", answered here and only here) → sender check (linked, active, role) → the op
registered for that press, which gets one `Press` value → answer exactly once.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, overload

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler

from bot.admin import has_role
from bot.bot_context import BotContext
from bot.callback_data import CallbackData
from bot.context import AppContext
from bot.i18n import normalize_language, t
from bot.ptb_types import BotApp
from bot.reporting import QUICK_MINUTES
from storage.models import Employee

D = TypeVar("D", bound=CallbackData)

Command = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
EmployeeCommand = Callable[[Update, BotContext, Employee], Awaitable[None]]


async def require_employee(
    update: Update, context: BotContext, role: str | None = None
) -> Employee | None:
    """The active employee behind this update (with `role`, if given), or None after telling
    the user why not — as a callback answer for presses, as a message otherwise."""
    employee = await context.employee(update)
    user = update.effective_user
    if employee is not None and employee.active:
        if role is None:
            return employee
        admin_ids = context.app.settings.admin_telegram_ids
        if has_role(employee, role, user.id if user else None, admin_ids):
            return employee
    if employee is None:
        key, lang = "common.unknown_user", normalize_language(user.language_code if user else None)
    elif not employee.active:
        key, lang = "common.inactive_user", employee.language
    else:
        key, lang = "common.not_allowed", employee.language
    await tell(update, context, t(lang, key), alert=True)
    return None


async def tell(update: Update, context: BotContext, text: str, *, alert: bool = False) -> None:
    """Answer the update: a callback answer for a press (once), a reply for a message."""
    if update.callback_query is not None:
        if not context.callback_answered:
            context.callback_answered = True
            await update.callback_query.answer(text[:200], show_alert=alert)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


@overload
def linked(fn: EmployeeCommand, *, role: None = None) -> Command: ...
@overload
def linked(fn: None = None, *, role: str | None = None) -> Callable[[EmployeeCommand], Command]: ...
def linked(
    fn: EmployeeCommand | None = None, *, role: str | None = None
) -> Command | Callable[[EmployeeCommand], Command]:
    """Run the handler only for a linked, active employee (with `role`, if given)."""

    def wrap(inner: EmployeeCommand) -> Command:
        @functools.wraps(inner)
        async def handler(update: Update, context: BotContext) -> None:
            employee = await require_employee(update, context, role)
            if employee is not None:
                await inner(update, context, employee)

        return handler

    return wrap(fn) if fn is not None else wrap


@dataclass
class Press(Generic[D]):
    """One button press: the decoded data, who pressed it, and how to answer."""

    data: D
    employee: Employee
    query: CallbackQuery
    update: Update
    context: BotContext

    @property
    def app(self) -> AppContext:
        return self.context.app

    @property
    def lang(self) -> str:
        return self.employee.language

    @property
    def message(self) -> Message | None:
        return self.query.message if isinstance(self.query.message, Message) else None

    @property
    def message_id(self) -> int | None:
        """The pressed message's id (e.g. to drop its buttons once its question is answered)."""
        return self.message.message_id if self.message is not None else None

    @property
    def answered(self) -> bool:
        return self.context.callback_answered

    async def answer(self, text: str | None = None, *, alert: bool = False) -> None:
        """Answer the callback; later calls are no-ops (Telegram takes one answer)."""
        if self.context.callback_answered:
            return
        self.context.callback_answered = True
        await self.query.answer(text[:200] if text else None, show_alert=alert)

    async def stale(self) -> None:
        await self.answer(t(self.lang, "common.stale_button"))

    async def edit(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        await edit_message(self.message, text, markup)

    async def reply(self, text: str, markup: InlineKeyboardMarkup | None = None) -> Message | None:
        if self.message is None:
            return None
        return await self.message.reply_text(text, reply_markup=markup)


Op = Callable[[Press[D]], Awaitable[None]]


class Callbacks(Generic[D]):
    """One feature's presses: its codec, its op table, who may press.

    `key` picks the op from the decoded data (by default its `op` field)."""

    def __init__(
        self,
        codec: type[D],
        *,
        role: str | None = None,
        key: Callable[[D], str] | None = None,
    ) -> None:
        self.codec = codec
        self.role = role
        self.key = key or (lambda data: str(getattr(data, "op", "")))
        self.ops: dict[str, Op[D]] = {}

    def on(self, *keys: str) -> Callable[[Op[D]], Op[D]]:
        def add(op: Op[D]) -> Op[D]:
            for key in keys:
                if key in self.ops:
                    raise ValueError(f"{self.codec.prefix}: op {key!r} registered twice")
                self.ops[key] = op
            return op

        return add

    async def dispatch(self, update: Update, context: BotContext) -> None:
        query = update.callback_query
        if query is None:
            return
        data = self.codec.decode(query.data)
        op = self.ops.get(self.key(data)) if data is not None else None
        employee = await require_employee(update, context, self.role)
        if employee is None:
            return
        if data is None or op is None:
            await tell(update, context, t(employee.language, "common.stale_button"))
            return
        press = Press(data, employee, query, update, context)
        await op(press)
        await press.answer()

    def register(self, app: BotApp, group: int = 0) -> None:
        prefix = self.codec.prefix
        app.add_handler(
            CallbackQueryHandler(self.dispatch, pattern=rf"^{prefix}(:|$)"),  # type: ignore[arg-type]
            group=group,
        )


# --- small UI helpers -------------------------------------------------------------------


def button(text: str, data: CallbackData | str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text, callback_data=data.encode() if isinstance(data, CallbackData) else data
    )


def keyboard(*rows: list[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([row for row in rows if row])


def quick_durations(
    label: Callable[[int], str],
    press: Callable[[int], CallbackData],
    *,
    per_row: int = 5,
    extra: Sequence[InlineKeyboardButton] = (),
) -> list[list[InlineKeyboardButton]]:
    """The quick-duration buttons (30 min … 3 h), `per_row` a row, `extra` after the last."""
    buttons = [button(label(m), press(m)) for m in QUICK_MINUTES]
    rows = [buttons[k : k + per_row] for k in range(0, len(buttons), per_row)]
    rows[-1] += extra
    return rows


async def edit_message(
    message: object, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit a bot message in place; "message is not modified" is not an error."""
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in str(exc):
            raise


async def drop_buttons(context: BotContext, chat_id: int, message_id: Any) -> None:
    """An answered or replaced question loses its buttons, so they cannot be pressed later."""
    if not isinstance(message_id, int):
        return
    try:
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except BadRequest:  # already gone, or already without buttons
        pass


def short(text: str, limit: int = 40) -> str:
    """Text cut to fit a button label."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
