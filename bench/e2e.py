"""End-to-end speed of our bot versus a bare python-telegram-bot echo bot, on one sandbox.

Run from the repository root: ``.venv/bin/python bench/e2e.py [--quick]``.

One in-process ``Sandbox`` plays Telegram. Each bot runs in its own child process (as it
would against the real Telegram), polling the sandbox:

* bare: ``ApplicationBuilder`` with the sandbox base URL and one ``MessageHandler`` that
  replies with the text (PTB defaults otherwise);
* ours: ``BotRuntime`` (bot/runtime.py) in polling mode on a temporary SQLite file, with
  one linked employee per simulated user, each with SKP items.

Users send, in rounds, ``/bantuan``, a free-text report the parser handles, and ``/batal``
(so every report starts a fresh draft). Messages are posted with ``SandboxClient.send(...,
wait=0)``; the round trip ends when the sandbox stores the bot's new reply in that chat:
the driver waits on the chat's notifier inside the sandbox, so neither the 0.3 s quiet
period of ``wait`` nor HTTP polling is counted. Sequential: one user, one message at a
time. Concurrent: U users at once, each sequential.

The sandbox's flood limits are lifted and our SEND_RATE_PER_SECOND is raised (see
--send-rate) so the numbers show update handling, not pacing; against Telegram both bots
would be capped near 30 messages/s anyway. Bots alternate over --reps repetitions and
the best repetition of each is shown, since the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

SCRIPT = Path(__file__).resolve()
ROOT = SCRIPT.parents[1]
sys.path.insert(0, str(ROOT))

from bot.sandbox import Sandbox, SandboxClient  # noqa: E402
from bot.sandbox.state import Chat, SandboxState  # noqa: E402

ROUND: tuple[tuple[str, str], ...] = (
    ("help", "/bantuan"),
    ("report", "menyusun RPP matematika kelas V 2 jam"),
    ("cancel", "/batal"),
)
SKP_TITLES = ("Menyusun RPP", "Melaksanakan pembelajaran di kelas", "Mengoreksi tugas siswa")
FIRST_USER = 700_001
REPLY_TIMEOUT = 30.0


# -- the bots (child processes) --------------------------------------------------------------


def _cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread (aiosqlite's too)
    return usage.ru_utime + usage.ru_stime


async def _serve_until_eof() -> None:
    """Tell the parent we are ready; when our stdin closes, report the CPU spent serving."""
    start = _cpu_seconds()
    print("READY", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    print(f"CPU {_cpu_seconds() - start:.4f}", flush=True)


async def run_bare(api_base_url: str, token: str) -> None:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.text:
            await message.reply_text(message.text)

    app = ApplicationBuilder().token(token).base_url(api_base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=10)
        await app.start()
        await _serve_until_eof()
        await app.updater.stop()
        await app.stop()


async def run_ours(api_base_url: str, token: str, database_url: str, send_rate: float) -> None:
    import logging

    from bot.config import Settings
    from bot.runtime import BotRuntime

    logging.basicConfig(level=logging.WARNING)
    settings = Settings(
        telegram_bot_token=token,
        telegram_api_base_url=api_base_url,
        database_url=database_url,
        send_rate_per_second=send_rate,
    )
    runtime = BotRuntime(settings)
    await runtime.start("polling", migrate=False)
    try:
        await _serve_until_eof()
    finally:
        await runtime.stop()


class Child:
    """A bot in its own process; ``stop`` closes its stdin, reads its CPU time, waits."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.cpu_seconds = float("nan")

    @classmethod
    async def start(cls, *args: str, profile: str | None = None) -> Child:
        python = [sys.executable]
        if profile:
            python += ["-m", "cProfile", "-o", profile]
        proc = await asyncio.create_subprocess_exec(
            *python,
            str(SCRIPT),
            "--child",
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            cwd=str(ROOT),
        )
        assert proc.stdout is not None
        line = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
        if line.strip() != b"READY":
            proc.kill()
            raise RuntimeError(f"bot child did not start: {line!r}")
        return cls(proc)

    async def stop(self) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.close()
        try:
            line = await asyncio.wait_for(self.proc.stdout.readline(), timeout=20)
            if line.startswith(b"CPU "):
                self.cpu_seconds = float(line.split()[1])
            await asyncio.wait_for(self.proc.wait(), timeout=20)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


# -- the driver ------------------------------------------------------------------------------


def _has_reply(chat: Chat, after_message_id: int) -> bool:
    for msg in reversed(chat.messages.values()):
        if msg.message_id <= after_message_id:
            return False
        if msg.from_bot and not msg.deleted:
            return True
    return False


