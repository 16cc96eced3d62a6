"""Issue 8: the hostile run as a permanent, table-driven suite (SQLite and PostgreSQL).

Every case is one input from one person — text, a command, a button press with forged or
out-of-range data, a file, a CSV upload through /admin — and asserts:
- an answer: a reply or a refusal (or, where Telegram rules say so, deliberate silence);
- a press is answered exactly once (the sandbox counts answerCallbackQuery calls);
- no traceback and no ERROR record in the log;
- the database unchanged where the input must not change anything (a hash of every
  table except processed_updates).

One bot and one team serve the whole module (starting a bot per case would take minutes);
cases run in order and those that may change data say so.
"""

from __future__ import annotations

import asyncio
import base64
import codecs
import hashlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
from sqlalchemy import select, text

from bot.config import Settings
from bot.reporting import load_draft
from bot.sandbox import Sandbox, SandboxClient
from storage.db import Database
from storage.models import Base, Employee
from tests.conftest import truncate_all
from tests.e2e.conftest import LiveClock, World

Who = Literal["siti", "admin", "stranger", "boss"]
Kind = Literal["text", "press", "doc", "photo"]

STALE = "tidak berlaku"
NOT_ALLOWED = "tidak berhak"
UNKNOWN_USER = "belum terdaftar"
UNKNOWN_COMMAND = "Perintah tidak dikenal"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4DwABAQEABRjYTgAAAABJRU5ErkJggg=="
)


@dataclass(frozen=True)
class Case:
    id: str
    who: Who
    kind: Kind
    data: Any  # text, callback data ({tok} = siti's draft token), or (file name, bytes)
    same: bool = True  # the database must not change
    says: tuple[str, ...] = ()  # the answer contains one of these (empty: any answer)
    silent: bool = False  # Telegram semantics: no answer at all (e.g. /cmd@otherbot)
    caption: str | None = None


@dataclass
class Team:
    world: World
    tg: dict[str, int] = field(default_factory=dict)
    message: dict[str, int] = field(default_factory=dict)  # a bot message to press on
    token: str = ""
    siti_id: int = 0


# --- the cases ---------------------------------------------------------------------------


def _texts() -> list[Case]:
    c: list[Case] = []
    controls = {
        "nul": "rapat\x00 koordinasi 1 jam",
        "nul-only": "\x00",
        "c0-mix": "\x01\x02rapat\x07 evaluasi\x1b 1 jam\x1f",
        "cr-only": "rapat pagi 1 jam\rmenyusun laporan 2 jam",
        "bell-tab": "\trapat\tdinas\x07 30 menit",
    }
    for name, value in controls.items():
        c.append(Case(f"text-{name}", "siti", "text", value, same=False))
    odd = {
        "html": "<b>rapat</b> <script>alert(1)</script> 1 jam",
        "amp": "& < > … 1 jam",
        "sql": "'; DROP TABLE employees; -- 1 jam",
        "format": "{0} {name} %s %(x)s {{}} 1 jam",
        "backslash": "rapat \\n \\x00 \\u0000 1 jam",
        "emoji": "🙂🙂🙂 rapat 1 jam 🚀",
        "emoji-only": "🙂" * 50,
        "zwsp": "\u200b\u200b\u200b",
        "rtl": "\u202erapat 1 jam\u202c",
        "combining": "ra\u0301pat\u0308 1 jam",
        "arabic-digits": "rapat ٣ jam",
        "fullwidth": "ｒａｐａｔ １ jam",
        "huge-number": "rapat 99999999999999999999999 jam",
        "float-inf": "rapat 1e309 jam",
        "negative": "rapat -5 jam",
        "hours-25": "25.00-26.00 ronda malam",
        "overnight": "23.00-01.00 ronda malam",
        "feb-31": "tanggal 31 februari rapat 1 jam",
        "april-31": "tanggal 31 april rapat 1 jam",
        "17h": "rapat 17 jam",
        "zero": "rapat 0 jam",
        "commas": "rapat 1,5,5 jam",
        "long-word": "a" * 4000,
        "long-lines": "\n".join(f"kegiatan {i} 10 menit" for i in range(60)),
        "max-length": ("rapat koordinasi " * 300)[:4096],
        "only-punct": "... ,,, ;;; !!!",
        "url": "https://example.com/\x00bukti",
        "js-url": "javascript:alert(1)",
        "besok": "besok rapat 1 jam",
        "year-0": "tanggal 1/1/0001 rapat 1 jam",
        "year-9999": "tanggal 31/12/9999 rapat 1 jam",
        "setuju": "setuju",
        "ok": "ok",
        "mixed-scripts": "Rapat 会议 совещание 1 jam",
        "nbsp": "rapat\u00a0koordinasi\u00a01\u00a0jam",
        "bom": "\ufeffrapat 1 jam",
        "private-use": "\ue000\uf8ff rapat 1 jam",
        "noncharacter": "\ufffe\uffff rapat 1 jam",
        "astral": "𝕽𝖆𝖕𝖆𝖙 1 jam",
    }
    for name, value in odd.items():
        c.append(Case(f"text-{name}", "siti", "text", value, same=False))
    for name, value in {
        "nul": "rapat\x00 1 jam",
        "html": "<b>x</b>",
        "plain": "halo",
        "long": "x" * 4096,
        "emoji": "🙂",
    }.items():
        c.append(Case(f"stranger-{name}", "stranger", "text", value, says=(UNKNOWN_USER,)))
    return c


