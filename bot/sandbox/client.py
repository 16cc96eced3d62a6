"""Async client for the sandbox's ``/sandbox/`` test API (what the e2e tests drive)."""

from __future__ import annotations

import base64
from types import TracebackType
from typing import Any

import httpx

JSON = dict[str, Any]


class SandboxError(RuntimeError):
    """The sandbox refused a test-side call (unknown user, no such button, bad input)."""

    def __init__(self, status_code: int, detail: Any) -> None:
        super().__init__(f"{status_code}: {detail}")
        self.status_code = status_code
        self.detail = detail


class SandboxClient:
    """Plays Telegram users against a running sandbox over HTTP."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(
        self,
        method: str,
        path: str,
        body: JSON | None = None,
        wait: float = 0.0,
        params: dict[str, Any] | None = None,
    ) -> Any:
        response = await self._http.request(
            method, path, json=body, params=params, timeout=max(self.timeout, wait + 10.0)
        )
        if response.status_code >= 400:
            try:
                detail = response.json().get("detail", response.text)
            except ValueError:
                detail = response.text
            raise SandboxError(response.status_code, detail)
        return response.json()

    # -- users -------------------------------------------------------------------------------

    async def create_user(
        self,
        id: int,
        first_name: str,
        username: str | None = None,
        language_code: str = "id",
    ) -> JSON:
        body = {
            "id": id,
            "first_name": first_name,
            "username": username,
            "language_code": language_code,
        }
        result: JSON = await self._call("POST", "/sandbox/users", body)
        return result

    async def users(self) -> list[JSON]:
        result: list[JSON] = await self._call("GET", "/sandbox/users")
        return result

    async def block(self, user_id: int) -> JSON:
        result: JSON = await self._call("POST", f"/sandbox/users/{user_id}/block")
        return result

    async def unblock(self, user_id: int) -> JSON:
        result: JSON = await self._call("POST", f"/sandbox/users/{user_id}/unblock")
        return result

    # -- talking -----------------------------------------------------------------------------

    async def send(self, user_id: int, text: str, wait: float = 2.0) -> JSON:
        """The user writes ``text``; returns {"message_id", "replies"}."""
        body = {"text": text, "wait": wait}
        result: JSON = await self._call("POST", f"/sandbox/users/{user_id}/messages", body, wait)
        return result

    async def send_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        caption: str | None = None,
        wait: float = 2.0,
    ) -> JSON:
        body: JSON = {
            "document": {
                "file_name": file_name,
                "content_base64": base64.b64encode(content).decode("ascii"),
            },
            "caption": caption,
            "wait": wait,
        }
        result: JSON = await self._call("POST", f"/sandbox/users/{user_id}/messages", body, wait)
        return result

    async def send_photo(
        self, user_id: int, content: bytes, caption: str | None = None, wait: float = 2.0
    ) -> JSON:
        body: JSON = {
            "photo": {"content_base64": base64.b64encode(content).decode("ascii")},
            "caption": caption,
            "wait": wait,
        }
        result: JSON = await self._call("POST", f"/sandbox/users/{user_id}/messages", body, wait)
        return result

    async def press(
        self,
        user_id: int,
        message_id: int,
        button: str | None = None,
        callback_data: str | None = None,
        wait: float = 2.0,
    ) -> JSON:
        """Tap a button by its text, or send raw callback_data; returns the answer and replies."""
        body: JSON = {"message_id": message_id, "wait": wait}
        if button is not None:
            body["button"] = button
        if callback_data is not None:
            body["callback_data"] = callback_data
        result: JSON = await self._call("POST", f"/sandbox/users/{user_id}/press", body, wait)
        return result

    async def chat(self, user_id: int) -> list[JSON]:
        """The chat as the user sees it now (edits applied, deleted messages gone)."""
        result: list[JSON] = await self._call("GET", f"/sandbox/users/{user_id}/chat")
        return result

    async def commands(self, user_id: int) -> list[JSON]:
        """The command menu this user would see."""
        result: list[JSON] = await self._call("GET", f"/sandbox/users/{user_id}/commands")
        return result

    # -- the sandbox itself ------------------------------------------------------------------

    async def faults(
        self,
        error_rate: float = 0.0,
        codes: list[int] | None = None,
        latency_ms: int = 0,
        methods: list[str] | None = None,
        seed: int | None = None,
        latency_methods: list[str] | None = None,
        timeout_rate: float = 0.0,
        timeout_ms: int = 35_000,
        timeout_methods: list[str] | None = None,
    ) -> JSON:
        """Inject failures: ``methods`` limits errors, ``latency_methods`` limits latency;
        ``timeout_rate`` of the requests (to ``timeout_methods``) are carried out and then
        answered only after ``timeout_ms``, past the client's read timeout."""
        body: JSON = {
            "error_rate": error_rate,
            "codes": codes,
            "latency_ms": latency_ms,
            "methods": methods,
            "latency_methods": latency_methods,
            "seed": seed,
        }
        if timeout_rate:  # left out otherwise: an older sandbox accepts the body as before
            body.update(
                timeout_rate=timeout_rate, timeout_ms=timeout_ms, timeout_methods=timeout_methods
            )
        result: JSON = await self._call("POST", "/sandbox/faults", body)
        return result

    async def stats(self) -> JSON:
        result: JSON = await self._call("GET", "/sandbox/stats")
        return result

    async def reset(self, everything: bool = False) -> JSON:
        """Clear stats and faults; with ``everything`` also users, chats, updates and files."""
        result: JSON = await self._call("POST", "/sandbox/reset", {"everything": everything})
        return result

    async def bot(self) -> JSON:
        """The bot's identity and webhook/pending-update status."""
        result: JSON = await self._call("GET", "/sandbox/bot")
        return result
