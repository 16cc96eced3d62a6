"""/admin end to end: who may use it, adding and finding employees, atasan, invites, CSV."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from storage.models import Employee
from tests.e2e.conftest import World, buttons, texts

NEW_NIP = "198812032014022002"
BAD_PPPK = "199001012022211001"


async def _person(world: World, name: str, nip: str, **kwargs: Any) -> Employee:
    """An employee with a NIP that passes the PNS rules (the atasan prompt checks them)."""
    emp = await world.add_employee(name, **kwargs)
    async with world.db.session() as session:
        row = await session.get(Employee, emp.id)
        assert row is not None
        row.nip = nip
    emp.nip = nip
    return emp


async def _employee(world: World, nip: str) -> Employee | None:
    async with world.db.session() as session:
        result = await session.execute(select(Employee).where(Employee.nip == nip))
        return result.scalar_one_or_none()


async def test_only_admins_get_the_menu(world: World) -> None:
    staff = await world.add_employee("Siti")
    other = await world.add_employee("Andi")
    tg = await world.join(staff)
    refused = await world.client.send(tg, "/admin")
    assert "tidak berhak" in texts(refused["replies"])
    forged = await world.client.press(
        tg, refused["replies"][0]["message_id"], callback_data=f"adm:act:{other.id}:0"
    )
    assert forged["answer"] is not None and "tidak berhak" in forged["answer"]["text"]
    target = await _employee(world, other.nip)
    assert target is not None and target.active

    world.settings.admin_telegram_ids.append(tg)  # ADMIN_TELEGRAM_IDS also counts
    try:
        menu = (await world.client.send(tg, "/admin"))["replies"][0]
    finally:
        world.settings.admin_telegram_ids.remove(tg)
    assert buttons(menu) == ["➕ Tambah pegawai", "🔍 Cari pegawai", "📥 Impor CSV"]


async def test_add_find_atasan_invite_and_deactivate(world: World) -> None:
    admin = await _person(world, "Rina", "198703152010012004", roles="staff,admin")
    boss = await _person(world, "Drs. Bambang", "197505101998031003", roles="staff,supervisor")
    siti = await _person(world, "Siti Rahmawati", "199001222015042001", supervisor=boss)
    tg = await world.join(admin)

    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="➕ Tambah pegawai")
    lines = "\n".join(
        [
            f"{NEW_NIP};Dewi Lestari, A.Md.;Bendahara BOS;Dinas > SDN 1;{boss.nip};staff",
            f"{siti.nip};Siti Palsu;Guru;;;staff",
            "12345;Salah;Guru;;;staff",
            f"{BAD_PPPK};Pak PPPK;Guru PPPK;;;staff",
        ]
    )
    added = texts((await world.client.send(tg, lines))["replies"])
    assert "2 pegawai baru, 0 diperbarui, 2 baris bermasalah" in added
    assert "Baris 2: NIP" in added and "sudah terdaftar atas nama Siti Rahmawati" in added
    assert "Baris 3: NIP 12345 harus 18 digit" in added
    dewi = await _employee(world, NEW_NIP)
    assert dewi is not None and dewi.supervisor_id == boss.id
    pppk = await _employee(world, BAD_PPPK)
    assert pppk is not None and pppk.is_pppk

    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="🔍 Cari pegawai")
    card = (await world.client.send(tg, "bambang"))["replies"][-1]
    assert "Drs. Bambang" in card["text"] and boss.nip in card["text"]
    assert "👤 Atur atasan" in buttons(card)

    # Siti works under Bambang, so Siti cannot become Bambang's atasan
    await world.client.press(tg, card["message_id"], button="👤 Atur atasan")
    await _question_shown(world, tg, "Kirim NIP atasan")  # read it before answering it
    loop = texts((await world.client.send(tg, siti.nip))["replies"])
    assert "Ditolak" in loop and "berputar" in loop
    unknown = texts((await world.client.send(tg, "199999999999999999"))["replies"])
    assert "Tidak ada pegawai dengan NIP" in unknown
    ok = await world.client.send(tg, admin.nip)
    assert "Atasan diubah: Drs. Bambang → Rina" in texts(ok["replies"])
    boss_now = await _employee(world, boss.nip)
    assert boss_now is not None and boss_now.supervisor_id == admin.id

    card = ok["replies"][-1]
    await world.client.press(tg, card["message_id"], button="✏️ Ubah jabatan")
    changed = await world.client.send(tg, "Kepala Sekolah")
    assert "Jabatan: Kepala Sekolah" in texts(changed["replies"])

    card = changed["replies"][-1]
    invite = await world.client.press(tg, card["message_id"], button="🔗 Undangan")
    link_text = texts(invite["replies"])
    assert f"https://t.me/{world.runtime.ctx.bot_username}?start=" in link_text  # type: ignore[union-attr]
    code = link_text.split("?start=")[1].split()[0]
    boss_tg = await world.new_user()
    linked = await world.client.send(boss_tg, f"/start {code}")
    assert "Halo, Bambang!" in texts(linked["replies"])

    dewi_card = await world.client.send(tg, f"/admin {NEW_NIP}")
    card = dewi_card["replies"][-1]
    invite = await world.client.press(tg, card["message_id"], button="🔗 Undangan")
    code = texts(invite["replies"]).split("?start=")[1].split()[0]
    dewi_tg = await world.new_user()
    assert "Halo, Dewi" in texts((await world.client.send(dewi_tg, f"/start {code}"))["replies"])

    off = await world.client.press(tg, card["message_id"], button="⛔ Nonaktifkan")
    assert "nonaktif" in texts(off["replies"])
    edited = [m for m in await world.client.chat(tg) if m["message_id"] == card["message_id"]]
    assert "✅ Aktifkan" in buttons(edited[0])
    assert "nonaktif" in texts((await world.client.send(dewi_tg, "/skp"))["replies"])
    on = await world.client.press(tg, card["message_id"], button="✅ Aktifkan")
    assert "aktif" in texts(on["replies"])
    assert "Butir SKP" in texts((await world.client.send(dewi_tg, "/skp"))["replies"])


async def test_admin_cannot_deactivate_self_and_stale_ids(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(admin)
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    mid = menu["message_id"]
    own = await world.client.press(tg, mid, callback_data=f"adm:act:{admin.id}:0")
    assert own["answer"] is not None and "sendiri" in own["answer"]["text"]
    gone = await world.client.press(tg, mid, callback_data="adm:e:999999")
    assert gone["answer"] is not None and "tidak ditemukan" in gone["answer"]["text"]
    junk = await world.client.press(tg, mid, callback_data="adm:zz:1")
    assert junk["answer"] is not None and "tidak berlaku" in junk["answer"]["text"]
    me = await _employee(world, admin.nip)
    assert me is not None and me.active


CSV = (
    "nip;nama;jabatan;unit;nip_atasan;peran\n"
    f"{NEW_NIP};Dewi Lestari;Bendahara;Dinas > SDN 1;;staff\n"
    "123;Salah;Guru;;;staff\n"
).encode()


async def test_csv_upload_with_caption_or_from_the_menu(world: World) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    staff = await world.add_employee("Siti")
    tg = await world.join(admin)
    tg_staff = await world.join(staff)

    result = await world.client.send_document(tg, "pegawai.csv", CSV, caption="/import")
    reply = texts(result["replies"])
    assert "1 pegawai baru, 0 diperbarui, 1 baris bermasalah" in reply
    assert "Baris 3" in reply

    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="📥 Impor CSV")
    waiting = await world.client.send(tg, "ini bukan berkas")
    assert "bukan teks" in texts(waiting["replies"])
    result = await world.client.send_document(tg, "pegawai.csv", CSV)
    assert "0 pegawai baru, 1 diperbarui, 1 baris bermasalah" in texts(result["replies"])

    # right after /admin a .csv needs no caption; other files are left to the report flow
    await world.client.send(tg, "/admin")
    result = await world.client.send_document(tg, "pegawai.csv", CSV)
    assert "0 pegawai baru, 1 diperbarui" in texts(result["replies"])
    result = await world.client.send_document(tg, "surat.pdf", b"%PDF-1.4")
    assert "pegawai baru" not in texts(result["replies"])

    refused = await world.client.send_document(tg_staff, "p.csv", CSV, caption="/import")
    assert "tidak berhak" in texts(refused["replies"])


async def _question_shown(world: World, tg: int, words: str, within: float = 10.0) -> None:
    """Wait until the bot's question is in the chat, as a person reads it before answering
    (on a loaded machine a press can return before the question arrives)."""
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        chat = await world.client.chat(tg)
        if any(words in str(m.get("text")) for m in chat[-2:] if m.get("from") == "bot"):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"the bot never asked {words!r}")
