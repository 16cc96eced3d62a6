"""The command line as an operator uses it: real processes, real database files."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest

from bot.sandbox import Sandbox
from tests.conftest import database_url

ROOT = Path(__file__).resolve().parents[2]


def run(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean environment with its own database (PostgreSQL when the suite runs on it)."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    url = os.environ.get("TEST_DATABASE_URL")
    out["DATABASE_URL"] = url or database_url(tmp_path)
    return out


def test_run_without_a_token_points_to_botfather_and_the_sandbox(env: dict[str, str]) -> None:
    result = run(["run"], env)
    assert result.returncode == 2
    assert "@BotFather" in result.stderr and "kinerja-bot sandbox" in result.stderr


def test_a_malformed_setting_stops_with_one_line_naming_it(env: dict[str, str]) -> None:
    result = run(["migrate"], {**env, "WORKDAY_MINUTES": "banyak"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Configuration error: WORKDAY_MINUTES: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]
    bad_token = run(["migrate"], {**env, "TELEGRAM_BOT_TOKEN": "abc"})
    assert "TELEGRAM_BOT_TOKEN" in bad_token.stderr and bad_token.returncode == 2


def test_import_employees_then_invite(env: dict[str, str], tmp_path: Path) -> None:
    if env["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("shares the PostgreSQL test database with the running suite")
    csv = tmp_path / "pegawai.csv"
    csv.write_text(
        "nip,name,position,unit,supervisor_nip,roles\n"
        "197505101998031003,Drs. Bambang,Kepala Sekolah,Dinas > SDN 1,,staff;supervisor\n"
        "199001222015042001,Siti,Guru,Dinas > SDN 1,197505101998031003,staff\n"
        "123,Salah,Guru,Dinas > SDN 1,,staff\n",
        encoding="utf-8",
    )
    assert run(["migrate"], env).returncode == 0
    result = run(["import-employees", str(csv)], env)
    assert result.returncode == 0, result.stderr
    assert "Baris 4: NIP 123 harus 18 digit angka." in result.stderr
    assert "2 pegawai baru, 0 diperbarui, 1 baris bermasalah." in result.stdout
    link = run(["invite", "19900122 201504 2 001"], {**env, "BOT_USERNAME": "kinerja_demo_bot"})
    assert link.returncode == 0
    assert link.stdout.startswith("https://t.me/kinerja_demo_bot?start=")
    missing = run(["invite", "199208082019031005"], env)
    assert missing.returncode == 1 and "No employee" in missing.stderr


def test_sandbox_command_serves_demo_users_who_get_answers(env: dict[str, str]) -> None:
    if env["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("the sandbox command seeds only an empty database")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "sandbox", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = None
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and url is None:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            if "open http" in line:
                url = line.split("open ", 1)[1].split()[0].rstrip("/")
        assert url, "the sandbox did not print its URL"
        users = {u["id"]: u for u in httpx.get(f"{url}/sandbox/users").json()}
        assert {1001, 1002, 1003, 1004, 1005} <= users.keys()
        page = httpx.get(url + "/")
        assert page.status_code == 200 and "<html" in page.text.lower()
        for _ in range(50):
            siti = httpx.get(f"{url}/sandbox/users/1003/chat").json()
            dewi = httpx.get(f"{url}/sandbox/users/1005/chat").json()
            if len(siti) >= 2 and len(dewi) >= 2:
                break
            time.sleep(0.1)
        assert "Selamat datang kembali" in siti[-1]["text"]  # Indonesian user
        assert "Welcome back" in dewi[-1]["text"]  # Dewi chose English
        answer = httpx.post(
            f"{url}/sandbox/users/1003/messages", json={"text": "/bantuan", "wait": 3}, timeout=10
        ).json()
        assert "/lapor" in json.dumps(answer["replies"])
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert proc.returncode == 0


async def _run_async(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Like run(), without blocking the loop that serves the in-process sandbox."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, err.decode()


async def test_a_rejected_token_or_wrong_api_url_stops_run_with_one_line(
    env: dict[str, str], sandbox: Sandbox
) -> None:
    """Issue 7 defect 16: no traceback, one line naming the variable to fix."""
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    cases = {
        "TELEGRAM_BOT_TOKEN": {
            "TELEGRAM_BOT_TOKEN": "111111:NOT-the-sandbox-token",
            "TELEGRAM_API_BASE_URL": sandbox.api_base_url,
        },
        "TELEGRAM_API_BASE_URL": {
            "TELEGRAM_BOT_TOKEN": sandbox.token,
            "TELEGRAM_API_BASE_URL": f"http://127.0.0.1:{closed}/bot",
        },
    }
    not_an_api = {"TELEGRAM_BOT_TOKEN": sandbox.token}
    not_an_api["TELEGRAM_API_BASE_URL"] = sandbox.base_url + "/nothing-here/bot"
    checks = [*cases.items(), ("TELEGRAM_API_BASE_URL", not_an_api)]
    for command, (variable, extra) in zip(["run", "serve", "worker"], checks, strict=True):
        code, err = await _run_async([command], {**env, **extra})
        lines = err.strip().splitlines()
        assert code == 2, err
        assert len(lines) == 1 and "Traceback" not in err, err
        assert lines[0].startswith(f"Configuration error: {variable}: "), err


def test_the_wheel_carries_locales_and_migrations(env: dict[str, str], tmp_path: Path) -> None:
    """Issue 7 defect 17: an installed bot (not the checkout) translates and migrates.

    The wheel is unpacked outside the checkout and put first on the path, so `bot`,
    `storage` and `locales` come from it; .ci/run also installs it into a fresh venv.
    """
    # From a clean copy: an in-tree build/ left by an earlier build could hide a missing file.
    source = tmp_path / "src"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "*.db*", ".*_cache"
        ),
    )
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode != 0 and "Could not find a version" in built.stderr:
        pytest.skip("no package index to fetch the build backend from")
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("kinerja_bot-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    sources = {p.relative_to(ROOT).as_posix() for p in (ROOT / "locales").rglob("*.json")}
    assert sources and sources <= names
    assert "storage/migrations/script.py.mako" in names
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    with zipfile.ZipFile(wheel) as zf:
        assert "License-Expression: MIT" in zf.read(metadata).decode()

    probe = (
        "import bot, bot.i18n as i;"
        "print(bot.__file__);"
        "print(i.t('id', 'cmd.lapor'));"
        "print(i.t('en', 'cmd.lapor'))"
    )
    installed = {**env, "PYTHONPATH": str(tmp_path / "site")}

    def from_wheel(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            cwd=tmp_path,
            env=installed,
            capture_output=True,
            text=True,
            timeout=120,
        )

    out = from_wheel("-c", probe)
    assert out.returncode == 0, out.stderr
    where, lapor_id, lapor_en = out.stdout.splitlines()
    assert where.startswith(str(tmp_path / "site"))
    assert lapor_id != "cmd.lapor" and lapor_en != "cmd.lapor" and lapor_id != lapor_en
    if env["DATABASE_URL"].startswith("sqlite"):
        migrated = from_wheel("-m", "bot", "migrate")
        assert migrated.returncode == 0, migrated.stderr


def test_import_employees_reads_a_hostile_file_row_by_row(
    env: dict[str, str], tmp_path: Path
) -> None:
    """Issue 8 defects 3 and 10: UTF-16, CR-only lines, bad rows reported, good rows kept."""
    if env["DATABASE_URL"].startswith("postgresql"):
        pytest.skip("shares the PostgreSQL test database with the running suite")
    rows = [
        "nip;nama;jabatan;unit;nip_atasan;peran",
        "197505101998031003;Drs. Bambang;Kepala Sekolah;Dinas > SDN 1;;staff,supervisor",
        f"199208082019031005;{'N' * 201};Guru;Dinas > SDN 1;;staff",
        '199301012019031006;"Rudi;Guru;Dinas > SDN 1;;staff',
        "１９９００１２２２０１５０４２００１;Siti;Guru;Dinas > SDN 1;197505101998031003;",
        "199401012019031007;=1+1;Guru;Dinas > SDN 1;;staff",
    ]
    csv = tmp_path / "pegawai.csv"
    csv.write_bytes("\r".join(rows).encode("utf-16"))
    assert run(["migrate"], env).returncode == 0
    result = run(["import-employees", str(csv)], env)
    assert result.returncode == 0, result.stderr
    assert "Baris 3: Nama lebih dari 200 karakter." in result.stderr
    assert "Baris 4: Tanda kutip" in result.stderr
    assert "3 pegawai baru, 0 diperbarui, 2 baris bermasalah." in result.stdout
    assert "Traceback" not in result.stderr

    latin = tmp_path / "latin.csv"
    latin.write_bytes("nip;nama\n199501012019031008;Ñoman Çahyo\n".encode("cp1252"))
    result = run(["import-employees", str(latin)], env)
    assert result.returncode == 0, result.stderr
    assert "Windows-1252" in result.stderr
    assert "1 pegawai baru" in result.stdout

    english = tmp_path / "english.csv"
    english.write_text("nip,name\n199601012019031009,Made\n", encoding="utf-8")
    result = run(["import-employees", str(english)], {**env, "DEFAULT_LANGUAGE": "en"})
    assert result.returncode == 0, result.stderr
    assert "1 new employee, 0 updated, 0 rows with problems." in result.stdout  # QA defect 15
