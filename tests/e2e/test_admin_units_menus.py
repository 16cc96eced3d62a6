"""Issue 7 defect 15: units matched as admins type them, menus that follow the person,
and the invite as a link with a share button. All failed before the fix."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Employee, Unit
from tests.e2e.conftest import World, texts

ADMIN_NIP = "198703152010012004"
NIPS = ("198812032014022002", "199102112019031004", "198905052015041003")


async def _admin(world: World) -> int:
    admin = await world.add_employee("Rina", roles="staff,admin")
    async with world.db.session() as session:
        row = await session.get(Employee, admin.id)
        assert row is not None
        row.nip = ADMIN_NIP
        dinas = Unit(name="Dinas Pendidikan")
        session.add(dinas)
        await session.flush()
        session.add(Unit(name="SDN 1 Sukamaju", parent_id=dinas.id))
        kes = Unit(name="Dinas Kesehatan")
        session.add(kes)
        await session.flush()
        session.add(Unit(name="Sekretariat", parent_id=dinas.id))
        session.add(Unit(name="Sekretariat", parent_id=kes.id))
    return await world.join(admin)


async def _unit_of(world: World, nip: str) -> str | None:
    async with world.db.session() as session:
        emp = (await session.execute(select(Employee).where(Employee.nip == nip))).scalar_one()
        if emp.unit_id is None:
            return None
        unit = await session.get(Unit, emp.unit_id)
        assert unit is not None
        parent = await session.get(Unit, unit.parent_id) if unit.parent_id else None
        return f"{parent.name} > {unit.name}" if parent else unit.name


async def test_units_by_short_name_or_path_match_existing_ones(world: World) -> None:
    tg = await _admin(world)
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="➕ Tambah pegawai")
    lines = "\n".join(
        [
            f"{NIPS[0]};Dewi;Guru;  sdn 1   SUKAMAJU ;;staff",
            f"{NIPS[1]};Andi;Guru;dinas pendidikan > SDN 1 sukamaju;;staff",
            f"{NIPS[2]};Budi;Staf;Sekretariat;;staff",
        ]
    )
    added = texts((await world.client.send(tg, lines))["replies"])
    assert "2 pegawai baru" in added
    assert "Baris 3" in added and "ada di beberapa tempat" in added
    assert "Dinas Pendidikan &gt; Sekretariat" in added or "Dinas Pendidikan > Sekretariat" in added
    assert await _unit_of(world, NIPS[0]) == "Dinas Pendidikan > SDN 1 Sukamaju"
    assert await _unit_of(world, NIPS[1]) == "Dinas Pendidikan > SDN 1 Sukamaju"
    async with world.db.session() as session:
        count = (await session.execute(select(func.count(Unit.id)))).scalar_one()
    assert count == 5  # no second "SDN 1 Sukamaju" at the top


async def test_menus_follow_language_and_admin_role_and_invite_is_a_link(world: World) -> None:
    tg = await _admin(world)
    assert "admin" in {c["command"] for c in await world.client.commands(tg)}
    staff = await world.add_employee("Siti")
    tg_siti = await world.join(staff, language_code="id")
    menu = (await world.client.send(tg_siti, "/bahasa"))["replies"][0]
    await world.client.press(tg_siti, menu["message_id"], button="🇬🇧 English")
    commands = {c["command"]: c["description"] for c in await world.client.commands(tg_siti)}
    assert commands["lapor"] == "Report activities" and "admin" not in commands

    card = (await world.client.send(tg, f"/admin {staff.nip}"))["replies"][-1]
    invite = (await world.client.press(tg, card["message_id"], button="🔗 Undangan"))["replies"]
    message = [m for m in invite if "?start=" in m["text"]][-1]
    links = [e for e in message["entities"] if e["type"] in ("text_link", "url")]
    assert links, message["entities"]
    share = message["buttons"][0][0]
    assert share["text"] == "📤 Bagikan" and share["url"].startswith("https://t.me/share/url?url=")