def _commands() -> list[Case]:
    c: list[Case] = []
    unknown = [
        "/rekapan",
        "/xyz",
        "/123 rapat 1 jam",
        "/import",
        "/a",
        "/" + "x" * 32,
        "/lapor_",
        "/Lapor_x",
        "/_",
        "/0",
    ]
    for n, cmd in enumerate(unknown):
        c.append(Case(f"unknown-command-{n}", "siti", "text", cmd, says=(UNKNOWN_COMMAND,)))
        c.append(Case(f"unknown-command-stranger-{n}", "stranger", "text", cmd))
    for n, cmd in enumerate(["/lapor@otherbot", "/xyz@otherbot", "/start@another_bot abc"]):
        c.append(Case(f"other-bot-{n}", "siti", "text", cmd, silent=True))
    known = {
        "bantuan": ("/bantuan", True),
        "help": ("/help", True),
        "BANTUAN": ("/BANTUAN", True),
        "bahasa": ("/bahasa", True),
        "bahasa-args": ("/bahasa \x00 xx", True),
        "hariini": ("/hariini", True),
        "hariini-bad-day": ("/hariini 99/99", True),
        "hariini-feb-31": ("/hariini 31/02", True),
        "hariini-1900": ("/hariini 1/1/1900", True),
        "hariini-words": ("/hariini kemarin lusa besok", True),
        "hariini-huge": ("/hariini 99999999999999999999", True),
        "skp": ("/skp", True),
        "skp-args": ("/skp \x00", True),
        "admin-staff": ("/admin", True),
        "batal": ("/batal", False),
        "lapor": ("/lapor", False),  # re-shows the draft: notes its new message
        "lapor-nul": ("/lapor \x00", False),
        "start": ("/start", True),
        "rekap-args": ("/rekap \x00 99/99/9999", True),
        "ekspor": ("/ekspor zz", False),
        "evaluasi": ("/evaluasi " + "9" * 30, True),
        "tim": ("/tim \x00", True),
        "plt": ("/plt 99999999999999999999", True),
        "digest": ("/digest 25:99", True),
    }
    for name, (cmd, same) in known.items():
        c.append(Case(f"command-{name}", "siti", "text", cmd, same=same))
    for name, cmd in {
        "admin": "/admin",
        "start-empty": "/start",
        "skp": "/skp",
        "hariini": "/hariini",
        "lapor": "/lapor rapat 1 jam",
    }.items():
        c.append(Case(f"stranger-command-{name}", "stranger", "text", cmd))
    codes = {
        "short": "x",
        "long": "A" * 64,
        "longer": "B" * 300,
        "path": "../../etc/passwd",
        "pct": "%00%0a",
        "nul": "abc\x00def",
        "sql": "' OR 1=1 --",
        "emoji": "🙂🙂",
    }
    for name, code in codes.items():
        c.append(Case(f"start-code-{name}", "stranger", "text", f"/start {code}", same=False))
    c.append(Case("admin-menu", "admin", "text", "/admin", same=False))  # notes the menu time
    return c


