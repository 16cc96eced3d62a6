"""Telegram Bot API sandbox: plays Telegram for the bot and Telegram users for tests and people.

Stands alone: imports nothing from handlers, storage or other bot modules (DESIGN §5).

    sandbox = Sandbox(port=0)
    await sandbox.start()                      # serves on the running loop
    app = (ApplicationBuilder().token(sandbox.token)
           .base_url(sandbox.api_base_url).base_file_url(sandbox.file_base_url).build())
    async with SandboxClient(sandbox.base_url) as users:
        await users.create_user(1001, "Siti")
        result = await users.send(1001, "/start", wait=2.0)   # {"message_id", "replies"}
    await sandbox.stop()

``python -m bot.sandbox --port 8080`` runs it alone; the web chat is at ``/``.
"""

from .client import SandboxClient, SandboxError
from .server import Sandbox
from .state import SandboxState

__all__ = ["Sandbox", "SandboxClient", "SandboxError", "SandboxState"]
