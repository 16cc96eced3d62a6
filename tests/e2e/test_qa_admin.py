"""QA walk of the admin side (/admin, /skp) as people type: each test names the defect it pins."""

from __future__ import annotations

from sqlalchemy import select

from bot.i18n import t
from storage.models import Employee, SkpItem, Unit
from tests.e2e.conftest import World, texts
from tests.e2e.test_reminders import TUESDAY, at, bot_messages, next_bot_message, run_tick


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
    assert "Unit: SD Negeri 1 Sukamaju (ID " in card["text"]
    async with world.db.session() as session:
        names = sorted((await session.execute(select(Unit.name))).scalars())
        budi = (
            await session.execute(select(Employee).where(Employee.nip == "199504122020121003"))
        ).scalar_one()
        school = await session.get(Unit, budi.unit_id)
    assert names == ["Dinas Pendidikan Kabupaten Contoh", "SD Negeri 1 Sukamaju"]
    assert school is not None and school.name == "SD Negeri 1 Sukamaju"


async def test_reminder_greets_by_name_without_degree_and_snooze_speaks_the_glossary(
    world: World,
) -> None:
    """QA admin: 'Halo, Siti Rahmawati, S.Pd.!' (the degree's comma inside the greeting) and
    the snooze toast 'pukul 16:30' in Indonesian (the glossary writes 16.30)."""
    siti = await world.add_employee("Siti Rahmawati, S.Pd.")
    dewi = await world.add_employee("Drs. Dewi Lestari, A.Md.", language="en")
    tg_siti, tg_dewi = await world.join(siti), await world.join(dewi, language_code="en")
    seen = {tg: len(await bot_messages(world, tg)) for tg in (tg_siti, tg_dewi)}
    world.clock.set(at(TUESDAY, 15, 30))
    assert await run_tick(world) == 2
    for tg, lang, greeting, clock in (
        (tg_siti, "id", "Halo, Siti Rahmawati! Belum ada", "16.30"),
        (tg_dewi, "en", "Hi, Dewi Lestari! Nothing is logged", "16:30"),
    ):
        reminder = await next_bot_message(world, tg, seen[tg])
        assert reminder["text"].startswith(greeting), reminder["text"]
        pressed = await world.client.press(
            tg, reminder["message_id"], t(lang, "reminders.button_snooze")
        )
        assert pressed["answer"]["text"] == t(lang, "reminders.snooze_set", time=clock)


async def test_admin_add_says_counts_in_english_grammar_and_leads_to_the_card(
    world: World,
) -> None:
    """QA admin: '1 new employees, 0 updated, 1 rows with problems.' in English, and the
    result led nowhere: the admin had to search the person again for the invite link."""
    rina = await world.add_employee("Rina", roles="staff,admin", language="en")
    tg = await world.join(rina, language_code="en")
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="➕ Add employees")
    result = (
        await world.client.send(
            tg,
            "1996 0214 202203 2 001;Lina Marlina;Teacher;Dinas;;staff\n"
            "19960214202203;Tono;Teacher;Dinas;;staff",
        )
    )["replies"][-1]
    assert result["text"].startswith("1 new employee, 0 updated, 1 row with problems.\n"), result
    card = (await world.client.press(tg, result["message_id"], button="👤 Lina Marlina"))[
        "replies"
    ][-1]
    assert "NIP: 199602142022032001" in card["text"]
    assert card["message_id"] != result["message_id"]  # the result with its errors stays
    kept = [m for m in await world.client.chat(tg) if m["message_id"] == result["message_id"]]
    assert "Line 2:" in kept[0]["text"]
    invite = await world.client.press(tg, card["message_id"], button="🔗 Invite")
    assert "?start=" in texts(invite["replies"])


async def test_setting_an_atasan_with_a_degree_and_a_spaced_nip_reads_cleanly(
    world: World,
) -> None:
    """QA admin: 'Atasan Lina sekarang Rina Kartika, S.E..' (a double stop after the degree);
    the NIP is typed with spaces as it is printed on the SK."""
    rina = await world.add_employee("Rina Kartika, S.E.", roles="staff,admin")
    lina = await world.add_employee("Lina Marlina")
    tg = await world.join(rina)
    card = (await world.client.send(tg, f"/admin {lina.nip}"))["replies"][-1]
    await world.client.press(tg, card["message_id"], button="👤 Atur atasan")
    spaced = f"{rina.nip[:8]} {rina.nip[8:14]} {rina.nip[14]} {rina.nip[15:]}"
    reply = texts((await world.client.send(tg, spaced))["replies"])
    assert "✅ Atasan diubah: Lina Marlina → Rina Kartika, S.E.\n" in reply
    assert "S.E.." not in reply