def _presses() -> list[Case]:
    c: list[Case] = []
    big = "99999999999999999999"
    report = [
        "r:{tok}:edit:99:one",
        "r:{tok}:s:0:" + big,
        "r:{tok}:s:0:2147483648",
        "r:{tok}:s:-1:1",
        "r:{tok}:s:0:-1",
        "r:{tok}:s:0:1e3",
        "r:{tok}:s:0:٣",
        "r:{tok}:s:0:１",
        "r:{tok}:s:0:007",
        "r:{tok}:s:0:",
        "r:{tok}:d:0:0",
        "r:{tok}:d:0:100000",
        "r:{tok}:d:0:-30",
        "r:{tok}:l:0:-5",
        "r:{tok}:l:0:" + big,
        "r:{tok}:rm:19:",
        "r:{tok}:rm:20:",
        "r:{tok}:zz:0:",
        "r:{tok}:send:0:x",
        "r:{tok}:dup:0:",
        "r:{tok}:et:99:",
        "r:{tok}:send",
        "r:{tok}",
        "r:nosuchtoken:send:0:",
        "r:{tok}:send:0::",
        "r::::",
        "r:" + "9" * 60,
        "r:{tok}:s:0:x:extra",
        "r:{tok}:\x00:0:",
        "r:{tok}:s:\x00:1",
    ]
    for n, data in enumerate(report):
        c.append(Case(f"press-report-{n}", "siti", "press", data, says=(STALE, "Sudah")))
    admin = [
        "adm:act:99999999999:0",
        "adm:act:2147483647:0",
        "adm:act:1:2",
        "adm:e:-1",
        "adm:e:" + big,
        "adm:f:0:",
        "adm:f:99999999999999:x",
        "adm:pos:0",
        "adm:inv:2147483648",
        "adm:sup:abc",
        "adm:cx:",
        "adm:zz",
        "adm:e:1:2:3:4",
        "adm:f:1:\x00",
    ]
    for n, data in enumerate(admin):
        c.append(Case(f"press-admin-by-staff-{n}", "siti", "press", data, says=(NOT_ALLOWED,)))
        c.append(Case(f"press-admin-by-admin-{n}", "admin", "press", data))
    entries = [
        "ent:e:999999999999999",
        "ent:e:2147483647",
        "ent:d:-1",
        "ent:d:0",
        "ent:v:20261301:0",
        "ent:v:99999999:0",
        "ent:v:20260231:0",
        "ent:m:1:99999",
        "ent:m:1:-30",
        "ent:dy:0",
        "ent:cx:abc",
        "ent:zz:1",
        "ent:e",
    ]
    for n, data in enumerate(entries):
        c.append(Case(f"press-entries-{n}", "siti", "press", data, says=(STALE, NOT_ALLOWED)))
    skp = [
        "skp:a:99999999999",
        "skp:p:-1",
        "skp:arc:999999999999999999",
        "skp:ay:0",
        "skp:ay:2147483647",
        "skp:zz",
        "skp:p:1e9",
        "skp:p:" + big,
    ]
    for n, data in enumerate(skp):
        c.append(Case(f"press-skp-{n}", "siti", "press", data, says=(STALE, NOT_ALLOWED)))
    features = [  # the features merged later: approval, digest, team, recap, evaluation
        "ap:ok:r:1:0",
        "ap:ok:r:" + big + ":0",
        "ap:ok:r:1:99999",
        "ap:zz:r:1:0",
        "ap:no:x:1:0",
        "ap:ok:r:0:0",
        "dg:zz:0",
        "dg:x:" + big,
        "tim:v:20261301:1:0:0",
        "tim:v:20260101:8:0:0",
        "tim:v:20260101:1:2:0",
        "tim:p:99999999:1:0:1000",
        "rk:p:" + big + ":bulan",
        "rk:t:0:zz",
        "rk:x:1:bulan",
        "ev:l:1:209913",
        "ev:l:1:199912",
        "ev:s:" + big + ":202601",
        "ev:h:1:202601:zz",
    ]
    for n, data in enumerate(features):
        c.append(Case(f"press-feature-{n}", "siti", "press", data))
        c.append(Case(f"press-feature-boss-{n}", "boss", "press", data))
    for n, data in enumerate(["lang:xx", "lang:", "lang:id:extra", "lang:ID", "lang:\x00"]):
        c.append(Case(f"press-lang-{n}", "siti", "press", data, says=(STALE,)))
    unknown = [
        "zzz",
        "🙂",
        "\x00\x01",
        "x",
        ":",
        "::::",
        " ",
        "a" * 64,
        "ap:ok:1",
        "tim:1",
        "\u202e",
        "%s",
        "{0}",
        "rr:1",
        "R:x",
    ]
    for n, data in enumerate(unknown):
        c.append(Case(f"press-unknown-{n}", "siti", "press", data, says=(STALE,)))
    for n, data in enumerate(["zzz", "r:{tok}:send:0:", "adm:m", "lang:en", "ent:e:1"]):
        says = (UNKNOWN_USER, STALE)  # an unknown prefix is stale for anyone
        c.append(Case(f"press-stranger-{n}", "stranger", "press", data, says=says))
    return c


