"""Issue 8 fault test: SIGKILL at 20 random points during a burst of submissions.

The set-up of docs/reliability.md: the sandbox runs alone (`python -m bot.sandbox`, so the
chats and undelivered updates survive) and the bot is `kinerja-bot run`, killed with
SIGKILL 20 times at random moments and started again while six people each send five
reports (text → SKP button → ✅ Kirim). People behave like people: they never type a
report twice, they look at the chat and press what it shows, again if nothing happened.

Afterwards: no activity is stored twice, every submission a person was shown as sent is
stored, and every person either sees "✅ Laporan terkirim" or, pressing again, is told
"Sudah terkirim pada …". Bounded: the kills take about a minute on 2 cores.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.registration import create_invite
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Activity, Employee, SkpItem

KILLS = 20
PEOPLE = 6
REPORTS = (
    "07.30-08.30 rapat koordinasi {n}",
    "09.00-10.00 menyusun laporan {n}",
    "10.30-11.30 rapat evaluasi {n}",
    "13.00-14.00 menyusun modul {n}",
    "14.30-15.30 rapat dinas {n}",
)
SENT = "Laporan terkirim"
TOLD = "Sudah terkirim pada"
REDRAWN = "pesan ini sekarang menampilkan langkah terbaru"
RETYPE_AFTER = 5.0  # seconds without any answer before a person types the report again


async def _line(proc: subprocess.Popen[str], marker: str, within: float = 30) -> str:
    assert proc.stdout is not None
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        line = await asyncio.to_thread(proc.stdout.readline)
        if marker in line:
            return line
        if not line and proc.poll() is not None:
            break
    raise AssertionError(f"no line with {marker!r}")


async def _people(db_url: str, year: int) -> list[tuple[int, str]]:
    """The atasan and six staff with one SKP item each; returns (employee id, invite code)."""
    db = Database(db_url)
    await upgrade(db)
    out = []
    async with db.session() as session:
        boss = Employee(nip="197505101998031003", name="Drs. Bambang", roles="staff,supervisor")
        session.add(boss)
        await session.flush()
        for n in range(PEOPLE):
            emp = Employee(
                nip=f"1990012220150420{n + 10:02d}",
                name=f"Pegawai {n}",
                roles="staff",
                supervisor_id=boss.id,
            )
            session.add(emp)
            await session.flush()
            session.add(SkpItem(employee_id=emp.id, year=year, title="Mengikuti rapat"))
            out.append((emp.id, await create_invite(session, emp.id, _now())))
    await db.dispose()
    return out


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


class Person:
    def __init__(self, http: httpx.AsyncClient, tg: int, n: int) -> None:
        self.http, self.tg, self.n = http, tg, n
        self.seen_sent = 0  # reports shown as sent (or told so)
        self.told = 0  # ... of which by "Sudah terkirim pada" on pressing again
        self.retyped = 0  # reports typed again after no answer
        self.unanswered = 0  # presses that got no answer (the bot died meanwhile)
        self.redrawn = 0  # presses on a message the bot died before editing: shown again
        self.last_answer = ""  # the last press and its answer, for a failure message

    async def _chat(self) -> list[dict[str, Any]]:
        response = await self.http.get(f"/sandbox/users/{self.tg}/chat")
        return list(response.json())

    async def report(self, text: str, deadline: float) -> None:
        """Send the report, then press what the chat shows until it is sent. With no answer
        for a while (the update died with the bot) they type it again, as people do."""
        mine = await self._send(text)
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            chat = await self._chat()
            after = [m for m in chat if m["message_id"] > mine and m["from"] == "bot"]
            if any(SENT in str(m.get("text")) for m in after):
                self.seen_sent += 1
                return
            step = next((m for m in reversed(after) if m.get("buttons")), None)
            labels = [b["text"] for row in step["buttons"] for b in row] if step else []
            choice = next((b for b in labels if b.startswith("1. ")), None)
            for fallback in ("➕ Tugas tambahan", "✅ Kirim"):
                choice = choice or (fallback if fallback in labels else None)
            if step is None or choice is None:
                if time.monotonic() - quiet_since > RETYPE_AFTER:
                    self.retyped += 1
                    await self._send(text)  # `mine` stays: earlier answers still count
                    quiet_since = time.monotonic()
                await asyncio.sleep(0.3)
                continue
            body = {"message_id": step["message_id"], "button": choice, "wait": 2}
            pressed = (await self.http.post(f"/sandbox/users/{self.tg}/press", json=body)).json()
            answer = (pressed.get("answer") or {}).get("text") or ""
            self.last_answer = f"{choice!r} -> {pressed.get('answer')!r}"
            if pressed.get("answer") is None:
                self.unanswered += 1
            self.redrawn += REDRAWN in answer
            if TOLD in answer:
                self.seen_sent += 1
                self.told += 1
                return
            quiet_since = time.monotonic()
        last = (await self._chat())[-3:]
        raise AssertionError(
            f"person {self.n}: {text!r} not sent in time; last press {self.last_answer}; "
            f"chat ends {last}"
        )

    async def _send(self, text: str) -> int:
        body = {"text": text, "wait": 2}
        sent = await self.http.post(f"/sandbox/users/{self.tg}/messages", json=body)
        return int(sent.json()["message_id"])


async def test_sigkill_at_20_points_during_a_burst_loses_and_duplicates_nothing(
    tmp_path: Path,
) -> None:
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the bot process uses its own SQLite file")
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'kill.db'}"
    people = await _people(db_url, _now().year)
    sandbox = subprocess.Popen(  # noqa: ASYNC220 (starting a process does not block long)
        [sys.executable, "-m", "bot.sandbox", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    bots: list[subprocess.Popen[bytes]] = []
    rng = random.Random(int(os.environ.get("KILL_SEED", "8")))
    try:
        base = (await _line(sandbox, "Web chat:")).split()[-1].rstrip("/")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE"))}
        env.update(
            TELEGRAM_BOT_TOKEN="123456789:SANDBOX-token",
            TELEGRAM_API_BASE_URL=f"{base}/bot",
            TELEGRAM_FILE_BASE_URL=f"{base}/file/bot",
            DATABASE_URL=db_url,
            BOT_USERNAME="kinerja_bot",
        )

        async def start_bot() -> None:
            log = tmp_path / f"bot{len(bots)}.log"
            with log.open("w") as out:
                cmd = [sys.executable, "-m", "bot", "run"]
                bots.append(subprocess.Popen(cmd, env=env, stdout=out, stderr=out))  # noqa: ASYNC220
            deadline = time.monotonic() + 60
            while "is polling" not in log.read_text():
                assert bots[-1].poll() is None and time.monotonic() < deadline, log.read_text()
                await asyncio.sleep(0.05)

        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            await start_bot()
            persons = []
            for n, (_, code) in enumerate(people):
                tg = 7000 + n
                await http.post("/sandbox/users", json={"id": tg, "first_name": f"P{n}"})
                joined = await http.post(
                    f"/sandbox/users/{tg}/messages", json={"text": f"/start {code}", "wait": 5}
                )
                assert joined.json()["replies"], joined.json()
                persons.append(Person(http, tg, n))

            # A bound, not a speed claim: CI runs two suites at once.
            deadline = time.monotonic() + 150

            async def burst(person: Person) -> None:
                for text in REPORTS:
                    await person.report(text.format(n=person.n), deadline)

            work = asyncio.gather(*(burst(p) for p in persons))
            for _ in range(KILLS):
                await asyncio.sleep(rng.uniform(0.02, 0.6))
                bots[-1].send_signal(signal.SIGKILL)
                await asyncio.to_thread(bots[-1].wait, 10)
                await start_bot()
            await work

        assert all(p.seen_sent == len(REPORTS) for p in persons)
        told = sum(p.told for p in persons)
        db = Database(db_url)
        async with db.session() as session:
            rows = (await session.execute(select(Activity))).scalars().all()
        await db.dispose()
        per = Counter((a.employee_id, a.description.casefold()) for a in rows)
        assert max(per.values()) == 1, [k for k, v in per.items() if v > 1]  # none twice
        assert len(rows) == PEOPLE * len(REPORTS)  # every confirmed report is stored
        logs = "".join(p.read_text() for p in tmp_path.glob("bot*.log"))  # noqa: ASYNC240
        figures = {
            "kills": KILLS,
            "submissions": len(rows),
            "told_on_next_press": told,
            "updates_handled_again": logs.count("never finished: handling it again"),
            "reports_typed_again": sum(p.retyped for p in persons),
            "presses_unanswered": sum(p.unanswered for p in persons),
            "messages_redrawn": sum(p.redrawn for p in persons),
        }
        print(json.dumps(figures))
    finally:
        procs: list[subprocess.Popen[Any]] = [*bots, sandbox]
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=20)
