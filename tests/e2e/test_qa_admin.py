"""QA walk of the admin side (/admin, /skp) as people type: each test names the defect it pins."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import SkpItem
from tests.e2e.conftest import World, texts


async def test_skp_paste_of_an_e_kinerja_list_skips_the_heading_and_reads_targets(
    world: World,
) -> None:
    rina = await world.add_employee("Rina", skp=[])
    tg = await world.join(rina)
    listing = (await world.client.send(tg, "/skp"))["replies"][0]
    await world.client.press(tg, listing["message_id"], button="➕ Tambah")
    result = await world.client.send(
        tg,
        "Rencana Aksi\n"
        "1. Terlaksananya pengelolaan data kepegawaian\tLaporan\t12 Dokumen\n"
        "2. Tersusunnya usulan kenaikan pangkat - 24 Berkas\n",
    )
    reply = texts(result["replies"])
    assert "2 butir SKP ditambahkan" in reply
    assert "Rencana Aksi\n" not in reply
    async with world.db.session() as session:
        rows = await session.execute(
            select(SkpItem).where(SkpItem.employee_id == rina.id).order_by(SkpItem.id)
        )
        items = [(i.title, i.target_qty, i.unit) for i in rows.scalars()]
    assert items == [
        ("Terlaksananya pengelolaan data kepegawaian", 12.0, "Dokumen"),
        ("Tersusunnya usulan kenaikan pangkat", 24.0, "Berkas"),
    ]
