"""/skp end to end: list, add by pasting, archive, paging, forged buttons."""

from __future__ import annotations

from sqlalchemy import select

from bot import drafts
from storage.models import SkpItem
from tests.e2e.conftest import World, buttons, texts


async def _items(world: World, employee_id: int) -> list[SkpItem]:
    async with world.db.session() as session:
        rows = await session.execute(
            select(SkpItem).where(SkpItem.employee_id == employee_id).order_by(SkpItem.id)
        )
        return list(rows.scalars())


async def test_list_add_by_pasting_and_archive(world: World) -> None:
    siti = await world.add_employee("Siti", skp=["Melaksanakan pembelajaran di kelas"])
    tg = await world.join(siti)

    listing = (await world.client.send(tg, "/skp"))["replies"][0]
    assert "1. Melaksanakan pembelajaran di kelas" in listing["text"]
    assert "Non-trajectory" not in listing["text"]  # issue 7 defect 10: not under every item
    assert buttons(listing) == ["➕ Tambah", "🗄 Arsipkan"]

    asked = await world.client.press(tg, listing["message_id"], button="➕ Tambah")
    prompt = asked["replies"][-1]
    assert "satu per baris" in prompt["text"] and buttons(prompt) == ["Batal"]

    paste = (
        "1. Menyusun laporan bulanan | 12 laporan\n"
        "2. melaksanakan pembelajaran  di kelas\n"
        "- Menilai hasil belajar\n"
        "•\n"
        "Membuat RPP | banyak\n"
    )
    result = await world.client.send(tg, paste)
    reply = texts(result["replies"])
    assert "2 butir SKP ditambahkan" in reply
    assert "baris 2: sudah ada" in reply
    assert "baris 4: kosong" in reply
    assert "baris 5: target tidak terbaca" in reply
    assert "2. Menyusun laporan bulanan" in reply
    assert "Trajectory · Target: 12 laporan" in reply
    items = await _items(world, siti.id)
    assert [(i.title, i.kind, i.target_qty, i.unit) for i in items] == [
        ("Melaksanakan pembelajaran di kelas", "non_trajectory", None, None),
        ("Menyusun laporan bulanan", "trajectory", 12.0, "laporan"),
        ("Menilai hasil belajar", "non_trajectory", None, None),
    ]

    # the paste question is answered: the next text is not read as SKP items again
    async with world.db.session() as session:
        assert (await drafts.load(session, siti.id)).pending_input is None

    listing = result["replies"][-1]
    chooser = await world.client.press(tg, listing["message_id"], button="🗄 Arsipkan")
    choose = chooser["replies"][-1]
    assert buttons(choose)[:3] == ["🗄 1", "🗄 2", "🗄 3"]
    confirm = await world.client.press(tg, choose["message_id"], button="🗄 2")
    assert "Arsipkan butir ini?" in texts(confirm["replies"])
    assert "Menyusun laporan bulanan" in texts(confirm["replies"])
    done = await world.client.press(tg, choose["message_id"], button="🗄 Ya, arsipkan")
    after = texts(done["replies"])
    assert "Diarsipkan: Menyusun laporan bulanan" in after
    assert "2. Menilai hasil belajar" in after
    assert [i.active for i in await _items(world, siti.id)] == [True, False, True]

    again = await world.client.press(
        tg, choose["message_id"], callback_data=f"skp:ay:{items[1].id}"
    )
    assert again["answer"] is not None and "sudah diarsipkan" in again["answer"]["text"]


async def test_cancel_the_paste_question(world: World) -> None:
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    listing = (await world.client.send(tg, "/skp"))["replies"][0]
    assert "Belum ada butir SKP aktif" in listing["text"]
    assert buttons(listing) == ["➕ Tambah"]
    prompt = (await world.client.press(tg, listing["message_id"], button="➕ Tambah"))["replies"][
        -1
    ]
    cancelled = await world.client.press(tg, prompt["message_id"], button="Batal")
    assert "dibatalkan" in texts(cancelled["replies"])
    async with world.db.session() as session:
        assert (await drafts.load(session, siti.id)).pending_input is None


async def test_unreadable_paste_asks_again(world: World) -> None:
    siti = await world.add_employee("Siti")
    tg = await world.join(siti)
    listing = (await world.client.send(tg, "/skp"))["replies"][0]
    await world.client.press(tg, listing["message_id"], button="➕ Tambah")
    result = await world.client.send(tg, "- \n* ")
    assert "Tidak ada butir yang bisa dibaca" in texts(result["replies"])
    result = await world.client.send(tg, "Menyusun RPP")
    assert "1 butir SKP ditambahkan" in texts(result["replies"])


async def test_long_lists_are_paged(world: World) -> None:
    titles = [f"Butir kegiatan nomor {n}" for n in range(1, 12)]
    siti = await world.add_employee("Siti", skp=titles)
    tg = await world.join(siti)
    page1 = (await world.client.send(tg, "/skp"))["replies"][0]
    assert "8. Butir kegiatan nomor 8" in page1["text"] and "nomor 9" not in page1["text"]
    assert "Halaman 1/2" in page1["text"]
    assert "▶" in buttons(page1)
    page2 = await world.client.press(tg, page1["message_id"], button="▶")
    text = texts(page2["replies"])
    assert "9. Butir kegiatan nomor 9" in text and "11. Butir kegiatan nomor 11" in text
    assert "Halaman 2/2" in text
    chat = await world.client.chat(tg)
    assert "◀" in buttons(chat[-1])


async def test_forged_buttons_touch_nothing(world: World) -> None:
    siti = await world.add_employee("Siti", skp=["Punya Siti"])
    andi = await world.add_employee("Andi", skp=["Punya Andi"])
    tg = await world.join(siti)
    listing = (await world.client.send(tg, "/skp"))["replies"][0]
    andi_item = (await _items(world, andi.id))[0]
    for data in (f"skp:ay:{andi_item.id}", f"skp:a:{andi_item.id}", "skp:ay:999999", "skp:zz"):
        forged = await world.client.press(tg, listing["message_id"], callback_data=data)
        assert forged["answer"] is not None
        assert "tidak berlaku" in forged["answer"]["text"]
    assert (await _items(world, andi.id))[0].active