CSV_HEADER = "nip,nama,jabatan,unit,peran,nip_atasan\n"


def _files() -> list[Case]:
    c: list[Case] = []
    files: dict[str, tuple[str, bytes]] = {
        "empty": ("kosong.csv", b""),
        "junk": ("acak.csv", bytes(range(256)) * 4),
        "nul": ("nul.csv", (CSV_HEADER + "1990\x000101,Siti\x00,Guru,,staff,\n").encode()),
        "cr-only": ("cr.csv", CSV_HEADER.replace("\n", "\r").encode() + b"x,y,z,,,\r"),
        "utf16": ("u16.csv", codecs.BOM_UTF16_LE + CSV_HEADER.encode("utf-16-le")),
        "bom": ("bom.csv", codecs.BOM_UTF8 + CSV_HEADER.encode()),
        "quote": ("quote.csv", (CSV_HEADER + '199001222015042001,"Siti,Guru,,staff,\n').encode()),
        "formula": ("f.csv", (CSV_HEADER + "=1+1,@SUM(A1),+x,-y,staff,\n").encode()),
        "long-name": ("long.csv", (CSV_HEADER + f"199001222015042001,{'N' * 300},G,,,\n").encode()),
        "huge-field": ("big.csv", (CSV_HEADER + "1," + "x" * 140_000 + ",G,,,\n").encode()),
        "fullwidth-nip": (
            "fw.csv",
            (CSV_HEADER + "１９９００１２２２０１５０４２００１,S,G,,,\n").encode(),
        ),
    }
    for name, (fname, content) in files.items():
        c.append(
            Case(f"csv-{name}", "admin", "doc", (fname, content), same=False, caption="/import")
        )
    c.append(Case("csv-by-staff", "siti", "doc", ("a.csv", CSV_HEADER.encode()), caption="/import"))
    c.append(Case("csv-by-stranger", "stranger", "doc", ("a.csv", b"x"), caption="/import"))
    c.append(Case("doc-nul-name", "siti", "doc", ("bukti\x00.pdf", b"%PDF-1.4"), same=False))
    c.append(Case("doc-exe", "siti", "doc", ("a.exe", b"MZ" + b"\x00" * 100), same=False))
    c.append(Case("doc-long-name", "siti", "doc", ("n" * 200 + ".pdf", b"%PDF"), same=False))
    c.append(
        Case("photo-nul-caption", "siti", "photo", PNG, same=False, caption="foto\x00 bukti\x07")
    )
    c.append(Case("photo-stranger", "stranger", "photo", PNG, caption="\x00"))
    return c


CASES = _texts() + _commands() + _presses() + _files()


def test_the_suite_is_big_enough_and_ids_are_unique() -> None:
    assert len(CASES) >= 150
    assert len({case.id for case in CASES}) == len(CASES)


# --- the run -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def team(sandbox: Sandbox, migrated_db: Database) -> AsyncIterator[Team]:
    await truncate_all(migrated_db)
    async with SandboxClient(sandbox.base_url) as client:
        await client.reset(everything=True)
        settings = Settings(
            telegram_bot_token=sandbox.token,
            telegram_api_base_url=sandbox.api_base_url,
            telegram_file_base_url=sandbox.file_base_url,
            database_url=migrated_db.url,
        )
        world = World(sandbox, client, migrated_db, LiveClock(), settings)
        await world.start_bot()
        try:
            yield await _set_up(world)
        finally:
            await world.stop_bot()