async def round_trip(state: SandboxState, client: SandboxClient, user_id: int, text: str) -> float:
    """Seconds from posting the user's message to the sandbox storing the bot's reply."""
    chat = state.chat(user_id)
    started = time.monotonic()
    sent = await client.send(user_id, text, wait=0)
    message_id = int(sent["message_id"])
    deadline = started + REPLY_TIMEOUT
    # Single event loop: nothing changes the chat between the check and the wait.
    while not _has_reply(chat, message_id):
        if not await chat.notifier.wait(deadline - time.monotonic()):
            raise TimeoutError(f"no reply to {text!r} for user {user_id}")
    return time.monotonic() - started


@dataclass
class Run:
    messages: int
    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    @property
    def rate(self) -> float:
        return self.messages / self.seconds

    def all_latencies(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]


async def drive(state: SandboxState, client: SandboxClient, users: list[int], rounds: int) -> Run:
    run = Run(messages=len(users) * rounds * len(ROUND), seconds=0.0)

    async def one_user(user_id: int) -> None:
        for _ in range(rounds):
            for kind, text in ROUND:
                run.latencies[kind].append(await round_trip(state, client, user_id, text))

    started = time.monotonic()
    await asyncio.gather(*(one_user(u) for u in users))
    run.seconds = time.monotonic() - started
    return run


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- setup -----------------------------------------------------------------------------------


async def seed_database(database_url: str, users: list[int]) -> None:
    from storage.db import Database
    from storage.migrate import upgrade
    from storage.models import Employee, SkpItem

    db = Database(database_url)
    await upgrade(db)
    year = datetime.now(UTC).year
    async with db.session() as session:
        for n, user_id in enumerate(users):
            employee = Employee(
                nip=f"199001012015011{n + 1:03d}",  # birth date, TMT, gender, sequence
                name=f"Pegawai {n}",
                position="Guru",
                roles="staff",
                telegram_user_id=user_id,
                language="id",
                timezone="Asia/Jakarta",
                active=True,
            )
            session.add(employee)
            await session.flush()
            for title in SKP_TITLES:
                session.add(SkpItem(employee_id=employee.id, year=year, title=title))
    await db.dispose()


@dataclass
class Config:
    sequential_rounds: int
    users: int
    concurrent_rounds: int
    reps: int
    send_rate: float
    profile: str | None = None


@dataclass
class Rep:
    """One bot, one repetition."""

    sequential: Run
    concurrent: Run
    cpu_ms_per_message: float


async def bench_bot(
    name: str,
    child_args: list[str],
    sandbox: Sandbox,
    client: SandboxClient,
    cfg: Config,
    users: list[int],
) -> Rep:
    profile = os.path.join(cfg.profile, f"{name}.prof") if cfg.profile else None
    child = await Child.start(*child_args, profile=profile)
    try:
        # Warm-up: every user once (first-use imports, connection pools, caches).
        warm = await drive(sandbox.state, client, users, 1)
        sequential = await drive(sandbox.state, client, users[:1], cfg.sequential_rounds)
        concurrent = await drive(sandbox.state, client, users, cfg.concurrent_rounds)
    finally:
        await child.stop()
    handled = warm.messages + sequential.messages + concurrent.messages
    rep = Rep(sequential, concurrent, child.cpu_seconds * 1000 / handled)
    print(
        f"  {name:5s} sequential {sequential.rate:7.1f} msg/s   "
        f"concurrent({len(users)}) {concurrent.rate:7.1f} msg/s   "
        f"CPU {rep.cpu_ms_per_message:5.2f} ms/msg",
        flush=True,
    )
    return rep


def ms(values: list[float], q: float) -> float:
    return pct(values, q) * 1000


def summary(label: str, bare: Run, ours: Run) -> None:
    print(f"\n{label}: {bare.messages} messages per bot")
    print(f"  {'':18s} {'bare':>9s} {'ours':>9s} {'ours/bare':>10s}")
    print(f"  {'messages/s':18s} {bare.rate:9.1f} {ours.rate:9.1f} {ours.rate / bare.rate:10.2f}")
    rows = [("all", bare.all_latencies(), ours.all_latencies())]
    rows += [(kind, bare.latencies[kind], ours.latencies[kind]) for kind, _ in ROUND]
    for q, qname in ((0.5, "p50"), (0.95, "p95")):
        for kind, b, o in rows:
            label = f"{qname} ms {kind}"
            print(f"  {label:18s} {ms(b, q):9.1f} {ms(o, q):9.1f} {ms(o, q) / ms(b, q):10.2f}")


