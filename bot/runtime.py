"""Starting and stopping the bot in each run mode, shared by the CLI and the tests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Literal

from telegram import Update

from bot.app import build_application, set_command_menus
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import AppContext
from bot.outbox_sender import OutboxSender
from bot.ptb_types import BotApp
from bot.transport import RetryingRequest, Timeouts
from storage.db import Database
from storage.migrate import upgrade

log = logging.getLogger(__name__)

Mode = Literal["polling", "webhook", "manual"]
MENUS_GRACE = 2.0  # seconds start() waits for the command menus before leaving them running


class BotRuntime:
    """One database + one PTB Application, started in polling, webhook or manual mode."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        file_base_url: str | None = None,
        db: Database | None = None,
    ) -> None:
        self.settings = settings
        self._owns_db = db is None
        self.db = db or Database(settings.database_url)
        self.ctx = AppContext(settings=settings, db=self.db, clock=clock or SystemClock())
        self.app: BotApp = build_application(self.ctx, file_base_url=file_base_url)
        request = self.app.bot.request
        if isinstance(request, RetryingRequest):
            request.configure(timeouts_from(settings))
        self.mode: Mode | None = None
        self.sender: OutboxSender | None = None
        self.menus_task: asyncio.Task[None] | None = None
        self._in_hand = 0  # webhook updates being handled (polling ones: the update processor)

    @property
    def idle(self) -> bool:
        """No update queued or in hand and nothing for the outbox to send now. Lets the
        in-process test harness stop waiting for more replies as soon as there can be none."""
        app = self.app
        # asyncio.Queue counts an update from put() to PTB's task_done() after handling it;
        # empty() alone misses the moment between taking it and starting its handler.
        unfinished = getattr(app.update_queue, "_unfinished_tasks", 0)
        return (
            self._in_hand == 0
            and unfinished == 0
            and app.update_queue.empty()
            and app.update_processor.current_concurrent_updates == 0
            and (self.sender is None or self.sender.idle)
        )

    def start_sender(self) -> None:
        """The outbox sender runs in this process (polling, worker and single-process serve)."""
        self.sender = OutboxSender(
            self.app.bot, self.db, self.ctx.clock, self.settings.send_rate_per_second
        )
        self.sender.start()
        self.ctx.poke_outbox = self.sender.poke

    async def start(
        self, mode: Mode = "polling", *, migrate: bool = True, sender: bool = True
    ) -> None:
        if migrate:
            await upgrade(self.db)
        await self.app.initialize()
        if self.app.post_init is not None:
            await self.app.post_init(self.app)
        if mode == "polling":
            assert self.app.updater is not None
            await self.app.bot.delete_webhook()
            await self.app.updater.start_polling(
                poll_interval=0.0, timeout=10, allowed_updates=Update.ALL_TYPES
            )
        await self.app.start()
        if sender:
            self.start_sender()
        # In the background: a slow or missing setMyCommands must not delay the first answer.
        # Updates are already being handled; start() waits a moment only so that menus are
        # usually in place when it returns.
        self.menus_task = asyncio.create_task(set_command_menus(self.app), name="command-menus")
        await asyncio.wait({self.menus_task}, timeout=MENUS_GRACE)
        self.mode = mode

    async def set_webhook(self) -> None:
        url = self.settings.webhook_url
        if not url:
            raise ValueError("WEBHOOK_URL is required in webhook mode")
        await self.app.bot.set_webhook(
            url,
            secret_token=self.settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )

    async def process_update_json(self, data: dict[str, object]) -> None:
        update = Update.de_json(data, self.app.bot)
        self._in_hand += 1
        try:
            await self.app.process_update(update)
        finally:
            self._in_hand -= 1

    async def stop(self) -> None:
        if self.mode is None:
            return
        if self.menus_task is not None:
            self.menus_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.menus_task
            self.menus_task = None
        if self.sender is not None:
            await self.sender.stop()
            self.sender = None
        if self.mode == "polling" and self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()
        if self._owns_db:
            await self.db.dispose()
        self.mode = None


def timeouts_from(settings: Settings) -> Timeouts:
    return Timeouts(
        connect=settings.telegram_connect_timeout,
        read=settings.telegram_read_timeout,
        write=settings.telegram_write_timeout,
        pool=settings.telegram_pool_timeout,
    )


async def wait_for_signal() -> None:
    """Block until SIGINT/SIGTERM (Ctrl-C, or the platform stopping the dyno)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except NotImplementedError:  # pragma: no cover - Windows
            signal.signal(sig, lambda *_: stop.set())
    await stop.wait()
