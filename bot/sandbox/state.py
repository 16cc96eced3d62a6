"""The sandbox's in-memory Telegram world: users, chats, messages, updates, files, limits.

Everything here runs on one asyncio loop, so plain mutation is safe; waiting is done with
``Notifier`` (an event that is replaced on every change) rather than sleeping and polling.
Validation and wire formats live in ``botapi``/``testapi``; this module keeps the facts.
"""

from __future__ import annotations

import asyncio
import json
import math
import mimetypes
import random
import secrets
import struct
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .html_entities import Entity, entities_to_html, find_bot_commands

JSON = dict[str, Any]

QUIET_SECONDS = 0.3
IDLE_QUIET = 0.03  # after the bot's last act, once it says it is idle (bot_idle)
IDLE_POLL = 0.01  # how often a wait asks bot_idle
BUSY_QUIET = 1.0  # ... while it says it is busy
CALLBACK_QUERY_TTL = 15 * 60
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)


class Notifier:
    """Wakes every waiter on each change; waiters never miss one between check and wait."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> bool:
        """Wait for the next change, at most ``seconds``; False on timeout."""
        if seconds <= 0:
            return False
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), seconds)
        except TimeoutError:
            return False
        return True


class TokenBucket:
    """Telegram-style flood control: ``rate`` tokens per second, at most ``burst`` saved."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate = rate
        self.burst = float(max(burst, 1))
        self.tokens = self.burst
        self.stamp = time.monotonic()

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available (0 if one is available now)."""
        self._refill(now)
        if self.tokens >= 1.0:
            return 0.0
        if self.rate <= 0:
            return math.inf
        return (1.0 - self.tokens) / self.rate

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1.0


@dataclass
class SandboxUser:
    """A Telegram user talking to the bot in a private chat."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str = "id"
    last_name: str | None = None
    started: bool = False
    blocked: bool = False

    def to_api(self) -> JSON:
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_api(self) -> JSON:
        data: JSON = {"id": self.id, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        data["type"] = "private"
        return data

    def to_test(self) -> JSON:
        return {
            "id": self.id,
            "first_name": self.first_name,
            "username": self.username,
            "language_code": self.language_code,
            "started": self.started,
            "blocked": self.blocked,
        }


@dataclass
class StoredFile:
    """An uploaded file; one per photo size, all sizes of a photo share ``group``."""

    file_id: str
    file_unique_id: str
    kind: str  # "photo" | "document"
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0
    group: str = ""

    @property
    def size(self) -> int:
        return len(self.content)

    def photo_size_api(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "width": self.width,
            "height": self.height,
        }

    def document_api(self) -> JSON:
        data: JSON = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        data["file_size"] = self.size
        return data

    def file_api(self) -> JSON:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
            "file_path": self.file_path,
        }


@dataclass
class StoredMessage:
    """A message in a private chat, as it is now (edits applied)."""

    message_id: int
    chat_id: int
    from_bot: bool
    date: int
    text: str | None = None
    caption: str | None = None
    entities: list[Entity] = field(default_factory=list)
    reply_markup: JSON | None = None
    photo: list[StoredFile] | None = None
    document: StoredFile | None = None
    edit_date: int | None = None
    deleted: bool = False
    changed_seq: int = 0
    reply_to: int | None = None

    def buttons(self) -> list[list[JSON]]:
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or []
        return [[dict(button) for button in row] for row in rows]


@dataclass
class Chat:
    """A private chat between the bot and one user."""

    user_id: int
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    version: int = 0
    bot_seq: int = 0
    bot_activity_at: float = 0.0
    notifier: Notifier = field(default_factory=Notifier)
    chat_instance: str = field(default_factory=lambda: str(random.randint(10**17, 10**18)))


@dataclass
class CallbackQuery:
    """A pressed button waiting for answerCallbackQuery."""

    id: str
    user_id: int
    message_id: int
    data: str
    created_at: float
    answered: bool = False
    answer: JSON | None = None


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    has_custom_certificate: bool = False


