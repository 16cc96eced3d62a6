"""Telegram Bot API sandbox: plays Telegram for the bot and Telegram users for tests and people.

Stands alone: imports nothing from handlers, storage or other bot modules (DESIGN §5).
"""

from .client import SandboxClient, SandboxError
from .server import Sandbox
from .state import SandboxState

__all__ = ["Sandbox", "SandboxClient", "SandboxError", "SandboxState"]
