"""Command menus: one list per role, each entry described in both languages and handled."""

from __future__ import annotations

import pytest
from telegram.ext import CommandHandler

from bot import i18n, menus
from bot.app import build_application
from bot.config import Settings
from bot.context import AppContext
from storage.db import Database


def test_roles_add_their_commands() -> None:
    staff = menus.commands_for({"staff"})
    atasan = menus.commands_for({"staff", "supervisor"})
    admin = menus.commands_for({"staff", "admin"})
    assert "tim" not in staff and "admin" not in staff and "lapor" in staff
    assert {"tim", "plt", "digest", "evaluasi"} <= set(atasan) and "admin" not in atasan
    assert {"admin", "broadcast", "deadline", "libur"} <= set(admin) and "tim" not in admin
    assert menus.DEFAULT == staff
    for menu in (staff, atasan, admin):
        assert len(menu) == len(set(menu)) <= 100


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_menu_command_has_a_description(lang: str) -> None:
    everything = menus.commands_for({"staff", "supervisor", "admin"})
    missing = [c for c in everything if f"cmd.{c}" not in i18n.catalog(lang)]
    assert missing == []
    assert all(len(i18n.t(lang, f"cmd.{c}")) <= 256 for c in everything)  # Telegram's limit


def test_every_menu_command_is_handled() -> None:
    settings = Settings(
        telegram_bot_token="123456789:ABCdefGHIjklMNOpqrSTUvwxYZ012345678",
        database_url="sqlite+aiosqlite:///:memory:",
    )
    app = build_application(AppContext(settings, Database(settings.database_url)))
    handled = {
        c
        for group in app.handlers.values()
        for h in group
        if isinstance(h, CommandHandler)
        for c in h.commands
    }
    assert set(menus.commands_for({"staff", "supervisor", "admin"})) <= handled
