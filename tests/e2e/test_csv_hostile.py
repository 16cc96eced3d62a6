"""A hostile CSV uploaded in the chat (issue 8 defects 3 and 10): an answer, never a crash.

Runs on SQLite and PostgreSQL (where a 201-character name used to roll the whole file back).
"""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Employee
from tests.e2e.conftest import World, texts

ROWS = [
    "nip;nama;jabatan;unit;nip_atasan;peran",
    "197505101998031003;Drs. Bambang;Kepala Sekolah;Dinas > SDN 1;;staff,supervisor",
    f"199208082019031005;{'N' * 201};Guru;Dinas > SDN 1;;staff",  # too long for the column
    '199301012019031006;"Rudi;Guru;Dinas > SDN 1;;staff',  # a quote never closed
    f"199302022019031007;Budi;{'x' * (130 * 1024)};Dinas;;staff",  # a field over 128 KB
    "199001222015042001;Siti\x00 Rahmawati;Guru;Dinas > SDN 1;197505101998031003;staff",
    '199401012019031008;=HYPERLINK("http://x");Guru;Dinas > SDN 1;;staff',
]


async def test_a_hostile_csv_in_the_chat_imports_the_good_rows_and_names_the_bad(
    world: World,
) -> None:
    admin = await world.add_employee("Rina", roles="staff,admin")
    tg = await world.join(admin)
    data = "\r".join(ROWS).encode("utf-8")  # old Mac line endings: CR only
    result = await world.client.send_document(tg, "pegawai.csv", data, caption="/import", wait=10)
    reply = texts(result["replies"])
    assert "3 pegawai baru, 0 diperbarui, 3 baris bermasalah" in reply, reply
    assert "Baris 3" in reply and "Baris 4" in reply and "Baris 5" in reply
    assert "Maaf" not in reply  # no apology: nothing failed
    async with world.db.session() as session:
        people = {e.nip: e for e in (await session.execute(select(Employee))).scalars()}
    assert people["199001222015042001"].name == "Siti Rahmawati"  # NUL stripped
    assert people["199401012019031008"].name == '=HYPERLINK("http://x")'  # stored as given
    assert "199208082019031005" not in people and "199301012019031006" not in people
