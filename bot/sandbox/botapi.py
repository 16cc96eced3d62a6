"""The bot's side of the sandbox: ``/bot<token>/<method>`` answering like api.telegram.org.

Requests may be JSON, form-urlencoded or multipart (python-telegram-bot sends JSON-encoded
values inside form fields, and files as multipart parts), so every parameter is read through
small coercing helpers. Errors carry Telegram's exact descriptions because bots (ours included)
branch on them. Also hosts the webhook delivery loop, which is Telegram's job too.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import httpx
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .html_entities import EntityParseError, ParsedText, parse_text, utf16_len
from .state import (
    CALLBACK_QUERY_TTL,
    DEFAULT_ALLOWED_UPDATES,
    JSON,
    SandboxState,
    SandboxUser,
    StoredFile,
    StoredMessage,
    WebhookConfig,
    image_size,
    scope_key,
)

BLOCKED = "Forbidden: bot was blocked by the user"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_BUTTONS = 100
MAX_DOWNLOAD = 20 * 1024 * 1024
MAX_UPLOAD = 50 * 1024 * 1024
_BUTTON_KINDS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_FAULT_TEXT = {
    400: "Bad Request: sandbox fault injection",
    401: "Unauthorized",
    403: BLOCKED,
    404: "Not Found",
    409: "Conflict: sandbox fault injection",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

Params = dict[str, Any]
logger = logging.getLogger(__name__)


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code", "description"}``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> JSON:
        data: JSON = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            data["parameters"] = {"retry_after": self.retry_after}
        return data


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes
    content_type: str | None


@dataclass
class Described:
    """A successful result that Telegram accompanies with a ``description``."""

    result: Any
    description: str


Handler = Callable[[Params], Awaitable[Any]]


def _require_utf8(value: Any) -> None:
    """Telegram refuses strings that are not valid UTF-8 (a JSON lone surrogate)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ApiError(400, "Bad Request: strings must be encoded in UTF-8") from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            _require_utf8(key)
            _require_utf8(item)
    elif isinstance(value, list):
        for item in value:
            _require_utf8(item)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return False


def _int(value: Any) -> int | None:
    """An integer parameter from JSON or a form field; None if absent or not an integer."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None


def _str(value: Any) -> str | None:
    if value is None or isinstance(value, Upload):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value)


def _json(value: Any, error: str) -> Any:
    """An object parameter: native JSON, or a JSON string inside a form field."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise ApiError(400, error) from exc
    if isinstance(value, Upload):
        raise ApiError(400, error)
    return value


