"""What every handler and job needs, carried in `application.bot_data`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.clock import Clock, SystemClock
from bot.config import Settings
from storage.db import Database


@dataclass
class AppContext:
    settings: Settings
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    bot_username: str = "kinerja_bot"
    # Wakes the outbox sender after a commit that queued messages; a no-op until it runs.
    poke_outbox: Callable[[], None] = lambda: None
