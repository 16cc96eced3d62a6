"""/rekap and /evaluasi through the sandbox: a photo and a text, who may see whom, the
monthly rating from the first press to the employee's notice."""

from __future__ import annotations

import asyncio
import struct
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import httpx
from sqlalchemy import select, update

from handlers.evaluation import prompt_job
from storage.models import Employee, Evaluation, OutboxMessage
from tests.e2e.conftest import World, buttons, texts
from tests.e2e.seed_recap import seed_month

THURSDAY = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 WIB


async def _file(world: World, entry: dict[str, Any], kind: str) -> bytes:
    async with httpx.AsyncClient(base_url=world.sandbox.base_url) as http:
        response = await http.get(entry[kind]["url"])
        response.raise_for_status()
        return response.content


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def _wait_for(world: World, tg: int, needle: str) -> dict[str, Any]:
    """The first message in the chat containing `needle` (the outbox sends it shortly)."""
    for _ in range(50):
        for message in await world.client.chat(tg):
            if needle in str(message.get("text")):
                return message
        await asyncio.sleep(0.1)
    raise AssertionError(f"no message with {needle!r}")


async def registered_since(world: World, at: datetime) -> None:
    """Everyone joined the bot at `at` (recaps count missing days only from then)."""
    async with world.db.session() as session:
        await session.execute(update(Employee).values(created_at=at))


async def _team(world: World) -> tuple[Any, Any, Any, int, int, int]:
    boss = await world.add_employee("Bambang", roles="staff,supervisor", position="Kepala")
    siti = await world.add_employee("Siti", supervisor=boss)
    andi = await world.add_employee("Andi", supervisor=boss)
    await registered_since(world, datetime(2026, 1, 5, tzinfo=UTC))
    return boss, siti, andi, await world.join(boss), await world.join(siti), await world.join(andi)


async def test_rekap_sends_a_chart_and_a_summary(world: World) -> None:
    world.clock.set(THURSDAY)
    _boss, siti, _andi, tg_boss, tg_siti, tg_andi = await _team(world)
    await seed_month(
        world.db, siti, [(date(2026, 11, 23), "approved"), (date(2026, 11, 24), "submitted")]
    )

    result = await world.client.send(tg_siti, "/rekap")
    replies = result["replies"]
    photo = next(r for r in replies if r.get("photo"))
    assert _png_size(await _file(world, photo, "photo")) == (720, 960)
    text = texts(replies)
    assert "Rekap Siti" in text
    assert "Jam: 12 dari 30 jam (4 hari kerja s.d. 26 Nov)" in text
    assert "Belum lapor (2)" in text  # Wednesday and Thursday
    assert "Menunggu persetujuan" in text
    assert "Menyusun laporan" in text and "4/12 dokumen" in text
    assert "Tugas tambahan" in text
    last = replies[-1]
    assert "📅 Bulan ini" in buttons(last)

    # another period by button: a new photo and text
    pressed = await world.client.press(tg_siti, last["message_id"], button="📅 Bulan ini")
    assert any(r.get("photo") for r in pressed["replies"])
    assert "November 2026" in texts(pressed["replies"])

    # the atasan sees Siti by NIP and the team; Andi may not see Siti
    by_nip = await world.client.send(tg_boss, f"/rekap {siti.nip}")
    assert "Rekap Siti" in texts(by_nip["replies"])
    team = await world.client.send(tg_boss, "/rekap tim")
    assert any(r.get("photo") for r in team["replies"])
    team_text = texts(team["replies"])
    assert "Andi" in team_text and "Siti" in team_text and "Tertinggal: 2 orang" in team_text
    refused = await world.client.send(tg_andi, f"/rekap {siti.nip}")
    assert "tidak dapat melihat" in texts(refused["replies"])
    assert not any(r.get("photo") for r in refused["replies"])
    forged = await world.client.press(
        tg_andi, refused["replies"][-1]["message_id"], callback_data=f"rk:p:{siti.id}:m"
    )
    assert forged["answer"] is not None and "tidak dapat melihat" in forged["answer"]["text"]