@dataclass
class Faults:
    """Injected failures for resilience tests (see POST /sandbox/faults)."""

    error_rate: float = 0.0
    codes: list[int] = field(default_factory=lambda: [500])
    latency_ms: int = 0
    methods: list[str] | None = None  # errors: None is every method except getUpdates
    latency_methods: list[str] | None = None  # latency: None is every method
    # Timeouts, as a slow Telegram: the request is carried out (the message is delivered),
    # then its answer is held `timeout_ms` — longer than the client's read timeout, so the
    # client gives up without knowing it was delivered. None: every method except getUpdates.
    timeout_rate: float = 0.0
    timeout_ms: int = 35_000
    timeout_methods: list[str] | None = None

    def to_json(self) -> JSON:
        return {
            "error_rate": self.error_rate,
            "codes": list(self.codes),
            "latency_ms": self.latency_ms,
            "methods": self.methods,
            "latency_methods": self.latency_methods,
            "timeout_rate": self.timeout_rate,
            "timeout_ms": self.timeout_ms,
            "timeout_methods": self.timeout_methods,
        }

    def applies_to(self, method: str) -> bool:
        return _among(method, self.methods)

    def times_out(self, method: str) -> bool:
        """Could a request to ``method`` be held past the client's timeout?"""
        return self.timeout_rate > 0 and _among(method, self.timeout_methods)

    def latency_for(self, method: str) -> float:
        """Seconds of injected latency for ``method``."""
        if self.latency_ms <= 0:
            return 0.0
        if self.latency_methods is not None and method.lower() not in {
            m.lower() for m in self.latency_methods
        }:
            return 0.0
        return self.latency_ms / 1000


def _among(method: str, methods: list[str] | None) -> bool:
    if methods is None:
        return method.lower() != "getupdates"
    return method.lower() in {m.lower() for m in methods}


@dataclass
class Stats:
    """Counters for GET /sandbox/stats."""

    methods: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    sent_messages: int = 0
    edited_messages: int = 0
    deleted_messages: int = 0
    callback_answers: int = 0
    rate_limited: int = 0
    faults_injected: int = 0
    timeouts_injected: int = 0  # requests carried out whose answer was held (see Faults)
    updates_created: int = 0
    webhook_deliveries: int = 0
    webhook_failures: int = 0
    sent_per_chat: Counter[int] = field(default_factory=Counter)

    def to_json(self) -> JSON:
        return {
            "methods": dict(self.methods),
            "errors": dict(self.errors),
            "sent_messages": self.sent_messages,
            "edited_messages": self.edited_messages,
            "deleted_messages": self.deleted_messages,
            "callback_answers": self.callback_answers,
            "rate_limited": self.rate_limited,
            "faults_injected": self.faults_injected,
            "timeouts_injected": self.timeouts_injected,
            "updates_created": self.updates_created,
            "webhook_deliveries": self.webhook_deliveries,
            "webhook_failures": self.webhook_failures,
            "sent_per_chat": {str(k): v for k, v in self.sent_per_chat.items()},
        }


