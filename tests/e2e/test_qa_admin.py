"""QA walk of the admin side (/admin, /skp) as people type: each test names the defect it pins."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Employee, SkpItem, Unit
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


async def test_admin_add_with_a_short_unit_name_joins_the_existing_school(world: World) -> None:
    """QA admin: 'SDN 1' (as in the /admin add example) made a new top-level unit 'SDN 1'
    instead of the demo's 'SD Negeri 1 Sukamaju'; the card then showed 'Unit: SDN 1'."""
    rina = await world.add_employee("Rina", roles="staff,admin")
    async with world.db.session() as session:
        dinas = Unit(name="Dinas Pendidikan Kabupaten Contoh")
        session.add(dinas)
        await session.flush()
        session.add(Unit(name="SD Negeri 1 Sukamaju", parent_id=dinas.id))
    tg = await world.join(rina)
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="➕ Tambah pegawai")
    await world.client.send(
        tg,
        "199602142022032001;Lina Marlina;Guru Kelas III;SDN 1;;staff\n"
        "199504122020121003;Budi Santoso;Guru Olahraga;Dinas Pendidikan > sdn 1;;staff",
    )
    card = (await world.client.send(tg, "/admin 199602142022032001"))["replies"][-1]
    assert "Unit: SD Negeri 1 Sukamaju" in card["text"]
    async with world.db.session() as session:
        names = sorted((await session.execute(select(Unit.name))).scalars())
        budi = (
            await session.execute(select(Employee).where(Employee.nip == "199504122020121003"))
        ).scalar_one()
        school = await session.get(Unit, budi.unit_id)
    assert names == ["Dinas Pendidikan Kabupaten Contoh", "SD Negeri 1 Sukamaju"]
    assert school is not None and school.name == "SD Negeri 1 Sukamaju"