async def main(cfg: Config) -> None:
    users = [FIRST_USER + n for n in range(cfg.users)]
    unlimited = 10**6
    sandbox = Sandbox(
        per_chat_rate=unlimited,
        per_chat_burst=unlimited,
        global_rate=unlimited,
        global_burst=unlimited,
    )
    await sandbox.start()
    tmp = tempfile.mkdtemp(prefix="kinerja-bench-")
    database_url = f"sqlite+aiosqlite:///{os.path.join(tmp, 'bench.db')}"
    await seed_database(database_url, users)
    api = sandbox.api_base_url
    bare_args = ["bare", "--api", api, "--token", sandbox.token]
    ours_args = ["ours", "--api", api, "--token", sandbox.token, "--db", database_url]
    ours_args += ["--send-rate", str(cfg.send_rate)]
    n_seq = cfg.sequential_rounds * len(ROUND)
    n_conc = cfg.users * cfg.concurrent_rounds * len(ROUND)
    print(
        f"bench/e2e.py: {n_seq} sequential messages (1 user), {n_conc} concurrent "
        f"({cfg.users} users); best of {cfg.reps}; ours at SEND_RATE_PER_SECOND="
        f"{cfg.send_rate:g}; {os.cpu_count()} CPUs",
        flush=True,
    )
    reps: dict[str, list[Rep]] = {"bare": [], "ours": []}
    try:
        async with SandboxClient(sandbox.base_url) as client:
            for user_id in users:
                await client.create_user(user_id, f"User{user_id}", None, "id")
            for n in range(cfg.reps):
                print(f"repetition {n + 1}/{cfg.reps}", flush=True)
                order = [("bare", bare_args), ("ours", ours_args)]
                if n % 2:
                    order.reverse()  # neither bot always runs first
                for name, args in order:
                    reps[name].append(await bench_bot(name, args, sandbox, client, cfg, users))
    finally:
        await sandbox.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    def best(name: str, pick: Callable[[Rep], Run]) -> Run:
        return max((pick(r) for r in reps[name]), key=lambda run: run.rate)

    bare_seq, ours_seq = best("bare", lambda r: r.sequential), best("ours", lambda r: r.sequential)
    bare_conc, ours_conc = (
        best("bare", lambda r: r.concurrent),
        best("ours", lambda r: r.concurrent),
    )
    summary("Sequential (one user, one message at a time)", bare_seq, ours_seq)
    summary(f"Concurrent ({cfg.users} users at once)", bare_conc, ours_conc)
    cpu_bare = min(r.cpu_ms_per_message for r in reps["bare"])
    cpu_ours = min(r.cpu_ms_per_message for r in reps["ours"])
    seq_p50 = ms(ours_seq.all_latencies(), 0.5) / ms(bare_seq.all_latencies(), 0.5)
    print(f"\nBot process CPU per message: bare {cpu_bare:.2f} ms, ours {cpu_ours:.2f} ms")
    print(
        f"ours/bare: sequential throughput {ours_seq.rate / bare_seq.rate:.2f}, "
        f"sequential p50 latency {seq_p50:.2f}, concurrent throughput "
        f"{ours_conc.rate / bare_conc.rate:.2f}, CPU per message {cpu_ours / cpu_bare:.2f}"
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a ~20 s run")
    parser.add_argument("--rounds", type=int, help="sequential rounds of 3 messages")
    parser.add_argument("--users", type=int, help="concurrent users")
    parser.add_argument("--concurrent-rounds", type=int, help="rounds per concurrent user")
    parser.add_argument("--reps", type=int, help="repetitions per bot (best one shown)")
    parser.add_argument("--send-rate", type=float, default=1000.0, help="ours, messages/s")
    parser.add_argument("--profile", metavar="DIR", help="cProfile each bot into DIR/NAME.prof")
    parser.add_argument("--child", choices=["bare", "ours"], help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def cli(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.child == "bare":
        asyncio.run(run_bare(args.api, args.token))
        return
    if args.child == "ours":
        asyncio.run(run_ours(args.api, args.token, args.db, args.send_rate))
        return
    quick = args.quick
    cfg = Config(
        sequential_rounds=args.rounds or (20 if quick else 40),
        users=args.users or (8 if quick else 16),
        concurrent_rounds=args.concurrent_rounds or (4 if quick else 6),
        reps=args.reps or (2 if quick else 4),
        send_rate=args.send_rate,
        profile=args.profile,
    )
    started = time.monotonic()
    asyncio.run(main(cfg))
    print(f"(took {time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    cli()
