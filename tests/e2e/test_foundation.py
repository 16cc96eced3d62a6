"""Registration, help, language and fault handling, driven through the sandbox over HTTP."""

from __future__ import annotations

import asyncio

from sqlalchemy import select
from telegram import Update
from telegram.ext import CommandHandler, ContextTypes

from storage.models import Employee
from tests.e2e.conftest import World, buttons, texts


async def test_unknown_user_gets_a_short_explanation_and_nothing_else(world: World) -> None:
    tg = await world.new_user()
    result = await world.client.send(tg, "halo, saya mau lapor rapat 2 jam")
    assert len(result["replies"]) == 1
    assert "belum terdaftar" in result["replies"][0]["text"]
    assert "bukan aplikasi resmi BKN" in result["replies"][0]["text"]
    result = await world.client.send(tg, "/lapor")
    assert len(result["replies"]) == 1 and "belum terdaftar" in texts(result["replies"])


async def test_invite_links_the_account_and_answers_in_the_users_language(world: World) -> None:
    siti = await world.add_employee("Siti Rahmawati", position="Guru Kelas V")
    tg = await world.new_user(language_code="id")
    code = await world.invite(siti)
    result = await world.client.send(tg, f"/start {code}")
    reply = texts(result["replies"])
    assert "Halo, Siti Rahmawati" in reply and "Guru Kelas V" in reply
    async with world.db.session() as session:
        query = select(Employee).where(Employee.id == siti.id)
        linked = (await session.execute(query)).scalar_one()
    assert linked.telegram_user_id == tg

    dewi = await world.add_employee("Dewi Lestari")
    tg_en = await world.new_user(language_code="en-GB")
    result = await world.client.send(tg_en, f"/start {await world.invite(dewi)}")
    assert "Hello, Dewi Lestari" in texts(result["replies"])


async def test_bad_used_and_replaced_invites(world: World) -> None:
    andi = await world.add_employee("Andi Pratama")
    first = await world.invite(andi)
    second = await world.invite(andi)  # issuing a new code retires the old one
    tg = await world.new_user()
    assert "tidak dikenal" in texts((await world.client.send(tg, "/start nonsense"))["replies"])
    assert "kedaluwarsa" in texts((await world.client.send(tg, f"/start {first}"))["replies"])
    assert "Halo, Andi" in texts((await world.client.send(tg, f"/start {second}"))["replies"])
    other = await world.new_user()
    assert "sudah dipakai" in texts((await world.client.send(other, f"/start {second}"))["replies"])
    again = await world.client.send(tg, "/start")
    assert "Selamat datang kembali" in texts(again["replies"])


async def test_help_and_language_switch(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(admin)
    help_text = texts((await world.client.send(tg, "/bantuan"))["replies"])
    assert "/lapor" in help_text and "/admin" in help_text
    assert "bukan aplikasi resmi BKN" in help_text

    result = await world.client.send(tg, "/bahasa")
    menu = result["replies"][0]
    assert buttons(menu) == ["🇮🇩 Bahasa Indonesia", "🇬🇧 English"]
    pressed = await world.client.press(tg, menu["message_id"], button="🇬🇧 English")
    assert "Language changed to English" in texts(pressed["replies"])
    assert "not an official BKN product" in texts((await world.client.send(tg, "/help"))["replies"])

    forged = await world.client.press(tg, menu["message_id"], callback_data="lang:xx")
    assert forged["answer"] is not None and "no longer valid" in forged["answer"]["text"]


async def test_command_menus_are_set_per_language(world: World) -> None:
    staff = await world.add_employee("Siti")
    tg_id = await world.join(staff, language_code="id")
    tg_en = await world.new_user(language_code="en")
    menu_id = {c["command"]: c["description"] for c in await world.client.commands(tg_id)}
    menu_en = {c["command"]: c["description"] for c in await world.client.commands(tg_en)}
    assert menu_id["lapor"] == "Laporkan kegiatan"
    assert menu_en["lapor"] == "Report activities"
    assert "admin" not in menu_id
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg_admin = await world.join(admin)
    assert "admin" in {c["command"] for c in await world.client.commands(tg_admin)}


async def test_a_crash_gives_an_apology_and_the_admins_get_an_error_id(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    staff = await world.add_employee("Siti", language="en")
    tg_admin = await world.join(admin)
    tg_staff = await world.join(staff, language_code="en")

    async def boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        raise RuntimeError("kaboom <b>")

    assert world.runtime is not None
    world.runtime.app.add_handler(CommandHandler("boom", boom))
    result = await world.client.send(tg_staff, "/boom")
    assert texts(result["replies"]).startswith("Sorry, something went wrong")
    await asyncio.sleep(0.5)
    admin_chat = await world.client.chat(tg_admin)
    # Issue 8 defect 11: the type, not the message (it may hold personal data).
    assert "RuntimeError" in admin_chat[-1]["text"]
    assert "kaboom" not in admin_chat[-1]["text"]


async def test_the_bot_survives_5xx_and_429_from_telegram(world: World) -> None:
    staff = await world.add_employee("Siti")
    tg = await world.join(staff)
    await world.client.faults(error_rate=0.3, codes=[500, 502, 429], seed=1)
    for _ in range(4):
        result = await world.client.send(tg, "/bantuan", wait=20)
        assert "Kinerja Bot" in texts(result["replies"])
    await world.client.faults(error_rate=0.0)
    stats = await world.client.stats()
    assert sum(int(v) for v in stats["errors"].values()) > 0