async def _set_up(world: World) -> Team:
    team = Team(world)
    boss = await world.add_employee("Drs. Bambang", roles="staff,supervisor", skp=["Supervisi"])
    siti = await world.add_employee(
        "Siti Rahmawati", supervisor=boss, skp=["Mengikuti rapat", "Menyusun modul ajar"]
    )
    admin = await world.add_employee("Rina Admin", roles="staff,admin")
    team.siti_id = siti.id
    team.tg = {
        "boss": await world.join(boss),
        "siti": await world.join(siti),
        "admin": await world.join(admin),
        "stranger": await world.new_user(),
    }
    for who, tg in team.tg.items():
        reply = await world.client.send(tg, "/bantuan" if who != "stranger" else "/start")
        team.message[who] = reply["replies"][0]["message_id"]
    await world.client.send(team.tg["siti"], "rapat koordinasi 1 jam")
    async with world.db.session() as session:
        _, draft = await load_draft(session, siti.id)
    assert draft is not None
    team.token = draft.token
    return team


async def snapshot(db: Database) -> dict[str, str]:
    """A hash of each table's rows (processed_updates aside: every update adds one)."""
    hashes = {}
    async with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "processed_updates":
                continue
            keys = ", ".join(c.name for c in table.primary_key.columns)
            rows = (await conn.execute(text(f"SELECT * FROM {table.name} ORDER BY {keys}"))).all()
            hashes[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
    return hashes


async def idle(world: World) -> None:
    """Until the bot has no update queued or in hand (its writes after the reply are in)."""
    assert world.runtime is not None
    app = world.runtime.app
    for _ in range(250):
        if app.update_queue.empty() and app.update_processor.current_concurrent_updates == 0:
            return
        await asyncio.sleep(0.02)


async def settled_snapshot(world: World) -> dict[str, str]:
    """The snapshot once the previous case's last writes are in (2 cores, many tests)."""
    await idle(world)
    db = world.db
    last = await snapshot(db)
    for _ in range(40):
        await asyncio.sleep(0.05)
        await idle(world)
        now = await snapshot(db)
        if now == last:
            return now
        last = now
    return last


def _problems(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info is not None
    ]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
async def test_hostile_input(team: Team, case: Case, caplog: pytest.LogCaptureFixture) -> None:
    world, client = team.world, team.world.client
    tg = team.tg[case.who]
    before = await settled_snapshot(world) if case.same else {}
    answers_before = (await client.stats())["callback_answers"]
    wait = 1.0 if case.silent else 3.0
    said: list[str] = []
    if case.kind == "text":
        result = await client.send(tg, case.data, wait=wait)
        said = [str(r.get("text") or r.get("caption") or "") for r in result["replies"]]
    elif case.kind == "press":
        data = str(case.data).replace("{tok}", team.token)
        result = await client.press(tg, team.message[case.who], callback_data=data, wait=wait)
        assert result["answer"] is not None, f"{case.id}: the press was not answered"
        said = [str(result["answer"].get("text") or "")]
        said += [str(r.get("text") or "") for r in result["replies"]]
        answers = (await client.stats())["callback_answers"] - answers_before
        assert answers == 1, f"{case.id}: answered {answers} times"
    elif case.kind == "doc":
        name, content = case.data
        result = await client.send_document(tg, name, content, caption=case.caption, wait=wait)
        said = [str(r.get("text") or "") for r in result["replies"]]
    else:
        result = await client.send_photo(tg, case.data, caption=case.caption, wait=wait)
        said = [str(r.get("text") or "") for r in result["replies"]]

    if case.silent:
        assert result["replies"] == [], f"{case.id}: expected no answer, got {said}"
    elif case.kind != "press":
        assert said, f"{case.id}: no answer"
    if case.says:
        assert any(s in t for s in case.says for t in said), f"{case.id}: {said}"
    assert _problems(caplog) == [], case.id
    assert all("Traceback" not in t for t in said)
    if case.same:
        await idle(world)
        after = await snapshot(world.db)
        changed = sorted(name for name in after if after[name] != before.get(name))
        assert changed == [], f"{case.id} changed the database"


async def test_after_the_run_the_team_is_intact(team: Team) -> None:
    """Nothing in the run deactivated, unlinked or renamed anyone."""
    async with team.world.db.session() as session:
        rows = (await session.execute(select(Employee).order_by(Employee.id))).scalars().all()
    assert [(e.name, e.active, e.telegram_user_id is not None) for e in rows[:3]] == [
        ("Drs. Bambang", True, True),
        ("Siti Rahmawati", True, True),
        ("Rina Admin", True, True),
    ]