async def test_deactivating_an_atasan_with_staff_warns_that_their_reports_wait(
    world: World,
) -> None:
    """QA admin: deactivating Bambang (atasan of three staff) said only 'Pegawai
    dinonaktifkan.' in a toast; their reports then waited on nobody."""
    rina = await world.add_employee("Rina", roles="staff,admin")
    boss = await world.add_employee("Bambang", roles="staff,supervisor")
    siti = await world.add_employee("Siti", supervisor=boss)
    await world.add_employee("Andi", supervisor=boss)
    tg = await world.join(rina)
    card = (await world.client.send(tg, f"/admin {boss.nip}"))["replies"][-1]
    pressed = await world.client.press(tg, card["message_id"], button="⛔ Nonaktifkan")
    assert pressed["answer"]["show_alert"] is True
    assert pressed["answer"]["text"].startswith("Pegawai dinonaktifkan. 2 pegawai aktif")
    card = (await world.client.send(tg, f"/admin {siti.nip}"))["replies"][-1]
    plain = await world.client.press(tg, card["message_id"], button="⛔ Nonaktifkan")
    assert plain["answer"]["text"] == "Pegawai dinonaktifkan."
    assert plain["answer"]["show_alert"] is False


async def test_bahasa_with_the_language_typed_switches_at_once(world: World) -> None:
    """QA admin: '/bahasa en' showed the chooser again, the 'en' was ignored."""
    rina = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(rina)
    switched = (await world.client.send(tg, "/bahasa en"))["replies"]
    assert texts(switched) == "Language changed to English."
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    assert menu["text"].startswith("🛠 Admin menu")
    commands = {c["command"]: c["description"] for c in await world.client.commands(tg)}
    assert commands["lapor"] == "Report activities"
    back = (await world.client.send(tg, "/language Indonesia"))["replies"]
    assert "Bahasa Indonesia" in texts(back)
    chooser = (await world.client.send(tg, "/bahasa klingon"))["replies"][0]
    assert len(chooser["buttons"]) == 2


async def test_a_linked_admins_menu_and_help_list_every_command(world: World) -> None:
    """QA admin: after /start (or /bahasa) the per-chat menu listed only /lapor /hariini /skp
    /admin /bahasa /bantuan /start, hiding /rekap, /cuti, /pengaturan, /broadcast…, and
    /bantuan named none of them."""
    from bot import menus

    COMMANDS = menus.DEFAULT  # the defaults and the per-chat menu come from one list
    ADMIN_COMMANDS = menus.commands_for({"staff", "admin"})
    rina = await world.add_employee("Rina", roles="staff,admin")
    siti = await world.add_employee("Siti")
    tg, tg_siti = await world.join(rina), await world.join(siti)
    assert [c["command"] for c in await world.client.commands(tg)] == list(ADMIN_COMMANDS)
    assert [c["command"] for c in await world.client.commands(tg_siti)] == list(COMMANDS)
    help_text = texts((await world.client.send(tg, "/bantuan"))["replies"])
    for command in ADMIN_COMMANDS:
        if command != "start":
            assert f"/{command}" in help_text, command
    staff_help = texts((await world.client.send(tg_siti, "/bantuan"))["replies"])
    assert "/broadcast" not in staff_help and "/cuti" in staff_help


async def test_a_unit_the_add_creates_is_named_in_the_result(world: World) -> None:
    """QA admin: 'SD Negeri 9' (a typo for an existing school, or a new one) became a new
    top-level unit without a word; the result now names the units it created."""
    rina = await world.add_employee("Rina", roles="staff,admin")
    async with world.db.session() as session:
        session.add(Unit(name="SD Negeri 1 Sukamaju"))
    tg = await world.join(rina)
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="➕ Tambah pegawai")
    result = (
        await world.client.send(
            tg,
            "199602142022032001;Lina;Guru;sdn 1;;staff\n"
            "199504122020121003;Budi;Guru;SD Negeri 9;;staff",
        )
    )["replies"][-1]
    assert "🏢 1 unit baru dibuat: SD Negeri 9." in result["text"]
    assert "Sukamaju" not in result["text"]


