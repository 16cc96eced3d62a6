"""The report's edit paths end to end: the full SKP list and its pages, the Ubah menu with
several activities, a new date by text, asking the SKP question again, removing one."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Activity
from tests.e2e.conftest import World, buttons, texts

ITEMS = [f"Butir kinerja nomor {n}" for n in range(1, 11)]


async def test_list_pages_edit_menu_date_skp_again_and_remove(world: World) -> None:
    siti = await world.add_employee("Siti", skp=ITEMS)
    tg = await world.join(siti)
    q = (await world.client.send(tg, "rapat dinas 1 jam\nmengajar IPA kelas V 2 jam"))["replies"][0]
    mid = q["message_id"]
    assert "Kegiatan 1 dari 2" in q["text"]

    page1 = (await world.client.press(tg, mid, button="📋 Lainnya…"))["replies"][0]
    assert "halaman 1 dari 2" in page1["text"] and "▶️" in buttons(page1)
    assert "◀️" not in buttons(page1)
    page2 = (await world.client.press(tg, mid, button="▶️"))["replies"][0]
    assert "halaman 2 dari 2" in page2["text"] and "10. Butir kinerja nomor 10" in page2["text"]
    assert "◀️" in buttons(page2) and "▶️" not in buttons(page2)
    back = (await world.client.press(tg, mid, button="⬅️ Kembali"))["replies"][0]
    assert "Kegiatan 1 dari 2" in back["text"]
    step = (await world.client.press(tg, mid, button="➕ Tugas tambahan"))["replies"][0]
    assert "Kegiatan 2 dari 2" in step["text"]
    summary = (await world.client.press(tg, mid, button="➕ Tugas tambahan"))["replies"][0]
    assert "Ringkasan laporan" in summary["text"]

    which = (await world.client.press(tg, mid, button="✏️ Ubah"))["replies"][0]
    assert "Kegiatan mana yang ingin diubah?" in which["text"]
    assert buttons(which) == ["1", "2", "⬅️ Kembali"]
    what = (await world.client.press(tg, mid, button="2"))["replies"][0]
    assert "Apa yang ingin diubah pada kegiatan 2?" in what["text"]
    asked = await world.client.press(tg, mid, button="Tanggal")
    assert "Tulis tanggal kegiatan 2" in texts(asked["replies"])
    bad = await world.client.send(tg, "tahun depan saja")
    assert "Tanggal itu tidak bisa dipakai" in texts(bad["replies"])
    good = await world.client.send(tg, "kemarin")
    summary = good["replies"][-1]
    assert "Ringkasan laporan" in summary["text"]
    assert summary["text"].count(" / 7,5 jam") == 2  # two dates now, one total each
    mid = summary["message_id"]

    await world.client.press(tg, mid, button="✏️ Ubah")
    await world.client.press(tg, mid, button="2")
    again = (await world.client.press(tg, mid, button="Butir SKP"))["replies"][0]
    assert "Kegiatan 2 dari 2" in again["text"] and "Termasuk butir SKP" in again["text"]
    await world.client.press(tg, mid, button="➕ Tugas tambahan")

    await world.client.press(tg, mid, button="✏️ Ubah")
    await world.client.press(tg, mid, button="1")
    confirm = (await world.client.press(tg, mid, button="🗑 Hapus"))["replies"][0]
    assert "Hapus kegiatan 1" in confirm["text"]  # two activities: asked first (issue 7 #11)
    removed = (await world.client.press(tg, mid, button="🗑 Ya, hapus"))["replies"][0]
    assert "Ringkasan laporan" in removed["text"] and "rapat dinas" not in removed["text"]
    done = await world.client.press(tg, mid, button="✅ Kirim")
    assert "Laporan terkirim: 1 kegiatan" in texts(done["replies"])
    async with world.db.session() as session:
        rows = (await session.execute(select(Activity))).scalars().all()
    assert [a.description for a in rows] == ["Mengajar IPA kelas V"]
