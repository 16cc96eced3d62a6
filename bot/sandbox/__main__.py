"""``python -m bot.sandbox [--port 8080]``: run the sandbox alone, for developing a bot by hand."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from .server import Sandbox


async def _serve(args: argparse.Namespace) -> None:
    sandbox = Sandbox(
        token=args.token,
        bot_username=args.bot_username,
        bot_first_name=args.bot_name,
        host=args.host,
        port=args.port,
    )
    await sandbox.start()
    print(f"Web chat:     {sandbox.base_url}/", flush=True)
    print(f"Bot API base: {sandbox.api_base_url}  (token {sandbox.token})", flush=True)
    print(f"Files base:   {sandbox.file_base_url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await sandbox.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    parser.add_argument("--token", default="123456789:SANDBOX-token")
    parser.add_argument("--bot-username", default="kinerja_bot")
    parser.add_argument("--bot-name", default="Kinerja Bot")
    asyncio.run(_serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