async def test_the_card_shows_the_unit_id_that_ekspor_unit_asks_for(world: World) -> None:
    """QA admin: '/ekspor bulan unit ID' is the only unit export, and no screen showed an ID."""
    rina = await world.add_employee("Rina", roles="staff,admin")
    async with world.db.session() as session:
        school = Unit(name="SD Negeri 1 Sukamaju")
        session.add(school)
        await session.flush()
        row = await session.get(Employee, rina.id)
        assert row is not None
        row.unit_id = school.id
        school_id = school.id
    tg = await world.join(rina)
    card = (await world.client.send(tg, f"/admin {rina.nip}"))["replies"][-1]
    assert f"Unit: SD Negeri 1 Sukamaju (ID {school_id})" in card["text"]
    help_text = texts((await world.client.send(tg, "/bantuan"))["replies"])
    assert "/ekspor bulan unit ID" in help_text and "kartu pegawai" in help_text
    export = await world.client.send(tg, f"/ekspor unit {school_id} semua")
    assert any(m.get("document") for m in export["replies"])


async def test_the_invite_welcome_greets_without_the_degree(world: World) -> None:
    """QA admin: 'Halo, Lina Marlina, S.Pd.! Akun Telegram Anda sudah terhubung…'."""
    lina = await world.add_employee("Lina Marlina, S.Pd.")
    await world.client.create_user(2001, "Lina", None, "id")
    code = await world.invite(lina)
    welcome = texts((await world.client.send(2001, f"/start {code}"))["replies"])
    assert welcome.startswith("Halo, Lina Marlina! Akun Telegram Anda sudah terhubung"), welcome
    again = texts((await world.client.send(2001, "/start"))["replies"])
    assert again.startswith("Selamat datang kembali, Lina Marlina!"), again


async def test_an_excel_file_sent_for_the_csv_import_says_how_to_save_a_csv(world: World) -> None:
    """QA admin: an .xlsx sent to 📥 Impor CSV answered 'Baris 1: Kolom wajib tidak ada:
    nip, name.' although the sheet has those columns; it is a workbook, not a CSV."""
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["nip", "nama", "jabatan", "unit", "nip_atasan", "peran"])
    sheet.append(["199602142022032002", "Maya", "Guru", "SDN 1", "", "staff"])
    data = io.BytesIO()
    book.save(data)
    rina = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(rina)
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="📥 Impor CSV")
    result = await world.client.send_document(tg, "pegawai.xlsx", data.getvalue(), wait=5)
    reply = texts(result["replies"])
    assert "pegawai.xlsx adalah berkas Excel, bukan CSV" in reply
    assert "Kolom wajib" not in reply
    async with world.db.session() as session:
        maya = await session.execute(select(Employee).where(Employee.nip == "199602142022032002"))
        assert maya.scalar_one_or_none() is None


async def test_an_excel_rounded_nip_in_an_uploaded_csv_is_explained(world: World) -> None:
    """QA admin: a CSV saved by Excel with the NIP as a number ('1,99602E+17')."""
    rina = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(rina)
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="📥 Impor CSV")
    data = b"nip;nama;jabatan;unit;nip_atasan;peran\r\n1,99602E+17;Maya;Guru;SDN 1;;staff\r\n"
    result = await world.client.send_document(tg, "pegawai.csv", data, wait=5)
    reply = texts(result["replies"])
    assert "Baris 2: NIP 1,99602E+17 sudah dibulatkan Excel" in reply


async def test_a_csv_without_heading_row_imports(world: World) -> None:
    """QA admin: a CSV that starts with the first employee (no heading row) imported nothing
    and said 'Baris 1: Kolom wajib tidak ada: nip, name.'."""
    rina = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(rina)
    menu = (await world.client.send(tg, "/admin"))["replies"][0]
    await world.client.press(tg, menu["message_id"], button="📥 Impor CSV")
    data = b"199602142022032001;Lina Marlina;Guru Kelas III;SDN 1;;staff\n"
    reply = texts((await world.client.send_document(tg, "lina.csv", data, wait=5))["replies"])
    assert "1 pegawai baru" in reply and "Kolom wajib" not in reply
