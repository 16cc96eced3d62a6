"""Telegram I/O: one module per feature, each with a `register(app)`."""

from __future__ import annotations

from bot.ptb_types import BotApp
from handlers import (
    admin,
    approval,
    broadcast,
    calendar,
    common,
    entries,
    evaluation,
    inputs,
    membership,
    recap,
    registration,
    reminders,
    report,
    settings,
    skp,
    team,
)


def register_all(app: BotApp) -> None:
    """Every feature's handlers, in the order they must be tried."""
    registration.register(app)
    common.register(app)
    skp.register(app)
    admin.register(app)
    entries.register(app)
    recap.register(app)
    evaluation.register(app)
    approval.register(app)
    team.register(app)
    # Issue 10: reminder buttons + the scheduler tick job, leave and days off, settings,
    # broadcasts and deadlines (commands and their own callback prefixes only).
    for feature in (reminders, calendar, settings, broadcast):
        feature.register(app)
    report.register(app)
    inputs.register(app)
    membership.register(app)