class BotApi:
    """Implements the Bot API methods against a ``SandboxState``."""

    def __init__(self, state: SandboxState) -> None:
        self.state = state
        self.methods: dict[str, tuple[str, Handler]] = {}
        for name in (
            "getMe",
            "logOut",
            "close",
            "getUpdates",
            "setWebhook",
            "deleteWebhook",
            "getWebhookInfo",
            "sendMessage",
            "editMessageText",
            "editMessageCaption",
            "editMessageReplyMarkup",
            "deleteMessage",
            "deleteMessages",
            "answerCallbackQuery",
            "sendChatAction",
            "sendPhoto",
            "sendDocument",
            "getFile",
            "setMyCommands",
            "getMyCommands",
            "deleteMyCommands",
            "setChatMenuButton",
            "getChatMenuButton",
            "getChat",
            "getChatMember",
            "getUserProfilePhotos",
            "setMyDescription",
            "getMyDescription",
            "setMyShortDescription",
            "getMyShortDescription",
            "setMyName",
            "getMyName",
            "setMyDefaultAdministratorRights",
            "getMyDefaultAdministratorRights",
            "setMessageReaction",
            "pinChatMessage",
            "unpinChatMessage",
            "unpinAllChatMessages",
        ):
            handler = getattr(self, "m_" + re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower())
            self.methods[name.lower()] = (name, handler)

    # -- HTTP plumbing -----------------------------------------------------------------------

    async def endpoint(self, request: Request) -> Response:
        """Route for ``/bot{token}/{method}``."""
        token = str(request.path_params["token"])
        method = str(request.path_params["method"])
        try:
            if token != self.state.token:
                raise ApiError(401, "Unauthorized")
            entry = self.methods.get(method.lower())
            self.state.stats.methods[entry[0] if entry else method] += 1
            if entry is None:
                raise ApiError(404, "Not Found")
            params = await self._read_params(request)
            result = await self.call(entry[0], params, faults=True)
        except ApiError as err:
            self.state.stats.errors[str(err.code)] += 1
            return JSONResponse(err.to_json(), status_code=err.code)
        except Exception:
            # A sandbox bug must not pass for a Telegram answer the bot mishandled: log it loudly
            # and answer the way Telegram answers its own internal errors.
            logger.exception("sandbox failed on %s", method)
            self.state.stats.errors["500"] += 1
            error = ApiError(500, "Internal Server Error")
            return JSONResponse(error.to_json(), status_code=500)
        if isinstance(result, Described):
            body: JSON = {"ok": True, "result": result.result, "description": result.description}
        else:
            body = {"ok": True, "result": result}
        return JSONResponse(body)

    async def _read_params(self, request: Request) -> Params:
        params: Params = dict(request.query_params)
        if request.method != "POST":
            return params
        content_type = request.headers.get("content-type", "").lower()
        if "multipart/form-data" in content_type or "x-www-form-urlencoded" in content_type:
            form = await request.form(max_files=100, max_fields=1000, max_part_size=16 << 20)
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    params[key] = Upload(value.filename, await value.read(), value.content_type)
                else:
                    params[key] = value
            return params
        body = await request.body()
        if body.strip():
            try:
                data = json.loads(body)
            except ValueError as exc:
                raise ApiError(400, "Bad Request: can't parse JSON object") from exc
            if not isinstance(data, dict):
                raise ApiError(400, "Bad Request: can't parse JSON object")
            params.update(data)
        _require_utf8(params)
        return params

    async def call(self, method: str, params: Params, faults: bool = False) -> Any:
        """Run one method; with ``faults`` apply injected latency and failures first."""
        entry = self.methods.get(method.lower())
        if entry is None:
            raise ApiError(404, "Not Found")
        if faults:
            cfg = self.state.faults
            latency = cfg.latency_for(entry[0])
            if latency > 0:
                await asyncio.sleep(latency)
            if (
                cfg.error_rate > 0
                and cfg.codes
                and cfg.applies_to(entry[0])
                and self.state.rng.random() < cfg.error_rate
            ):
                self.state.stats.faults_injected += 1
                code = self.state.rng.choice(cfg.codes)
                if code == 429:
                    raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
                phrase = _FAULT_TEXT.get(code)
                if phrase is None:
                    try:
                        phrase = HTTPStatus(code).phrase
                    except ValueError:
                        phrase = "Sandbox Fault"
                raise ApiError(code, phrase)
            if cfg.times_out(entry[0]) and self.state.rng.random() < cfg.timeout_rate:
                # Done, then answered too late: the client times out not knowing it was done.
                self.state.stats.timeouts_injected += 1
                result = await entry[1](params)
                await asyncio.sleep(cfg.timeout_ms / 1000)
                return result
        return await entry[1](params)

    # -- parameter helpers -------------------------------------------------------------------

    def _chat_id(self, p: Params) -> int:
        value = p.get("chat_id")
        if value is None or value == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat_id = _int(value)
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _known_user(self, p: Params) -> SandboxUser:
        chat_id = self._chat_id(p)
        if chat_id == self.state.bot_id:
            raise ApiError(403, "Forbidden: bots can't send messages to bots")
        user = self.state.users.get(chat_id)
        if user is None:
            raise ApiError(400, "Bad Request: chat not found")
        return user

    def _reachable_user(self, p: Params) -> SandboxUser:
        """The chat's user, if the bot may talk to them (started and not blocked)."""
        user = self._known_user(p)
        if user.blocked or not user.started:
            raise ApiError(403, BLOCKED)
        return user

    def _message_id(self, p: Params) -> int:
        message_id = _int(p.get("message_id"))
        if message_id is None:
            if p.get("inline_message_id"):
                raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
            raise ApiError(400, "Bad Request: message identifier is not specified")
        return message_id

    def _formatted(
        self,
        p: Params,
        field: str,
        entities_field: str,
        limit: int,
        too_long: str,
        empty: str | None,
    ) -> ParsedText | None:
        """Parse text or caption; ``empty`` is the error for empty text (None: caption)."""
        raw = p.get(field)
        if raw is None or isinstance(raw, Upload):
            if empty is not None:
                raise ApiError(400, empty)
            return None
        text = raw if isinstance(raw, str) else (_str(raw) or "")
        mode = _str(p.get("parse_mode"))
        entities = _json(p.get(entities_field), "Bad Request: can't parse entities JSON object")
        if entities is not None and not (
            isinstance(entities, list)
            and all(
                isinstance(e, dict)
                and isinstance(e.get("type"), str)
                and _int(e.get("offset")) is not None
                and _int(e.get("length")) is not None
                for e in entities
            )
        ):
            raise ApiError(400, "Bad Request: can't parse entities JSON object")
        try:
            parsed = parse_text(text, mode, entities)
        except EntityParseError as err:
            raise ApiError(400, f"Bad Request: can't parse entities: {err.message}") from err
        except ValueError as err:
            raise ApiError(400, "Bad Request: unsupported parse_mode") from err
        if not parsed.text:
            if empty is not None:
                raise ApiError(400, empty)
            return None
        if parsed.utf16_length > limit:
            raise ApiError(400, too_long)
        parsed.entities = [self._mention(e) for e in parsed.entities]
        return parsed

    def _mention(self, entity: JSON) -> JSON:
        """``tg://user?id=N`` links to a user the bot knows become text_mention, as on Telegram."""
        if entity["type"] != "text_link":
            return entity
        match = re.fullmatch(r"tg://user\?id=(\d+)", str(entity.get("url", "")))
        user = self.state.users.get(int(match.group(1))) if match else None
        if user is None:
            return entity
        mention: JSON = {"type": "text_mention", "offset": entity["offset"]}
        mention["length"] = entity["length"]
        mention["user"] = user.to_api()
        return mention

    def _markup(self, p: Params, inline_only: bool = False) -> JSON | None:
        error = "Bad Request: can't parse reply keyboard markup JSON object"
        markup = _json(p.get("reply_markup"), error)
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, error)
        if "inline_keyboard" not in markup:
            if inline_only:
                raise ApiError(400, "Bad Request: can't parse inline keyboard markup JSON object")
            if "keyboard" in markup or "remove_keyboard" in markup or "force_reply" in markup:
                return dict(markup)
            raise ApiError(400, error)
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ApiError(
                400,
                'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be '
                "an Array of Arrays",
            )
        clean_rows: list[list[JSON]] = []
        count = 0
        for row in rows:
            clean_row: list[JSON] = []
            for button in row:
                clean_row.append(self._button(button))
                count += 1
            if clean_row:
                clean_rows.append(clean_row)
        if count > MAX_BUTTONS:
            raise ApiError(400, "Bad Request: too many inline keyboard buttons")
        return {"inline_keyboard": clean_rows}

    def _button(self, button: Any) -> JSON:
        prefix = "Bad Request: can't parse inline keyboard button: "
        if not isinstance(button, dict):
            raise ApiError(400, prefix + "InlineKeyboardButton must be an Object")
        text = button.get("text")
        if not isinstance(text, str):
            raise ApiError(400, prefix + 'Field "text" must be of type String')
        if not text.strip():
            raise ApiError(400, "Bad Request: BUTTON_TEXT_INVALID")
        kinds = [k for k in _BUTTON_KINDS if k in button]
        if not kinds:
            raise ApiError(400, prefix + "Text buttons are unallowed in the inline keyboard")
        clean: JSON = {"text": text}
        for kind in kinds:
            clean[kind] = button[kind]
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not re.match(r"^(https?|tg)://\S+$", url.strip()):
                raise ApiError(
                    400, f"Bad Request: inline keyboard button URL '{url}' is invalid: Wrong URL"
                )
        return clean

    def _reply_to(self, p: Params, user: SandboxUser) -> int | None:
        params = _json(p.get("reply_parameters"), "Bad Request: can't parse reply parameters")
        allow = _flag(p.get("allow_sending_without_reply"))
        target: int | None = None
        if isinstance(params, dict):
            target = _int(params.get("message_id"))
            allow = allow or _flag(params.get("allow_sending_without_reply"))
        if target is None:
            target = _int(p.get("reply_to_message_id"))
        if target is None or target == 0:
            return None
        if self.state.find_message(user.id, target) is None:
            if allow:
                return None
            raise ApiError(400, "Bad Request: message to be replied not found")
        return target

    def _flood_check(self, user: SandboxUser) -> None:
        wait = self.state.flood_wait(user.id)
        if wait:
            self.state.stats.rate_limited += 1
            raise ApiError(429, f"Too Many Requests: retry after {wait}", retry_after=wait)

    async def _input_file(self, p: Params, field: str, kind: str) -> StoredFile | list[StoredFile]:
        """Resolve a file argument: multipart upload, attach://name, file_id or HTTP URL."""
        value = p.get(field)
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value[len("attach://") :])
            if not isinstance(value, Upload):
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        if value is None or value == "":
            raise ApiError(400, f"Bad Request: there is no {field} in the request")
        if isinstance(value, Upload):
            return self._store_upload(value.content, value.filename, value.content_type, kind)
        if not isinstance(value, str):
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        if re.match(r"^https?://", value):
            try:
                async with httpx.AsyncClient(timeout=10.0, follow_redirects=True) as client:
                    response = await client.get(value)
                response.raise_for_status()
            except httpx.HTTPError as exc:
                raise ApiError(400, "Bad Request: failed to get HTTP URL content") from exc
            name = value.rstrip("/").rsplit("/", 1)[-1] or None
            return self._store_upload(
                response.content, name, response.headers.get("content-type"), kind
            )
        stored = self.state.files.get(value.strip())
        if stored is None:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        if stored.kind != kind:
            raise ApiError(
                400,
                f"Bad Request: can't use file of type {stored.kind.capitalize()} "
                f"as {kind.capitalize()}",
            )
        if kind == "photo":
            return self.state.photo_groups[stored.group]
        return stored

    def _store_upload(
        self, content: bytes, filename: str | None, content_type: str | None, kind: str
    ) -> StoredFile | list[StoredFile]:
        if not content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        if len(content) > MAX_UPLOAD:
            raise ApiError(413, "Request Entity Too Large")
        if kind == "photo":
            if image_size(content) is None:
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
            return self.state.add_photo(content)
        mime = content_type if content_type and content_type != "application/octet-stream" else None
        return self.state.add_document(content, filename or "document", mime)

    # -- methods: identity and updates -------------------------------------------------------

    async def m_get_me(self, p: Params) -> Any:
        return {
            **self.state.bot_user_api(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def m_log_out(self, p: Params) -> Any:
        return True

    async def m_close(self, p: Params) -> Any:
        return True

    def _set_allowed_updates(self, value: Any) -> None:
        allowed = _json(value, "Bad Request: can't parse allowed updates")
        if allowed is None:
            return
        if not isinstance(allowed, list):
            raise ApiError(400, "Bad Request: can't parse allowed updates")
        kinds = {str(a) for a in allowed}
        self.state.allowed_updates = frozenset(kinds) if kinds else DEFAULT_ALLOWED_UPDATES

    async def m_get_updates(self, p: Params) -> Any:
        state = self.state
        if state.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _int(p.get("offset")) or 0
        limit = _int(p.get("limit")) or 100
        limit = min(max(limit, 1), 100)
        timeout = float(min(max(_int(p.get("timeout")) or 0, 0), 60))
        self._set_allowed_updates(p.get("allowed_updates"))
        state.confirm_updates(offset)
        state.poll_generation += 1
        generation = state.poll_generation
        state.update_notifier.fire()  # an older long poll must give way to this one
        deadline = time.monotonic() + timeout
        while True:
            if state.poll_generation != generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
            if state.webhook is not None:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            batch = state.updates[:limit]
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or state.closing:
                return batch
            await state.update_notifier.wait(remaining)

    async def m_set_webhook(self, p: Params) -> Any:
        url = (_str(p.get("url")) or "").strip()
        if not url:
            return await self.m_delete_webhook(p)
        if not re.match(r"^https?://[^\s/]+", url):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        secret = _str(p.get("secret_token"))
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self._set_allowed_updates(p.get("allowed_updates"))
        if _flag(p.get("drop_pending_updates")):
            self.state.updates.clear()
        max_connections = _int(p.get("max_connections")) or 40
        same = self.state.webhook is not None and self.state.webhook.url == url
        self.state.webhook = WebhookConfig(
            url,
            secret_token=secret,
            max_connections=min(max(max_connections, 1), 100),
            ip_address=_str(p.get("ip_address")),
            has_custom_certificate=isinstance(p.get("certificate"), Upload),
        )
        self.state.webhook_notifier.fire()
        self.state.update_notifier.fire()
        return Described(True, "Webhook is already set" if same else "Webhook was set")

    async def m_delete_webhook(self, p: Params) -> Any:
        if _flag(p.get("drop_pending_updates")):
            self.state.updates.clear()
        was_set = self.state.webhook is not None
        self.state.webhook = None
        self.state.webhook_notifier.fire()
        return Described(True, "Webhook was deleted" if was_set else "Webhook is already deleted")

    async def m_get_webhook_info(self, p: Params) -> Any:
        state = self.state
        hook = state.webhook
        info: JSON = {
            "url": hook.url if hook else "",
            "has_custom_certificate": bool(hook and hook.has_custom_certificate),
            "pending_update_count": len(state.updates),
        }
        if hook is not None:
            info["max_connections"] = hook.max_connections
            if hook.ip_address:
                info["ip_address"] = hook.ip_address
            if state.allowed_updates != DEFAULT_ALLOWED_UPDATES:
                info["allowed_updates"] = sorted(state.allowed_updates)
        if state.webhook_last_error_date is not None:
            info["last_error_date"] = state.webhook_last_error_date
            info["last_error_message"] = state.webhook_last_error_message
        return info

    # -- methods: messages -------------------------------------------------------------------

    async def m_send_message(self, p: Params) -> Any:
        user = self._reachable_user(p)
        parsed = self._formatted(
            p,
            "text",
            "entities",
            MAX_TEXT,
            "Bad Request: message is too long",
            "Bad Request: message text is empty",
        )
        assert parsed is not None
        markup = self._markup(p)
        reply_to = self._reply_to(p, user)
        self._flood_check(user)
        self.state.take_send_token(user.id)
        msg = self.state.add_message(
            user.id,
            from_bot=True,
            text=parsed.text,
            entities=parsed.entities,
            reply_markup=markup,
            reply_to=reply_to,
        )
        return self.state.message_to_api(msg)

    async def _send_media(self, p: Params, kind: str) -> Any:
        user = self._reachable_user(p)
        caption = self._formatted(
            p,
            "caption",
            "caption_entities",
            MAX_CAPTION,
            "Bad Request: message caption is too long",
            None,
        )
        markup = self._markup(p)
        reply_to = self._reply_to(p, user)
        stored = await self._input_file(p, kind, kind)
        self._flood_check(user)
        self.state.take_send_token(user.id)
        fields: dict[str, Any] = {
            "caption": caption.text if caption else None,
            "entities": caption.entities if caption else [],
            "reply_markup": markup,
            "reply_to": reply_to,
        }
        if isinstance(stored, list):
            fields["photo"] = stored
        else:
            fields["document"] = stored
        msg = self.state.add_message(user.id, from_bot=True, **fields)
        return self.state.message_to_api(msg)

    async def m_send_photo(self, p: Params) -> Any:
        return await self._send_media(p, "photo")

    async def m_send_document(self, p: Params) -> Any:
        return await self._send_media(p, "document")

    def _editable(self, p: Params) -> StoredMessage:
        user = self._reachable_user(p)
        message_id = self._message_id(p)
        msg = self.state.find_message(user.id, message_id)
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if not msg.from_bot:
            raise ApiError(400, "Bad Request: message can't be edited")
        return msg

    @staticmethod
    def _inline(msg: StoredMessage) -> JSON | None:
        markup = msg.reply_markup
        return markup if markup and "inline_keyboard" in markup else None

    async def m_edit_message_text(self, p: Params) -> Any:
        msg = self._editable(p)
        if msg.text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        parsed = self._formatted(
            p,
            "text",
            "entities",
            MAX_TEXT,
            "Bad Request: message is too long",
            "Bad Request: message text is empty",
        )
        assert parsed is not None
        markup = self._markup(p, inline_only=True)
        if (
            parsed.text == msg.text
            and parsed.entities == msg.entities
            and markup == self._inline(msg)
        ):
            raise ApiError(400, NOT_MODIFIED)
        msg.text = parsed.text
        msg.entities = parsed.entities
        msg.reply_markup = markup
        self.state.message_changed(msg)
        return self.state.message_to_api(msg)

    async def m_edit_message_caption(self, p: Params) -> Any:
        msg = self._editable(p)
        if msg.photo is None and msg.document is None:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        caption = self._formatted(
            p,
            "caption",
            "caption_entities",
            MAX_CAPTION,
            "Bad Request: message caption is too long",
            None,
        )
        markup = self._markup(p, inline_only=True)
        new_text = caption.text if caption else None
        new_entities = caption.entities if caption else []
        if new_text == msg.caption and new_entities == msg.entities and markup == self._inline(msg):
            raise ApiError(400, NOT_MODIFIED)
        msg.caption = new_text
        msg.entities = new_entities
        msg.reply_markup = markup
        self.state.message_changed(msg)
        return self.state.message_to_api(msg)

    async def m_edit_message_reply_markup(self, p: Params) -> Any:
        msg = self._editable(p)
        markup = self._markup(p, inline_only=True)
        if markup == self._inline(msg):
            raise ApiError(400, NOT_MODIFIED)
        msg.reply_markup = markup
        self.state.message_changed(msg)
        return self.state.message_to_api(msg)

    async def m_delete_message(self, p: Params) -> Any:
        user = self._known_user(p)
        message_id = self._message_id(p)
        msg = self.state.find_message(user.id, message_id)
        if msg is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        self.state.delete_message(msg)
        return True

    async def m_delete_messages(self, p: Params) -> Any:
        user = self._known_user(p)
        ids = _json(p.get("message_ids"), "Bad Request: can't parse message identifiers")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise ApiError(400, "Bad Request: message identifiers are not specified")
        for raw in ids:
            message_id = _int(raw)
            msg = self.state.find_message(user.id, message_id) if message_id else None
            if msg is not None:
                self.state.delete_message(msg)
        return True

    async def m_answer_callback_query(self, p: Params) -> Any:
        query_id = _str(p.get("callback_query_id")) or ""
        query = self.state.callback_queries.get(query_id)
        if (
            query is None
            or query.answered
            or time.monotonic() - query.created_at > CALLBACK_QUERY_TTL
        ):
            raise ApiError(400, QUERY_TOO_OLD)
        text = _str(p.get("text"))
        if text is not None and utf16_len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query.answered = True
        query.answer = {
            "text": text,
            "show_alert": _flag(p.get("show_alert")),
            "url": _str(p.get("url")),
            "cache_time": _int(p.get("cache_time")) or 0,
        }
        self.state.stats.callback_answers += 1
        self.state.mark_bot_activity(query.user_id)
        return True

    async def m_send_chat_action(self, p: Params) -> Any:
        self._reachable_user(p)
        action = _str(p.get("action")) or ""
        if action not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def m_get_file(self, p: Params) -> Any:
        file_id = (_str(p.get("file_id")) or "").strip()
        stored = self.state.files.get(file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if stored.size > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")
        return stored.file_api()

    # -- methods: commands and bot profile ---------------------------------------------------

    def _scope_and_language(self, p: Params) -> tuple[str, str]:
        scope = _json(p.get("scope"), "Bad Request: can't parse BotCommandScope JSON object")
        if scope is not None and (not isinstance(scope, dict) or "type" not in scope):
            raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
        language = _str(p.get("language_code")) or ""
        if language and not re.fullmatch(r"[a-zA-Z]{2}", language):
            raise ApiError(400, "Bad Request: invalid language code specified")
        return scope_key(scope), language.lower()

    async def m_set_my_commands(self, p: Params) -> Any:
        commands = _json(p.get("commands"), "Bad Request: can't parse commands JSON object")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        clean: list[JSON] = []
        for command in commands:
            if not isinstance(command, dict):
                raise ApiError(400, "Bad Request: can't parse commands JSON object")
            name = str(command.get("command", "")).lstrip("/")
            description = str(command.get("description", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(description.strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": name, "description": description})
        key = self._scope_and_language(p)
        if clean:
            self.state.commands[key] = clean
        else:
            self.state.commands.pop(key, None)
        return True

    async def m_get_my_commands(self, p: Params) -> Any:
        return list(self.state.commands.get(self._scope_and_language(p), []))

    async def m_delete_my_commands(self, p: Params) -> Any:
        self.state.commands.pop(self._scope_and_language(p), None)
        return True

    async def m_set_chat_menu_button(self, p: Params) -> Any:
        chat_id = _int(p.get("chat_id"))
        if chat_id is not None and chat_id not in self.state.users:
            raise ApiError(400, "Bad Request: chat not found")
        button = _json(p.get("menu_button"), "Bad Request: can't parse menu button JSON object")
        if not isinstance(button, dict):
            button = {"type": "default"}
        self.state.menu_buttons[chat_id] = button
        return True

    async def m_get_chat_menu_button(self, p: Params) -> Any:
        chat_id = _int(p.get("chat_id"))
        buttons = self.state.menu_buttons
        return buttons.get(chat_id) or buttons.get(None) or {"type": "commands"}

    def _bot_text(self, p: Params, kind: str, limit: int) -> Any:
        text = _str(p.get(kind)) or ""
        if len(text) > limit:
            raise ApiError(400, f"Bad Request: {kind} is too long")
        language = (_str(p.get("language_code")) or "").lower()
        self.state.bot_texts[(kind, language)] = text
        return True

    def _get_bot_text(self, p: Params, kind: str) -> Any:
        language = (_str(p.get("language_code")) or "").lower()
        texts = self.state.bot_texts
        default = self.state.bot_first_name if kind == "name" else ""
        return {kind: texts.get((kind, language)) or texts.get((kind, "")) or default}

    async def m_set_my_description(self, p: Params) -> Any:
        return self._bot_text(p, "description", 512)

    async def m_get_my_description(self, p: Params) -> Any:
        return self._get_bot_text(p, "description")

    async def m_set_my_short_description(self, p: Params) -> Any:
        return self._bot_text(p, "short_description", 120)

    async def m_get_my_short_description(self, p: Params) -> Any:
        return self._get_bot_text(p, "short_description")

    async def m_set_my_name(self, p: Params) -> Any:
        return self._bot_text(p, "name", 64)

    async def m_get_my_name(self, p: Params) -> Any:
        return self._get_bot_text(p, "name")

    async def m_set_my_default_administrator_rights(self, p: Params) -> Any:
        return True

    async def m_get_my_default_administrator_rights(self, p: Params) -> Any:
        names = (
            "is_anonymous",
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_promote_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
        )
        return dict.fromkeys(names, False)

    # -- methods: chats ----------------------------------------------------------------------

    async def m_get_chat(self, p: Params) -> Any:
        user = self._known_user(p)
        return {
            **user.chat_api(),
            "accent_color_id": user.id % 7,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": True,
                "limited_gifts": True,
                "unique_gifts": True,
                "premium_subscription": True,
            },
        }

    async def m_get_chat_member(self, p: Params) -> Any:
        user = self._known_user(p)
        member_id = _int(p.get("user_id"))
        if member_id == self.state.bot_id:
            status = "kicked" if user.blocked else "member"
            result: JSON = {"user": self.state.bot_user_api(), "status": status}
            if status == "kicked":
                result["until_date"] = 0
            return result
        if member_id != user.id:
            raise ApiError(400, "Bad Request: user not found")
        return {"user": user.to_api(), "status": "member"}

    async def m_get_user_profile_photos(self, p: Params) -> Any:
        user_id = _int(p.get("user_id"))
        if user_id not in self.state.users:
            raise ApiError(400, "Bad Request: user not found")
        return {"total_count": 0, "photos": []}

    async def m_set_message_reaction(self, p: Params) -> Any:
        user = self._reachable_user(p)
        if self.state.find_message(user.id, self._message_id(p)) is None:
            raise ApiError(400, "Bad Request: message to react not found")
        return True

    async def m_pin_chat_message(self, p: Params) -> Any:
        user = self._reachable_user(p)
        if self.state.find_message(user.id, self._message_id(p)) is None:
            raise ApiError(400, "Bad Request: message to pin not found")
        return True

    async def m_unpin_chat_message(self, p: Params) -> Any:
        self._reachable_user(p)
        return True

    async def m_unpin_all_chat_messages(self, p: Params) -> Any:
        self._reachable_user(p)
        return True


def _describe_failure(exc: httpx.HTTPError) -> str:
    """Webhook error text in Telegram's words."""
    if isinstance(exc, httpx.ConnectTimeout):
        return "Connection timed out"
    if isinstance(exc, httpx.TimeoutException):
        return "Read timeout expired"
    if isinstance(exc, httpx.ConnectError):
        return "Connection refused"
    return f"Connection error: {exc.__class__.__name__}"


async def deliver_webhooks(state: SandboxState, api: BotApi) -> None:
    """POST pending updates to the webhook, one at a time and in order, with backoff.

    Like Telegram, an update is removed only after a 2xx answer; a JSON answer carrying a
    ``method`` is executed as a Bot API call.
    """
    backoff = state.webhook_retry_min
    async with httpx.AsyncClient(timeout=state.webhook_timeout) as client:
        while not state.closing:
            hook = state.webhook
            if hook is None or not state.updates:
                await state.webhook_notifier.wait(3600)
                continue
            update = state.updates[0]
            headers = {"Content-Type": "application/json"}
            if hook.secret_token:
                headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
            error: str | None = None
            reply: Any = None
            try:
                response = await client.post(hook.url, content=json.dumps(update), headers=headers)
            except httpx.HTTPError as exc:
                error = _describe_failure(exc)
            except Exception as exc:  # a bad URL must not kill delivery for good
                error = f"Failed to deliver the update: {exc}"
            else:
                if 200 <= response.status_code < 300:
                    try:
                        reply = response.json() if response.content else None
                    except ValueError:
                        reply = None
                else:
                    phrase = response.reason_phrase
                    if not phrase:
                        try:
                            phrase = HTTPStatus(response.status_code).phrase
                        except ValueError:
                            phrase = ""
                    error = f"Wrong response from the webhook: {response.status_code} {phrase}"
                    error = error.rstrip()
            if error is None:
                if state.updates and state.updates[0] is update:
                    state.updates.pop(0)
                state.stats.webhook_deliveries += 1
                backoff = state.webhook_retry_min
                if isinstance(reply, dict) and isinstance(reply.get("method"), str):
                    params = {k: v for k, v in reply.items() if k != "method"}
                    try:
                        await api.call(reply["method"], params)
                    except ApiError as err:
                        state.stats.errors[str(err.code)] += 1
                    except Exception:
                        logger.exception("sandbox failed on webhook reply %s", reply["method"])
                continue
            state.webhook_last_error_date = state.now()
            state.webhook_last_error_message = error
            state.stats.webhook_failures += 1
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, state.webhook_retry_max)
            if not math.isfinite(backoff):
                backoff = state.webhook_retry_max
