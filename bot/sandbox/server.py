"""``Sandbox``: the FastAPI app plus a uvicorn server running inside the caller's event loop.

Running in-loop (not in a thread or subprocess) lets tests and ``kinerja-bot sandbox`` start the
sandbox and the bot side by side and inspect ``Sandbox.state`` directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from importlib import resources
from types import TracebackType

import uvicorn
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response

from .botapi import BotApi, deliver_webhooks
from .state import SandboxState
from .testapi import build_test_router


def _static(name: str) -> bytes:
    return resources.files(__package__ or "bot.sandbox").joinpath("static", name).read_bytes()


def build_app(state: SandboxState, api: BotApi) -> FastAPI:
    """The ASGI app: Bot API, file downloads, /sandbox test API and the web chat."""
    app = FastAPI(title="Telegram Bot API sandbox", docs_url="/sandbox/docs", redoc_url=None)
    app.add_route("/bot{token}/{method}", api.endpoint, methods=["GET", "POST"])

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # ASCII-escaped: the default answer echoes the input and crashes on a lone surrogate.
        body = json.dumps({"detail": jsonable_encoder(exc.errors())}, ensure_ascii=True)
        return Response(body, status_code=422, media_type="application/json")

    @app.get("/file/bot{token}/{file_path:path}", include_in_schema=False)
    async def download(token: str, file_path: str) -> Response:
        stored = state.file_by_path(file_path) if token == state.token else None
        if stored is None:
            return Response(
                b'{"ok":false,"error_code":404,"description":"Not Found"}',
                status_code=404,
                media_type="application/json",
            )
        return Response(stored.content, media_type=stored.mime_type or "application/octet-stream")

    app.include_router(build_test_router(state))

    @app.get("/", include_in_schema=False)
    async def index() -> HTMLResponse:
        return HTMLResponse(_static("index.html"), headers={"Cache-Control": "no-store"})

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        types = {"js": "text/javascript", "css": "text/css", "svg": "image/svg+xml"}
        kind = types.get(name.rsplit(".", 1)[-1])
        if kind is None or "/" in name or name.startswith("."):
            return Response(status_code=404)
        try:
            content = _static(name)
        except (FileNotFoundError, IsADirectoryError):
            return Response(status_code=404)
        return Response(content, media_type=kind, headers={"Cache-Control": "no-store"})

    return app


class Sandbox:
    """A local Telegram Bot API + users, for tests and for trying the bot by hand."""

    def __init__(
        self,
        token: str = "123456789:SANDBOX-token",
        bot_username: str = "kinerja_bot",
        bot_first_name: str = "Kinerja Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        per_chat_rate: float = 1.0,
        per_chat_burst: int = 20,
        global_rate: float = 30.0,
        global_burst: int = 30,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.state = SandboxState(
            token,
            bot_username,
            bot_first_name,
            per_chat_rate=per_chat_rate,
            per_chat_burst=per_chat_burst,
            global_rate=global_rate,
            global_burst=global_burst,
        )
        self.api = BotApi(self.state)
        self.app = build_app(self.state, self.api)
        self._server: uvicorn.Server | None = None
        self._tick_task: asyncio.Task[None] | None = None
        self._webhook_task: asyncio.Task[None] | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def api_base_url(self) -> str:
        return self.base_url + "/bot"

    @property
    def file_base_url(self) -> str:
        return self.base_url + "/file/bot"

    async def start(self) -> None:
        """Bind (port 0 picks a free port), start serving on this loop, return when listening.

        uvicorn's startup and tick loop are driven directly instead of ``Server.serve()``: that
        one installs signal handlers (the host application owns Ctrl-C) and its graceful
        shutdown costs a few hundred milliseconds, which adds up over a test suite.
        """
        if self._server is not None:
            raise RuntimeError("sandbox already started")
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            # Without this, accepted connections inherit Nagle and every answer waits ~40 ms
            # for the client's delayed ACK.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.bind((self.host, self.port))
            sock.listen(128)
            sock.setblocking(False)
        except OSError:
            sock.close()
            raise
        self.port = int(sock.getsockname()[1])
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            timeout_keep_alive=30,
        )
        config.load()
        server = uvicorn.Server(config)
        server.lifespan = config.lifespan_class(config)
        self.state.closing = False
        await server.startup(sockets=[sock])
        self._server = server
        self._tick_task = asyncio.create_task(server.main_loop())  # keeps the Date header fresh
        self._webhook_task = asyncio.create_task(deliver_webhooks(self.state, self.api))

    async def stop(self) -> None:
        """Release long polls, stop webhook delivery, close connections and the listener."""
        state = self.state
        state.closing = True
        for notifier in [state.update_notifier, state.webhook_notifier, state.users_notifier]:
            notifier.fire()
        for chat in state.chats.values():
            chat.notifier.fire()
        for task in (self._webhook_task, self._tick_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._webhook_task = self._tick_task = None
        server = self._server
        if server is None:
            return
        self._server = None
        for listener in server.servers:
            listener.close()
        for connection in list(server.server_state.connections):
            connection.shutdown()  # idle keep-alive connections close now, busy ones after reply
        # uvicorn offers no event for "all connections closed": check briefly, at most 2 s.
        for _ in range(400):
            if not server.server_state.connections:
                break
            await asyncio.sleep(0.005)
        for task in list(server.server_state.tasks):
            task.cancel()
        for listener in server.servers:
            await listener.wait_closed()

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
