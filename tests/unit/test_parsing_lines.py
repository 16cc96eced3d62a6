"""Numbers that are not dates/durations, splitting lines, greetings and headers."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.parsing import parse_report

NOW = datetime(2025, 11, 19, 16, 0)
TODAY = date(2025, 11, 19)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("mengajar kelas VII 2 jam", 120),
        ("mengajar kelas 8B 2 jam", 120),
        ("mengajar kls 4 2 jam", 120),
        ("mengawas ruang 4 2 jam", 120),
        ("rapat di lt. 3 2 jam", 120),
        ("menyusun modul bab 2 2 jam", 120),
        ("KKG gugus 5 2 jam", 120),
        ("pendataan warga RT 02/RW 07 2 jam", 120),
        ("mengagendakan surat nomor 005/17/2025 2 jam", 120),
        ("membuat nota dinas No. 800/123/BKPSDM/2026 2 jam", 120),
        ("menyusun jadwal TA 2025/2026 2 jam", 120),
        ("rekap nilai semester 1 2 jam", 120),
        ("laporan triwulan 3 2 jam", 120),
        ("melatih 12 siswa 2 jam", 120),
        ("rapat 4 orang 2 jam", 120),
        ("update data NIP 198503122010012002 2 jam", 120),
        ("membayar honor Rp 1.500.000 2 jam", 120),
        ("mencairkan Rp1,5 juta 2 jam", 120),
        ("membayar 1.250.000 rupiah 2 jam", 120),
        ("ketuntasan 85% 2 jam", 120),
        ("menghubungi 0812-3456-7890 2 jam", 120),
        ("mengawas jam ke 3-4 2 jam", 120),
        ("mengajar kelas 7 dan 8, 2 jam", 120),
    ],
)
def test_protected_numbers_are_not_dates_or_durations(text: str, minutes: int) -> None:
    acts = parse_report(text, NOW).activities
    assert len(acts) == 1
    assert acts[0].minutes == minutes
    assert acts[0].work_date == TODAY
    assert acts[0].start is None


@pytest.mark.parametrize(
    "text",
    [
        "mengajar kelas 9-11",
        "mengawas ruang 2-3",
        "rekap data RT 02/RW 07",
        "surat nomor 12/05/2025",
        "tahun ajaran 2025/2026",
    ],
)
def test_protected_numbers_give_no_time(text: str) -> None:
    act = parse_report(text, NOW).activities[0]
    assert act.minutes is None and act.start is None
    assert act.work_date == TODAY


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("rapat 2 jam, mengoreksi tugas 1 jam", 2),
        ("rapat 2 jam dan mengoreksi tugas 1 jam", 2),
        ("rapat 2 jam lalu mengoreksi tugas 1 jam", 2),
        ("rapat 2 jam kemudian mengoreksi tugas 1 jam", 2),
        ("rapat 2 jam setelah itu mengoreksi tugas 1 jam", 2),
        ("meeting 2 hours then checking homework 1 hour", 2),
        ("meeting 2 hours and checking homework 1 hour", 2),
        ("rapat dan koordinasi 2 jam", 1),
        ("rapat evaluasi; mengoreksi tugas", 2),
        ("08.00-10.00 rapat evaluasi, 10.00-12.00 mengoreksi tugas", 2),
        ("rapat evaluasi 2 jam dan 30 menit", 1),
    ],
)
def test_splitting(text: str, count: int) -> None:
    assert len(parse_report(text, NOW).activities) == count


def test_split_parts_keep_their_own_time() -> None:
    acts = parse_report(
        "rapat evaluasi 2 jam, lalu mengoreksi tugas siswa 45 menit", NOW
    ).activities
    assert [(a.description, a.minutes) for a in acts] == [
        ("Rapat evaluasi", 120),
        ("Mengoreksi tugas siswa", 45),
    ]


def test_bullets_and_numbering_are_stripped() -> None:
    text = "- rapat A 1 jam\n• rapat B 1 jam\n* rapat C 1 jam\n– rapat D 1 jam\n✅ rapat E 1 jam\n"
    text += "1. rapat F 1 jam\n2) rapat G 1 jam\na. rapat H 1 jam"
    descriptions = [a.description for a in parse_report(text, NOW).activities]
    assert descriptions == [f"Rapat {c}" for c in "ABCDEFGH"]


def test_greetings_closings_and_signature_are_not_activities() -> None:
    text = (
        "Assalamualaikum wr wb\n"
        "Selamat sore Bapak/Ibu, izin lapor kegiatan hari ini:\n"
        "- verifikasi berkas kenaikan pangkat 2 jam\n"
        "Terima kasih\n"
        "Wassalam\n"
        "Budi Santoso, S.Kom"
    )
    acts = parse_report(text, NOW).activities
    assert [a.description for a in acts] == ["Verifikasi berkas kenaikan pangkat"]


@pytest.mark.parametrize(
    "line",
    [
        "Selamat pagi",
        "Assalamualaikum",
        "makasih",
        "thanks",
        "Salam",
        "Hormat kami",
        "Berikut laporan kegiatan saya:",
        "Laporan kegiatan hari ini:",
        "Izin lapor",
        "Total 7,5 jam",
        "Tidak ada kegiatan",
    ],
)
def test_non_activity_lines(line: str) -> None:
    assert parse_report(line, NOW).activities == ()


def test_date_header_is_not_an_activity() -> None:
    acts = parse_report("Senin, 17 Nov:\nrapat evaluasi 1 jam", NOW).activities
    assert len(acts) == 1 and acts[0].work_date == date(2025, 11, 17)


def test_label_prefix_with_date() -> None:
    act = parse_report("Kemarin: rapat evaluasi 1 jam", NOW).activities[0]
    assert act.work_date == date(2025, 11, 18)
    assert act.description == "Rapat evaluasi"


def test_description_is_tidy() -> None:
    act = parse_report(
        "- tadi pagi saya mengoreksi 32 lembar jawaban PTS (2 jam).", NOW
    ).activities[0]
    assert act.description == "Mengoreksi 32 lembar jawaban PTS"
    act = parse_report("✅ rapat evaluasi program 🙏 selama 1 jam, dan", NOW).activities[0]
    assert act.description == "Rapat evaluasi program"


def test_greeting_before_the_activity_is_dropped() -> None:
    acts = parse_report("Pagi pak, tadi rapat koordinasi akreditasi 2 jam", NOW).activities
    assert [a.description for a in acts] == ["Rapat koordinasi akreditasi"]
    acts = parse_report("Pagi rapat koordinasi, siang mengajar 2 jam", NOW).activities
    assert acts[0].description.startswith("Pagi rapat koordinasi")  # not a greeting


def test_breaks_are_not_activities() -> None:
    text = "08.00-12.00 pelayanan poli\n12.00-13.00 istirahat\nISHOMA\n13.00-15.00 rekap RME"
    acts = parse_report(text, NOW).activities
    assert [a.description for a in acts] == ["Pelayanan poli", "Rekap RME"]


MON_NOV23 = datetime(2026, 11, 23, 16, 0)  # Monday, 16:00 WIB


def _acts(text: str) -> list[tuple[str, str | None, str | None, int | None, str]]:
    return [
        (
            a.work_date.isoformat(),
            a.start.strftime("%H:%M") if a.start else None,
            a.end.strftime("%H:%M") if a.end else None,
            a.minutes,
            a.description,
        )
        for a in parse_report(text, MON_NOV23).activities
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Start times with a separator between them are a schedule: one activity each,
        # each ending where the next starts.
        (
            "kemarin pukul 08.00 apel, lalu jam 10 rapat dinas",
            [
                ("2026-11-22", "08:00", "10:00", 120, "Apel"),
                ("2026-11-22", "10:00", None, None, "Rapat dinas"),
            ],
        ),
        (
            "jam 8 apel pagi, jam 9 mengajar kelas 7, jam 12 menyusun modul ajar",
            [
                ("2026-11-23", "08:00", "09:00", 60, "Apel pagi"),
                ("2026-11-23", "09:00", "12:00", 180, "Mengajar kelas 7"),
                ("2026-11-23", "12:00", None, None, "Menyusun modul ajar"),
            ],
        ),
        (
            "08.00 apel; 08.30 mengajar kelas 7 2 jam",
            [
                ("2026-11-23", "08:00", "08:30", 30, "Apel"),
                ("2026-11-23", "08:30", "10:30", 120, "Mengajar kelas 7"),
            ],
        ),
        # One activity: a start time and its duration or end, whatever the commas.
        (
            "rapat evaluasi jam 9, selama 2 jam",
            [("2026-11-23", "09:00", "11:00", 120, "Rapat evaluasi")],
        ),
        (
            "rapat evaluasi mulai jam 9, selesai jam 11",
            [("2026-11-23", "09:00", "11:00", 120, "Rapat evaluasi")],
        ),
        (
            "on Friday 9-11 training on SIPD, and 2-4 updating employee data",
            [
                ("2026-11-20", "09:00", "11:00", 120, "Training on SIPD"),
                ("2026-11-20", "14:00", "16:00", 120, "Updating employee data"),
            ],
        ),
    ],
)
def test_schedules_of_start_times(
    text: str, expected: list[tuple[str, str | None, str | None, int | None, str]]
) -> None:
    assert _acts(text) == expected


@pytest.mark.parametrize(
    ("text", "description"),
    [
        # "Jaga malam", "shift pagi", "dinas sore" name the shift: they stay.
        ("jaga malam 21.00-07.00 di IGD, 9 pasien", "Jaga malam di IGD, 9 pasien"),
        ("shift sore 14.00-21.00 perawatan luka 6 pasien", "Shift sore perawatan luka 6 pasien"),
        ("dinas pagi 07.00-14.00 di ruang Melati", "Dinas pagi di ruang Melati"),
        ("piket malam 21.00-07.00 jaga IGD", "Piket malam jaga IGD"),
        # Elsewhere the period word only places the time.
        ("rapat evaluasi pagi 08.00-10.00", "Rapat evaluasi"),
    ],
)
def test_shift_names_stay_in_the_description(text: str, description: str) -> None:
    assert [a.description for a in parse_report(text, MON_NOV23).activities] == [description]


def test_a_timed_break_ends_the_activity_before_it() -> None:
    assert _acts(
        "jam 8 apel pagi, jam 9 mengajar kelas 7, jam 12 istirahat, jam 13 rapat guru"
    ) == [
        ("2026-11-23", "08:00", "09:00", 60, "Apel pagi"),
        ("2026-11-23", "09:00", "12:00", 180, "Mengajar kelas 7"),
        ("2026-11-23", "13:00", None, None, "Rapat guru"),
    ]
    assert _acts(
        "07.30 mengajar kelas 8\n12.00 ishoma\n13.00 menyusun modul ajar\n15.00 pulang"
    ) == [
        ("2026-11-23", "07:30", "12:00", 270, "Mengajar kelas 8"),
        ("2026-11-23", "13:00", "15:00", 120, "Menyusun modul ajar"),
    ]  # "15.00 pulang" is when the day ended, not an activity


@pytest.mark.parametrize(
    ("text", "descriptions"),
    [
        (
            "Good morning sir, today I taught grade 9 English 2 hours and checked 30 essays 1 hour",
            ["Taught grade 9 English", "Checked 30 essays"],
        ),
        ("Hello all, reconciled the cash book 2 hours", ["Reconciled the cash book"]),
        ("Senin 16/11 s.d. Rabu 18/11 mengikuti Latsar CPNS 8 jam", ["Mengikuti Latsar CPNS"]),
    ],
)
def test_greetings_and_dangling_words_before_the_activity(
    text: str, descriptions: list[str]
) -> None:
    assert [a.description for a in parse_report(text, MON_NOV23).activities] == descriptions


def test_comma_before_a_new_activity_with_its_own_quantity_splits() -> None:
    """Issue 7 defect 3: the third activity ("35 lembar") is not merged into the second."""
    text = (
        "rapat koordinasi persiapan ANBK 09.00-11.00, menyusun modul ajar 2 jam, "
        "koreksi ulangan kelas 8B 35 lembar"
    )
    acts = parse_report(text, NOW).activities
    assert [(a.description, a.minutes, a.quantity, a.unit) for a in acts] == [
        ("Rapat koordinasi persiapan ANBK", 120, None, None),
        ("Menyusun modul ajar", 120, None, None),
        ("Koreksi ulangan kelas 8B 35 lembar", None, 35, "lembar"),
    ]
    assert (acts[0].start, acts[0].end) == (time(9), time(11))


@pytest.mark.parametrize(
    ("text", "descriptions"),
    [
        ("koreksi 35 lembar jawaban, menyusun modul ajar 2 jam", ["Koreksi 35", "Menyusun"]),
        ("rpt dinas 1 jam, input 120 data nilai siswa", ["Rpt dinas", "Input 120"]),
        ("verifikasi 8 berkas KP, lalu entri 20 data pegawai", ["Verifikasi", "Entri"]),
        ("graded 30 exam papers, prepared 2 lesson plans", ["Graded", "Prepared"]),
        # Not a new activity: no words of its own time/quantity, or words that describe.
        ("rapat evaluasi 2 jam, membahas 3 agenda", ["Rapat evaluasi, membahas"]),
        ("penyuluhan gizi 2 jam, dihadiri 30 peserta", ["Penyuluhan gizi"]),
        ("rapat evaluasi 2 jam, menghasilkan 3 rekomendasi", ["Rapat evaluasi, menghasilkan"]),
        ("audit meeting 2 hours, resulting in 4 findings", ["Audit meeting, resulting"]),
        ("jaga poli 07.30-14.00, melayani 38 pasien", ["Jaga poli"]),
        ("rapat dinas, menyusun laporan 2 jam", ["Rapat dinas, menyusun"]),
        ("mengoreksi ulangan kelas 7A, 7B 60 lembar 2 jam", ["Mengoreksi ulangan"]),
    ],
)
def test_comma_split_needs_a_verb_phrase_with_its_own_measure(
    text: str, descriptions: list[str]
) -> None:
    acts = parse_report(text, NOW).activities
    assert len(acts) == len(descriptions), [a.description for a in acts]
    for act, start in zip(acts, descriptions, strict=True):
        assert act.description.startswith(start), act.description


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A verb phrase with no number or time after a timed activity is the next activity
        # (its duration is asked), as people type lists in a hurry.
        (
            "rapat koordinasi 1 jam, menyusun modul ajar",
            [("Rapat koordinasi", 60), ("Menyusun modul ajar", None)],
        ),
        (
            "coordination meeting 1 hour, preparing teaching module",
            [("Coordination meeting", 60), ("Preparing teaching module", None)],
        ),
        ("rapat 1 jam, lalu menyusun laporan", [("Rapat", 60), ("Menyusun laporan", None)]),
        (
            "piket 1 jam, mengajar, mengoreksi",
            [("Piket", 60), ("Mengajar", None), ("Mengoreksi", None)],
        ),
        (
            "mengajar 2 jam, mengoreksi tugas, menyusun soal 1 jam",
            [("Mengajar", 120), ("Mengoreksi tugas", None), ("Menyusun soal", 60)],
        ),
        # Still one: a number after the comma (the realisasi), a describing or passive
        # phrase, a pe-an noun naming the lesson, nothing timed before the comma.
        ("jaga poli 07.30-14.00, melayani 38 pasien", [("Jaga poli, melayani 38 pasien", 390)]),
        ("rapat 2 jam, membahas program kerja", [("Rapat, membahas program kerja", 120)]),
        ("meeting 1 hour, led by the principal", [("Meeting, led by the principal", 60)]),
        (
            "mengajar kelas 5 2 jam, pelajaran matematika",
            [("Mengajar kelas 5, pelajaran matematika", 120)],
        ),
        ("rapat 1 jam, bersama kepala sekolah", [("Rapat, bersama kepala sekolah", 60)]),
        ("rapat dinas, menyusun laporan 2 jam", [("Rapat dinas, menyusun laporan", 120)]),
    ],
)
def test_comma_after_a_timed_activity_starts_the_next_one(
    text: str, expected: list[tuple[str, int | None]]
) -> None:
    acts = parse_report(text, NOW).activities
    assert [(a.description, a.minutes) for a in acts] == expected


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("graded 30 exam papers 2 hours", "exam papers"),
        ("checked 25 answer sheets 1 hour", "answer sheets"),
        ("prepared 2 lesson plans 1 hour", "lesson plans"),
        ("mengoreksi 32 lembar jawaban 2 jam", "lembar"),
    ],
)
def test_english_compound_units(text: str, unit: str) -> None:
    """Issue 7 defect 3/8: "Output: 30 exam" came from a one-word unit."""
    assert parse_report(text, NOW).activities[0].unit == unit
