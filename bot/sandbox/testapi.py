"""The people's side of the sandbox: ``/sandbox/...`` JSON routes (DESIGN §5 contract).

Tests and the web chat act as Telegram users here: create users, write, press buttons, block
the bot, read the chat as the user sees it, and inject faults. Actions that expect an answer
take ``wait`` and return the bot's replies once it has been quiet for 0.3 s (an in-process
harness that tells the sandbox when its bot is idle ends the wait sooner: ``wait_for_bot``).
"""

import base64
import binascii
import time
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from .html_entities import utf16_len
from .state import JSON, Faults, SandboxState, SandboxUser

MAX_WAIT = 120.0
MAX_TEXT = 4096  # UTF-16 code units, as Telegram counts
MAX_CALLBACK_DATA = 64  # bytes


class UserIn(BaseModel):
    id: int
    first_name: str = Field(min_length=1, max_length=64)
    username: str | None = None
    language_code: str = "id"
    last_name: str | None = None


class FileIn(BaseModel):
    content_base64: str
    file_name: str | None = None


class MessageIn(BaseModel):
    text: str | None = None
    document: FileIn | None = None
    photo: FileIn | None = None
    caption: str | None = None
    reply_to_message_id: int | None = None
    wait: float = 2.0


class PressIn(BaseModel):
    message_id: int
    button: str | None = None
    callback_data: str | None = None
    wait: float = 2.0


class FaultsIn(BaseModel):
    error_rate: float = Field(0.0, ge=0.0, le=1.0)
    codes: list[int] | None = None
    latency_ms: int = Field(0, ge=0, le=60_000)
    methods: list[str] | None = None
    latency_methods: list[str] | None = None  # None: latency on every method
    seed: int | None = None
    # Optional (older clients leave them out): see Faults in state.py.
    timeout_rate: float = Field(0.0, ge=0.0, le=1.0)
    timeout_ms: int = Field(35_000, ge=0, le=300_000)
    timeout_methods: list[str] | None = None  # None: every method except getUpdates


class ResetIn(BaseModel):
    everything: bool = False


def _decode(content: str) -> bytes:
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise HTTPException(400, "content_base64 is not valid base64") from exc


def _require_utf8(*values: str | None) -> None:
    """A lone surrogate cannot be sent by a real client and would poison getUpdates: refuse."""
    for value in values:
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise HTTPException(400, "text is not valid UTF-8 (lone surrogate)") from exc


