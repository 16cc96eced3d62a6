"""Type alias for our PTB Application (its six generic parameters are noise elsewhere)."""

from __future__ import annotations

from typing import Any, TypeAlias

from telegram.ext import Application

BotApp: TypeAlias = Application[Any, Any, Any, Any, Any, Any]