def image_size(content: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, JPEG, GIF, WebP or BMP image; None if not an image."""
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) >= 24:
        w, h = struct.unpack(">II", content[16:24])
        return int(w), int(h)
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= 10:
        w, h = struct.unpack("<HH", content[6:10])
        return int(w), int(h)
    if content.startswith(b"BM") and len(content) >= 26:
        w, h = struct.unpack("<ii", content[18:26])
        return abs(int(w)), abs(int(h))
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP" and len(content) >= 30:
        chunk = content[12:16]
        if chunk == b"VP8 ":
            w, h = struct.unpack("<HH", content[26:30])
            return int(w) & 0x3FFF, int(h) & 0x3FFF
        if chunk == b"VP8L" and len(content) >= 25:
            bits = int.from_bytes(content[21:25], "little")
            return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8X":
            w = int.from_bytes(content[24:27], "little") + 1
            h = int.from_bytes(content[27:30], "little") + 1
            return w, h
        return None
    if content.startswith(b"\xff\xd8"):
        pos = 2
        while pos + 9 < len(content):
            if content[pos] != 0xFF:
                pos += 1
                continue
            marker = content[pos + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                pos += 2
                continue
            length = int.from_bytes(content[pos + 2 : pos + 4], "big")
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", content[pos + 5 : pos + 9])
                return int(w), int(h)
            pos += 2 + length
        return None
    return None


def _scaled(width: int, height: int, limit: int) -> tuple[int, int]:
    biggest = max(width, height, 1)
    if biggest <= limit:
        return width, height
    factor = limit / biggest
    return max(1, round(width * factor)), max(1, round(height * factor))


class SandboxState:
    """The whole simulated world of one sandbox instance."""

    def __init__(
        self,
        token: str,
        bot_username: str,
        bot_first_name: str,
        per_chat_rate: float = 1.0,
        per_chat_burst: int = 20,
        global_rate: float = 30.0,
        global_burst: int = 30,
    ) -> None:
        self.token = token
        head = token.split(":", 1)[0]
        self.bot_id = int(head) if head.isdigit() else 123456789
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.per_chat_rate = per_chat_rate
        self.per_chat_burst = per_chat_burst
        self.global_rate = global_rate
        self.global_burst = global_burst
        # Webhook retry backoff (seconds): short, so tests of redelivery stay fast.
        self.webhook_retry_min = 0.05
        self.webhook_retry_max = 1.0
        self.webhook_timeout = 10.0
        self.rng = random.Random()
        self.closing = False
        # Not Telegram: an in-process harness may say when its bot has nothing left to do,
        # so a wait ends IDLE_QUIET after the bot's last act instead of QUIET_SECONDS.
        self.bot_idle: Callable[[], bool] | None = None
        # Kept across reset(everything=True): a bot that survives a reset still has its offset,
        # and a stale long poll must still see that it was superseded.
        # Telegram's update ids keep growing across a bot's life; a sandbox restarted on the same
        # bot database must not reuse ids the bot has recorded as processed.
        self.next_update_id = int(time.time() * 1000) % 2_000_000_000
        self.poll_generation = 0
        self._reset_world()
        self.faults = Faults()
        self.stats = Stats()

    # -- world -------------------------------------------------------------------------------

    def _reset_world(self) -> None:
        self.users: dict[int, SandboxUser] = {}
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.photo_groups: dict[str, list[StoredFile]] = {}
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.updates: list[JSON] = []
        self.allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self.webhook: WebhookConfig | None = None
        self.webhook_last_error_date: int | None = None
        self.webhook_last_error_message: str | None = None
        self.update_notifier = Notifier()
        self.webhook_notifier = Notifier()
        self.users_notifier = Notifier()
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.menu_buttons: dict[int | None, JSON] = {}
        self.bot_texts: dict[tuple[str, str], str] = {}
        self.seq = 0
        self.global_bucket = TokenBucket(self.global_rate, self.global_burst)
        self.chat_buckets: dict[int, TokenBucket] = {}
        self._file_counter = 0

    def reset(self, everything: bool = False) -> None:
        """Clear stats and faults (and the whole world with ``everything``)."""
        self.faults = Faults()
        self.stats = Stats()
        self.global_bucket = TokenBucket(self.global_rate, self.global_burst)
        self.chat_buckets = {}
        if everything:
            old = [self.update_notifier, self.webhook_notifier, self.users_notifier]
            old += [chat.notifier for chat in self.chats.values()]
            self._reset_world()
            for notifier in old:
                notifier.fire()

    def now(self) -> int:
        return int(time.time())

    def bot_user_api(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    # -- users and chats ---------------------------------------------------------------------

    def upsert_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None = None,
        language_code: str = "id",
        last_name: str | None = None,
    ) -> SandboxUser:
        user = self.users.get(user_id)
        if user is None:
            user = SandboxUser(user_id, first_name, username, language_code, last_name)
            self.users[user_id] = user
        else:
            user.first_name = first_name
            user.username = username
            user.language_code = language_code
            user.last_name = last_name
        self.users_notifier.fire()
        return user

    def chat(self, user_id: int) -> Chat:
        chat = self.chats.get(user_id)
        if chat is None:
            chat = Chat(user_id)
            self.chats[user_id] = chat
        return chat

    def _touch(self, chat: Chat, by_bot: bool) -> int:
        seq = self.next_seq()
        chat.version = seq
        if by_bot:
            chat.bot_seq = seq
            chat.bot_activity_at = time.monotonic()
        chat.notifier.fire()
        return seq

    def mark_bot_activity(self, user_id: int) -> None:
        """Something the bot did for this user that is not a message (a callback answer)."""
        self._touch(self.chat(user_id), by_bot=True)

    def message_to_api(self, msg: StoredMessage, with_reply: bool = True) -> JSON:
        user = self.users.get(msg.chat_id)
        chat = user.chat_api() if user else {"id": msg.chat_id, "type": "private"}
        data: JSON = {"message_id": msg.message_id}
        data["from"] = self.bot_user_api() if msg.from_bot else (user.to_api() if user else {})
        data["chat"] = chat
        data["date"] = msg.date
        if msg.edit_date is not None:
            data["edit_date"] = msg.edit_date
        if with_reply and msg.reply_to is not None:
            replied = self.chat(msg.chat_id).messages.get(msg.reply_to)
            if replied is not None and not replied.deleted:
                data["reply_to_message"] = self.message_to_api(replied, with_reply=False)
        if msg.text is not None:
            data["text"] = msg.text
            if msg.entities:
                data["entities"] = [dict(e) for e in msg.entities]
        if msg.photo:
            data["photo"] = [p.photo_size_api() for p in msg.photo]
        if msg.document is not None:
            data["document"] = msg.document.document_api()
        if msg.caption is not None:
            data["caption"] = msg.caption
            if msg.entities:
                data["caption_entities"] = [dict(e) for e in msg.entities]
        if msg.reply_markup and msg.reply_markup.get("inline_keyboard") is not None:
            data["reply_markup"] = msg.reply_markup
        return data

    def message_to_test(self, msg: StoredMessage) -> JSON:
        """The chat-entry shape of DESIGN §5 (plus html/entities/edited for convenience)."""
        text = msg.text if msg.text is not None else (msg.caption or "")
        entry: JSON = {
            "message_id": msg.message_id,
            "from": "bot" if msg.from_bot else "user",
            "date": msg.date,
            "text": text,
            "html": entities_to_html(text, msg.entities),
            "entities": [dict(e) for e in msg.entities],
            "buttons": msg.buttons(),
            "edited": msg.edit_date is not None,
        }
        if msg.reply_to is not None:
            entry["reply_to"] = msg.reply_to
        markup = msg.reply_markup or {}
        if isinstance(markup.get("keyboard"), list):
            entry["keyboard"] = [
                [b if isinstance(b, str) else str(b.get("text", "")) for b in row]
                for row in markup["keyboard"]
                if isinstance(row, list)
            ]
        elif markup.get("remove_keyboard"):
            entry["remove_keyboard"] = True
        if msg.photo:
            biggest = msg.photo[-1]
            entry["photo"] = {
                "file_name": biggest.file_name,
                "size": biggest.size,
                "file_id": biggest.file_id,
                "width": biggest.width,
                "height": biggest.height,
                "url": f"/sandbox/files/{biggest.file_id}",
            }
        if msg.document is not None:
            entry["document"] = {
                "file_name": msg.document.file_name,
                "size": msg.document.size,
                "file_id": msg.document.file_id,
                "mime_type": msg.document.mime_type,
                "url": f"/sandbox/files/{msg.document.file_id}",
            }
        return entry

    def chat_entries(self, user_id: int) -> list[JSON]:
        chat = self.chats.get(user_id)
        if chat is None:
            return []
        return [self.message_to_test(m) for m in chat.messages.values() if not m.deleted]

    def changed_bot_messages(self, user_id: int, since_seq: int) -> list[JSON]:
        chat = self.chat(user_id)
        return [
            self.message_to_test(m)
            for m in chat.messages.values()
            if m.from_bot and not m.deleted and m.changed_seq > since_seq
        ]

    async def wait_for_bot(
        self,
        user_id: int,
        since_seq: int,
        wait: float,
        until: Callable[[], bool] | None = None,
    ) -> None:
        """Return once the bot acted in this chat and then was quiet for 0.3 s, or after wait.

        With ``until`` (e.g. "the callback query was answered"), quiet only counts once it holds.
        With ``bot_idle`` set, quiet is IDLE_QUIET once every update is fetched and the bot
        says it is idle (it cannot say more), and BUSY_QUIET while it is still at work (a
        loaded machine can pause a handler between two messages for longer than 0.3 s).
        """
        chat = self.chat(user_id)
        deadline = time.monotonic() + max(wait, 0.0)
        while not self.closing:
            now = time.monotonic()
            poll = deadline - now
            if chat.bot_seq > since_seq and (until is None or until()):
                quiet = QUIET_SECONDS
                if self.bot_idle is not None:
                    poll = IDLE_POLL
                    idle = not self.updates and self.bot_idle()
                    quiet = IDLE_QUIET if idle else BUSY_QUIET
                timeout = min(chat.bot_activity_at + quiet - now, deadline - now)
            else:
                timeout = deadline - now
            if timeout <= 0:
                return
            await chat.notifier.wait(min(timeout, poll))

    # -- messages ----------------------------------------------------------------------------

    def add_message(self, user_id: int, from_bot: bool, **fields: Any) -> StoredMessage:
        chat = self.chat(user_id)
        msg = StoredMessage(chat.next_message_id, user_id, from_bot, self.now(), **fields)
        chat.next_message_id += 1
        chat.messages[msg.message_id] = msg
        msg.changed_seq = self._touch(chat, by_bot=from_bot)
        if from_bot:
            self.stats.sent_messages += 1
            self.stats.sent_per_chat[user_id] += 1
        return msg

    def find_message(self, user_id: int, message_id: int) -> StoredMessage | None:
        chat = self.chats.get(user_id)
        if chat is None:
            return None
        msg = chat.messages.get(message_id)
        if msg is None or msg.deleted:
            return None
        return msg

    def message_changed(self, msg: StoredMessage, edited: bool = True) -> None:
        if edited:
            msg.edit_date = self.now()
            self.stats.edited_messages += 1
        msg.changed_seq = self._touch(self.chat(msg.chat_id), by_bot=True)

    def delete_message(self, msg: StoredMessage) -> None:
        msg.deleted = True
        self.stats.deleted_messages += 1
        self._touch(self.chat(msg.chat_id), by_bot=True)

    # -- files -------------------------------------------------------------------------------

    def _new_file_ids(self, prefix: str) -> tuple[str, str]:
        token = secrets.token_urlsafe(24)
        return f"{prefix}{token}", f"AQAD{secrets.token_urlsafe(9)}"

    def add_document(
        self, content: bytes, file_name: str | None, mime_type: str | None = None
    ) -> StoredFile:
        self._file_counter += 1
        ext = ""
        if file_name and "." in file_name:
            ext = "." + file_name.rsplit(".", 1)[1][:10]
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
        file_id, unique = self._new_file_ids("BQACAgUAAxkBAAI")
        stored = StoredFile(
            file_id,
            unique,
            "document",
            content,
            f"documents/file_{self._file_counter}{ext}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def add_photo(self, content: bytes) -> list[StoredFile]:
        """Store a photo as Telegram does: several PhotoSize entries, smallest first."""
        width, height = image_size(content) or (320, 320)
        self._file_counter += 1
        group = f"photo{self._file_counter}"
        limits = [lim for lim in (90, 320, 800) if max(width, height) > lim] + [1280]
        sizes: list[StoredFile] = []
        for lim in limits:
            w, h = _scaled(width, height, lim)
            file_id, unique = self._new_file_ids("AgACAgUAAxkBAAI")
            stored = StoredFile(
                file_id,
                unique,
                "photo",
                content,
                f"photos/file_{self._file_counter}_{lim}.jpg",
                mime_type="image/jpeg",
                width=w,
                height=h,
                group=group,
            )
            self.files[file_id] = stored
            self.files_by_path[stored.file_path] = stored
            sizes.append(stored)
        self.photo_groups[group] = sizes
        return sizes

    def file_by_path(self, file_path: str) -> StoredFile | None:
        return self.files_by_path.get(file_path)

    # -- updates -----------------------------------------------------------------------------

    def enqueue_update(self, kind: str, payload: JSON) -> JSON | None:
        """Queue an update for getUpdates / the webhook; None if allowed_updates filters it."""
        if kind not in self.allowed_updates:
            return None
        update: JSON = {"update_id": self.next_update_id, kind: payload}
        self.next_update_id += 1
        self.updates.append(update)
        self.stats.updates_created += 1
        self.update_notifier.fire()
        self.webhook_notifier.fire()
        return update

    def confirm_updates(self, offset: int) -> None:
        """Telegram's offset: forget every update with a lower id (negative: keep the last N)."""
        if offset > 0:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        elif offset < 0:
            self.updates = self.updates[offset:]

    # -- the user's side ---------------------------------------------------------------------

    def user_message(
        self,
        user: SandboxUser,
        text: str | None = None,
        document: tuple[str, bytes] | None = None,
        photo: bytes | None = None,
        caption: str | None = None,
        reply_to: int | None = None,
    ) -> StoredMessage:
        """The user writes to the bot: store the message and queue a ``message`` update."""
        user.started = True
        fields: dict[str, Any] = {}
        if document is not None:
            fields["document"] = self.add_document(document[1], document[0])
        if photo is not None:
            fields["photo"] = self.add_photo(photo)
        if document is not None or photo is not None:
            fields["caption"] = caption if caption else None
            fields["entities"] = []
        else:
            fields["text"] = text or ""
            fields["entities"] = find_bot_commands(text or "")
        if reply_to is not None and self.find_message(user.id, reply_to) is not None:
            fields["reply_to"] = reply_to
        msg = self.add_message(user.id, from_bot=False, **fields)
        self.enqueue_update("message", self.message_to_api(msg))
        self.users_notifier.fire()
        return msg

    def press(self, user: SandboxUser, msg: StoredMessage, data: str) -> CallbackQuery:
        """The user taps an inline button: queue a ``callback_query`` update."""
        query = CallbackQuery(
            str(self.rng.randint(10**17, 10**19)),
            user.id,
            msg.message_id,
            data,
            time.monotonic(),
        )
        self.callback_queries[query.id] = query
        payload: JSON = {
            "id": query.id,
            "from": user.to_api(),
            "message": self.message_to_api(msg),
            "chat_instance": self.chat(user.id).chat_instance,
            "data": data,
        }
        self.enqueue_update("callback_query", payload)
        return query

    def set_blocked(self, user: SandboxUser, blocked: bool) -> None:
        """Block or unblock the bot; Telegram tells the bot with a ``my_chat_member`` update."""
        if user.blocked == blocked:
            return
        user.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        new_member: JSON = {"user": self.bot_user_api(), "status": new}
        if new == "kicked":
            new_member["until_date"] = 0
        old_member: JSON = {"user": self.bot_user_api(), "status": old}
        if old == "kicked":
            old_member["until_date"] = 0
        self.enqueue_update(
            "my_chat_member",
            {
                "chat": user.chat_api(),
                "from": user.to_api(),
                "date": self.now(),
                "old_chat_member": old_member,
                "new_chat_member": new_member,
            },
        )
        self.users_notifier.fire()
        self._touch(self.chat(user.id), by_bot=False)

    # -- flood control -----------------------------------------------------------------------

    def flood_wait(self, chat_id: int) -> int:
        """0 if a message may go to ``chat_id`` now, else whole seconds to wait (>= 1)."""
        now = time.monotonic()
        bucket = self.chat_buckets.get(chat_id)
        if bucket is None:
            bucket = TokenBucket(self.per_chat_rate, self.per_chat_burst)
            self.chat_buckets[chat_id] = bucket
        wait = max(self.global_bucket.wait_time(now), bucket.wait_time(now))
        if wait <= 0:
            return 0
        return max(1, math.ceil(wait)) if math.isfinite(wait) else 3600

    def take_send_token(self, chat_id: int) -> None:
        now = time.monotonic()
        self.global_bucket.take(now)
        self.chat_buckets[chat_id].take(now)

    # -- commands ----------------------------------------------------------------------------

    def commands_for_user(self, user: SandboxUser) -> list[JSON]:
        """Which command list a client shows this user (Telegram's scope fallback order)."""
        chat_scope = scope_key({"type": "chat", "chat_id": user.id})
        for scope in (chat_scope, '{"type":"all_private_chats"}', '{"type":"default"}'):
            for lang in (user.language_code or "", ""):
                found = self.commands.get((scope, lang))
                if found:
                    return found
        return []


def scope_key(scope: JSON | None) -> str:
    """Canonical key for a BotCommandScope."""
    scope = scope or {"type": "default"}
    clean: JSON = {"type": scope.get("type", "default")}
    if "chat_id" in scope:
        try:
            clean["chat_id"] = int(scope["chat_id"])
        except (TypeError, ValueError):
            clean["chat_id"] = scope["chat_id"]
    if "user_id" in scope:
        clean["user_id"] = int(scope["user_id"])
    return json.dumps(clean, separators=(",", ":"), sort_keys=False)
