"""Placeholder: filled by its feature."""

from __future__ import annotations

from bot.ptb_types import BotApp


def register(app: BotApp) -> None:
    pass