def build_test_router(state: SandboxState) -> APIRouter:
    """Routes under /sandbox bound to one sandbox's state."""
    router = APIRouter(prefix="/sandbox")

    def user_or_404(user_id: int) -> SandboxUser:
        user = state.users.get(user_id)
        if user is None:
            raise HTTPException(404, f"user {user_id} not found")
        return user

    def clamp(wait: float) -> float:
        return min(max(wait, 0.0), MAX_WAIT)

    @router.get("/bot")
    async def bot_info() -> JSON:
        return {
            **state.bot_user_api(),
            "token": state.token,
            "webhook_url": state.webhook.url if state.webhook else None,
            "pending_update_count": len(state.updates),
        }

    @router.post("/users")
    async def create_user(body: UserIn) -> JSON:
        _require_utf8(body.first_name, body.username, body.last_name, body.language_code)
        user = state.upsert_user(
            body.id, body.first_name, body.username, body.language_code, body.last_name
        )
        return user.to_test()

    @router.get("/users")
    async def list_users() -> list[JSON]:
        return [u.to_test() for u in state.users.values()]

    @router.get("/users/{user_id}")
    async def get_user(user_id: int) -> JSON:
        return user_or_404(user_id).to_test()

    @router.post("/users/{user_id}/messages")
    async def send_message(user_id: int, body: MessageIn) -> JSON:
        user = user_or_404(user_id)
        _require_utf8(body.text, body.caption, body.document.file_name if body.document else None)
        if body.text is None and body.document is None and body.photo is None:
            raise HTTPException(400, "give text, document or photo")
        since = state.seq
        if body.document is not None:
            name = body.document.file_name or "document"
            msg = state.user_message(
                user,
                document=(name, _decode(body.document.content_base64)),
                caption=body.caption,
                reply_to=body.reply_to_message_id,
            )
        elif body.photo is not None:
            msg = state.user_message(
                user,
                photo=_decode(body.photo.content_base64),
                caption=body.caption,
                reply_to=body.reply_to_message_id,
            )
        else:
            text = body.text or ""
            if not text.strip():
                raise HTTPException(400, "text is empty")
            if utf16_len(text) > MAX_TEXT:
                raise HTTPException(400, "text is longer than 4096 UTF-16 code units")
            msg = state.user_message(user, text=text, reply_to=body.reply_to_message_id)
        await state.wait_for_bot(user.id, since, clamp(body.wait))
        return {"message_id": msg.message_id, "replies": state.changed_bot_messages(user.id, since)}

    @router.post("/users/{user_id}/press")
    async def press(user_id: int, body: PressIn) -> JSON:
        user = user_or_404(user_id)
        msg = state.find_message(user.id, body.message_id)
        if msg is None or not msg.from_bot:
            raise HTTPException(404, f"bot message {body.message_id} not found")
        data = body.callback_data
        if data is None:
            if body.button is None:
                raise HTTPException(400, "give button or callback_data")
            matches = [b for row in msg.buttons() for b in row if b.get("text") == body.button]
            if not matches:
                raise HTTPException(404, f"no button {body.button!r} on message {msg.message_id}")
            button = matches[0]
            if "callback_data" not in button:
                raise HTTPException(400, f"button {body.button!r} has no callback_data")
            data = str(button["callback_data"])
        _require_utf8(data)
        if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise HTTPException(400, "BUTTON_DATA_INVALID: callback_data must be 1-64 bytes")
        since = state.seq
        query = state.press(user, msg, data)
        await state.wait_for_bot(user.id, since, clamp(body.wait), until=lambda: query.answered)
        return {
            "callback_query_id": query.id,
            "answer": query.answer,
            "replies": state.changed_bot_messages(user.id, since),
        }

    @router.get("/users/{user_id}/chat")
    async def chat(
        user_id: int,
        after_version: Annotated[int | None, Query()] = None,
        poll_seconds: Annotated[float, Query(alias="timeout", ge=0, le=60)] = 0.0,
    ) -> Response:
        """The chat as the user sees it; with after_version, long-poll until it changes."""
        user = user_or_404(user_id)
        current = state.chat(user.id)
        if after_version is not None:
            deadline = time.monotonic() + poll_seconds
            while current.version == after_version and not state.closing:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                await current.notifier.wait(remaining)
                current = state.chat(user.id)
        return JSONResponse(
            state.chat_entries(user.id), headers={"X-Chat-Version": str(current.version)}
        )

    @router.get("/users/{user_id}/commands")
    async def commands(user_id: int) -> list[JSON]:
        return state.commands_for_user(user_or_404(user_id))

    @router.post("/users/{user_id}/block")
    async def block(user_id: int) -> JSON:
        user = user_or_404(user_id)
        state.set_blocked(user, True)
        return user.to_test()

    @router.post("/users/{user_id}/unblock")
    async def unblock(user_id: int) -> JSON:
        user = user_or_404(user_id)
        state.set_blocked(user, False)
        return user.to_test()

    @router.get("/files/{file_id}")
    async def file(file_id: str) -> Response:
        stored = state.files.get(file_id)
        if stored is None:
            raise HTTPException(404, "file not found")
        headers = {}
        if stored.kind == "document" and stored.file_name:
            safe = stored.file_name.replace('"', "")
            headers["Content-Disposition"] = f'inline; filename="{safe}"'
        media = stored.mime_type or "application/octet-stream"
        if stored.kind == "photo":
            media = _image_media_type(stored.content)
        return Response(stored.content, media_type=media, headers=headers)

    @router.post("/faults")
    async def faults(body: FaultsIn) -> JSON:
        state.faults = Faults(
            error_rate=body.error_rate,
            codes=list(body.codes) if body.codes else [500],
            latency_ms=body.latency_ms,
            methods=body.methods,
            latency_methods=body.latency_methods,
            timeout_rate=body.timeout_rate,
            timeout_ms=body.timeout_ms,
            timeout_methods=body.timeout_methods,
        )
        if body.seed is not None:
            state.rng.seed(body.seed)
        return state.faults.to_json()

    @router.get("/faults")
    async def get_faults() -> JSON:
        return state.faults.to_json()

    @router.get("/stats")
    async def stats() -> JSON:
        data: dict[str, Any] = state.stats.to_json()
        data["pending_updates"] = len(state.updates)
        return data

    @router.post("/reset")
    async def reset(body: ResetIn | None = None) -> JSON:
        state.reset(everything=bool(body and body.everything))
        return {"ok": True}

    return router


def _image_media_type(content: bytes) -> str:
    if content.startswith(b"\x89PNG"):
        return "image/png"
    if content[:3] == b"GIF":
        return "image/gif"
    if content[:4] == b"RIFF":
        return "image/webp"
    if content[:2] == b"BM":
        return "image/bmp"
    return "image/jpeg"