async def test_rekap_bad_periods_get_clear_answers(world: World) -> None:
    world.clock.set(THURSDAY)
    siti = await world.add_employee("Siti")
    await registered_since(world, datetime(2026, 6, 1, tzinfo=UTC))
    tg = await world.join(siti)
    future = texts((await world.client.send(tg, "/rekap 2027-01"))["replies"])
    assert "belum dimulai" in future
    unknown = texts((await world.client.send(tg, "/rekap kapan-kapan"))["replies"])
    assert "tidak saya kenali" in unknown
    before = texts((await world.client.send(tg, "/rekap 2026-01"))["replies"])
    assert "baru terdaftar di bot sejak 1 Juni 2026" in before
    empty = texts((await world.client.send(tg, "/rekap minggu lalu"))["replies"])
    assert "Belum ada laporan Siti untuk minggu 16 Nov – 22 Nov 2026" in empty
    assert "Belum lapor (5)" in empty


async def test_monthly_rating_reaches_the_employee(world: World) -> None:
    world.clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=UTC))  # Tue 1 Dec, 09:00 WIB
    boss, siti, _andi, tg_boss, tg_siti, tg_andi = await _team(world)
    await seed_month(world.db, siti, [(date(2026, 11, 23), "approved")])

    # the job asks the atasan once, however often it runs
    assert world.runtime is not None
    job_context = SimpleNamespace(bot_data={"ctx": world.runtime.ctx})
    await prompt_job(job_context)  # type: ignore[arg-type]
    await prompt_job(job_context)  # type: ignore[arg-type]
    async with world.db.session() as session:
        keys = (
            await session.execute(
                select(OutboxMessage.dedupe_key).where(OutboxMessage.chat_id == tg_boss)
            )
        ).scalars()
        assert list(keys) == [f"ev:prompt:{boss.id}:2026-11"]

    prompt = await _wait_for(world, tg_boss, "saatnya menilai kinerja November 2026")
    assert "2 bawahan belum dinilai" in prompt["text"]
    started = await world.client.press(tg_boss, prompt["message_id"], button="📝 Mulai penilaian")
    listing = started["replies"][-1]
    assert "0/2 sudah dinilai" in listing["text"]
    again = (await world.client.send(tg_boss, "/evaluasi"))["replies"][-1]
    assert buttons(again) == buttons(listing) == ["⬜ Andi", "⬜ Siti"]
    chosen = await world.client.press(tg_boss, listing["message_id"], button="⬜ Siti")
    ask = chosen["replies"][-1]
    assert "Hasil kerja" in ask["text"] and "Menyusun laporan" in ask["text"]
    step = await world.client.press(tg_boss, ask["message_id"], button="Sesuai ekspektasi")
    assert "BerAKHLAK" in texts(step["replies"])
    step = await world.client.press(tg_boss, ask["message_id"], button="Di atas ekspektasi")
    assert "Predikat: Baik" in texts(step["replies"])

    # Andi forges a press for Siti's rating: refused, nothing saved
    andi_msg = (await world.client.send(tg_andi, "/evaluasi"))["replies"][-1]
    assert "belum punya bawahan" in andi_msg["text"]
    forged = await world.client.press(
        tg_andi, andi_msg["message_id"], callback_data=f"ev:s:{siti.id}:202611:a:a"
    )
    assert forged["answer"] is not None and "bukan atasan" in forged["answer"]["text"]

    await world.client.press(tg_boss, ask["message_id"], button="✍️ Tambah catatan")
    saved = await world.client.send(tg_boss, "Laporan <rapi>, pertahankan.", wait=3.0)
    assert "tersimpan: Baik" in texts(saved["replies"])
    async with world.db.session() as session:
        row = (await session.execute(select(Evaluation))).scalar_one()
        assert (row.rating_result, row.rating_behaviour, row.predikat, row.note) == (
            "meets",
            "above",
            "Baik",
            "Laporan <rapi>, pertahankan.",
        )
    notice = await _wait_for(world, tg_siti, "Penilaian kinerja November 2026")
    assert "Predikat: Baik" in notice["text"] and "Laporan <rapi>, pertahankan." in notice["text"]
