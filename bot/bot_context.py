"""The per-update CallbackContext: the application context and the sender, loaded once.

PTB builds one context per update and hands the same object to every handler group, so
the employee read with the update's dedupe claim (group −1, bot.app) is simply kept here.
Telegram-facing plumbing like bot.updates; domain modules never import it.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.context import AppContext
from bot.i18n import normalize_language
from storage.models import Employee
from storage.queries import employee_by_telegram_id


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application, chat_id, user_id)
        self._employee: Employee | None = None
        self._employee_loaded = False
        # Set once this update's callback query has been answered (by a handler or the
        # router), so the error handler never answers twice ("query is too old").
        self.callback_answered = False
        # Set when this update was claimed before by a process that died before finishing
        # it (bot.updates.Claim.UNFINISHED): handlers may have done part of it already.
        self.redelivered = False

    @property
    def app(self) -> AppContext:
        ctx: AppContext = self.bot_data["ctx"]
        return ctx

    def remember_employee(self, employee: Employee | None) -> None:
        self._employee, self._employee_loaded = employee, True

    def forget_employee(self) -> None:
        """After a handler changed who the sender is (linking an invite), read it again."""
        self._employee, self._employee_loaded = None, False

    async def employee(self, update: Update) -> Employee | None:
        """The employee linked to the sender (active or not), read at most once per update."""
        if not self._employee_loaded:
            user = update.effective_user
            employee = None
            if user is not None:
                async with self.app.db.session() as session:
                    employee = await employee_by_telegram_id(session, user.id)
            self.remember_employee(employee)
        return self._employee

    async def language(self, update: Update) -> str:
        """The employee's chosen language, else the Telegram client's, else Indonesian."""
        employee = await self.employee(update)
        if employee is not None:
            return normalize_language(employee.language)
        user = update.effective_user
        return normalize_language(user.language_code if user else None)
