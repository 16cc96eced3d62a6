"""Corpus of daily reports written the way ASN write them, with what they meant.

Each persona has a realistic SKP list (ids are stable). Each message carries the
reference instant it was sent (``now``), the sender's time zone, and for every
activity the expected work date, minutes and, where one clearly applies, the SKP
item a person would pick (``None`` = no obvious item, not checked). Optional
fields (start/end/quantity/unit/warnings) are only checked when given.

Expectations were written from the messages' meaning, before the parser existed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


class _Any:
    """Sentinel: the field is not checked."""

    def __repr__(self) -> str:
        return "ANY"


ANY: Final = _Any()


@dataclass(frozen=True)
class Skp:
    id: int
    title: str
    rhk: str | None = None


@dataclass(frozen=True)
class A:
    """One expected activity."""

    date: str
    minutes: int | None
    skp: int | None = None
    start: str | _Any | None = ANY
    end: str | _Any | None = ANY
    qty: float | _Any | None = ANY
    unit: str | _Any | None = ANY


@dataclass(frozen=True)
class Msg:
    id: str
    persona: str
    now: str
    text: str
    acts: tuple[A, ...]
    tz: str = "Asia/Jakarta"
    warnings: tuple[str, ...] | _Any = ANY


PERSONAS: Final[dict[str, tuple[Skp, ...]]] = {
    # Guru kelas SD
    "guru_sd": (
        Skp(101, "Menyusun rencana pelaksanaan pembelajaran (RPP) / modul ajar"),
        Skp(102, "Melaksanakan pembelajaran tatap muka di kelas"),
        Skp(103, "Melaksanakan penilaian dan evaluasi hasil belajar peserta didik"),
        Skp(104, "Melaksanakan program remedial dan pengayaan"),
        Skp(105, "Melaksanakan projek penguatan profil pelajar Pancasila (P5)"),
        Skp(106, "Membina kegiatan ekstrakurikuler Pramuka"),
        Skp(107, "Mengikuti pengembangan diri melalui KKG dan pelatihan"),
    ),
    # Guru IPA SMP
    "guru_smp": (
        Skp(201, "Menyusun modul ajar dan perangkat pembelajaran IPA"),
        Skp(202, "Melaksanakan kegiatan belajar mengajar (KBM) IPA"),
        Skp(203, "Melaksanakan penilaian hasil belajar (ulangan harian, PTS, PAS)"),
        Skp(204, "Melaksanakan tugas tambahan sebagai wali kelas"),
        Skp(205, "Membimbing siswa olimpiade sains (OSN)"),
        Skp(206, "Melaksanakan tugas sebagai pembina OSIS"),
        Skp(207, "Mengikuti kegiatan MGMP dan pengembangan keprofesian berkelanjutan"),
    ),
    # Guru Bahasa Inggris SMA, wakasek kurikulum
    "guru_sma": (
        Skp(211, "Menyusun modul ajar Bahasa Inggris"),
        Skp(212, "Melaksanakan pembelajaran Bahasa Inggris di kelas"),
        Skp(213, "Melaksanakan asesmen dan penilaian hasil belajar"),
        Skp(214, "Membimbing kegiatan ekstrakurikuler English Club"),
        Skp(215, "Melaksanakan tugas sebagai wakil kepala sekolah bidang kurikulum"),
    ),
    # Operator sekolah
    "operator": (
        Skp(301, "Mengelola dan memutakhirkan data Dapodik sekolah"),
        Skp(302, "Melaksanakan verifikasi dan validasi (verval) data peserta didik"),
        Skp(303, "Menyiapkan sarana dan pelaksanaan ANBK"),
        Skp(304, "Menyusun laporan penggunaan dana BOS"),
        Skp(305, "Mengelola administrasi persuratan dan arsip sekolah"),
        Skp(306, "Mengelola data PTK dan info GTK"),
    ),
    # Analis SDM aparatur, BKPSDM
    "kepegawaian": (
        Skp(401, "Memverifikasi berkas usulan kenaikan pangkat (KP) PNS"),
        Skp(402, "Memproses usulan kenaikan gaji berkala (KGB)"),
        Skp(403, "Memutakhirkan data pegawai pada aplikasi SIASN dan SIMPEG"),
        Skp(404, "Menyusun analisis jabatan (anjab) dan analisis beban kerja (ABK)"),
        Skp(405, "Merekapitulasi penilaian kinerja (SKP) pegawai"),
        Skp(406, "Memberikan layanan konsultasi kepegawaian"),
        Skp(407, "Memproses usulan pensiun (BUP)"),
    ),
    # Bidan puskesmas (Papua, WIT)
    "bidan": (
        Skp(501, "Melaksanakan pelayanan antenatal care (ANC) pada ibu hamil"),
        Skp(502, "Melaksanakan imunisasi dasar lengkap bayi dan balita"),
        Skp(503, "Melaksanakan kegiatan posyandu balita dan lansia"),
        Skp(504, "Melaksanakan pertolongan persalinan normal"),
        Skp(505, "Memberikan pelayanan keluarga berencana (KB)"),
        Skp(506, "Menyusun laporan KIA bulanan (PWS KIA)"),
        Skp(507, "Melaksanakan kunjungan nifas dan neonatus"),
    ),
    # Perawat puskesmas
    "perawat": (
        Skp(601, "Melaksanakan asuhan keperawatan pasien rawat jalan"),
        Skp(602, "Melaksanakan tindakan kegawatdaruratan di UGD"),
        Skp(603, "Melaksanakan kunjungan rumah perawatan kesehatan masyarakat (perkesmas)"),
        Skp(604, "Melaksanakan skrining penyakit tidak menular di Posbindu PTM"),
        Skp(605, "Mendokumentasikan asuhan keperawatan dalam rekam medis elektronik"),
        Skp(606, "Melaksanakan penyuluhan kesehatan kepada masyarakat"),
    ),
    # Bendahara pengeluaran dinas
    "bendahara": (
        Skp(701, "Menyusun surat pertanggungjawaban (SPJ) belanja kegiatan"),
        Skp(702, "Menyusun laporan pertanggungjawaban (LPJ) bendahara pengeluaran"),
        Skp(703, "Memproses pengajuan SPP, SPM dan pencairan SP2D"),
        Skp(704, "Mencatat transaksi pada buku kas umum (BKU) dan melakukan rekonsiliasi"),
        Skp(705, "Memungut, menyetor dan melaporkan pajak (PPh/PPN)"),
        Skp(706, "Membayarkan honorarium dan perjalanan dinas"),
    ),
    # Penyuluh pertanian lapangan (Sulawesi, WITA)
    "ppl": (
        Skp(801, "Melaksanakan penyuluhan pertanian kepada kelompok tani"),
        Skp(802, "Menyusun rencana definitif kebutuhan kelompok (RDKK) pupuk bersubsidi"),
        Skp(803, "Melaksanakan kunjungan lapangan dan pendampingan usaha tani"),
        Skp(804, "Melaksanakan demonstrasi plot (demplot) teknologi budidaya"),
        Skp(805, "Menyusun programa penyuluhan dan laporan bulanan"),
        Skp(806, "Melaksanakan pengamatan organisme pengganggu tumbuhan (OPT)"),
    ),
}

JKT = "Asia/Jakarta"
WIT = "Asia/Jayapura"
WITA = "Asia/Makassar"

GEN = "generic_description"
NOD = "no_duration"

MESSAGES: Final[tuple[Msg, ...]] = (
    # ------------------------------------------------------------------ guru SD
    Msg(
        "sd01",
        "guru_sd",
        "2025-11-17T14:05:00+07:00",
        "Selamat siang Bu Kepsek, izin lapor kegiatan hari ini:\n"
        "1. Mengajar Tema 4 Subtema 2 kelas V 07.30-09.15\n"
        "2. Mengoreksi 28 lembar kerja siswa 09.30-10.30\n"
        "3. Menyusun modul ajar Matematika pecahan 10.30-12.00\n"
        "Terima kasih",
        (
            A("2025-11-17", 105, 102, start="07:30", end="09:15"),
            A("2025-11-17", 60, 103, qty=28, unit="lembar"),
            A("2025-11-17", 90, 101),
        ),
    ),
    Msg(
        "sd02",
        "guru_sd",
        "2025-11-18T13:00:00+07:00",
        "- apel pagi 30 menit\n"
        "- mengajar bahasa indonesia kls 4 2 jam\n"
        "- remedial matematika utk 6 siswa 45 menit",
        (
            A("2025-11-18", 30),
            A("2025-11-18", 120, 102),
            A("2025-11-18", 45, 104, qty=6, unit="siswa"),
        ),
    ),
    Msg(
        "sd03",
        "guru_sd",
        "2025-11-17T09:00:00+07:00",
        "Jumat kemarin ikut KKG gugus 3 di SDN 2 Sukamaju dari jam 8 sampai jam 12",
        (A("2025-11-14", 240, 107, start="08:00", end="12:00"),),
    ),
    Msg(
        "sd04",
        "guru_sd",
        "2025-11-19T15:00:00+07:00",
        "Hari ini:\n"
        "• Pembelajaran IPAS kelas 4 materi gaya, 2 x 35 menit\n"
        "• Pembelajaran Pendidikan Pancasila 2x35 menit\n"
        "• Mengisi nilai harian ke rapor digital 1 jam",
        (
            A("2025-11-19", 70, 102),
            A("2025-11-19", 70, 102),
            A("2025-11-19", 60, 103),
        ),
    ),
    Msg(
        "sd05",
        "guru_sd",
        "2025-11-20T16:20:00+07:00",
        "mengajr kelas 3 tematik 3jam, koreksi ulangan harian 1 jam lalu piket kelas 30 menit",
        (
            A("2025-11-20", 180, 102),
            A("2025-11-20", 60, 103),
            A("2025-11-20", 30),
        ),
    ),
    Msg(
        "sd06",
        "guru_sd",
        "2025-11-21T11:00:00+07:00",
        "Melaksanakan tugas kedinasan",
        (A("2025-11-21", None),),
        warnings=(GEN, NOD),
    ),
    Msg(
        "sd07",
        "guru_sd",
        "2025-12-01T07:40:00+07:00",
        "Laporan hari Sabtu 29/11: membina latihan pramuka penggalang 3 jam",
        (A("2025-11-29", 180, 106),),
    ),
    Msg(
        "sd08",
        "guru_sd",
        "2025-12-01T14:00:00+07:00",
        "Menyusun RPP pertemuan 5 dan 6 selama 2 jam, lalu mengajar kelas 5 jam 10-12",
        (
            A("2025-12-01", 120, 101),
            A("2025-12-01", 120, 102, start="10:00", end="12:00"),
        ),
    ),
    Msg(
        "sd09",
        "guru_sd",
        "2025-11-18T12:00:00+07:00",
        "tadi pagi mendampingi siswa kelas 6 latihan ANBK di lab komputer ± 2 jam",
        (A("2025-11-18", 120),),
    ),
    Msg(
        "sd10",
        "guru_sd",
        "2025-11-19T12:30:00+07:00",
        "P5 gaya hidup berkelanjutan: membuat kompos bersama siswa kelas 4, 08.00-10.00",
        (A("2025-11-19", 120, 105, start="08:00", end="10:00"),),
    ),
    Msg(
        "sd11",
        "guru_sd",
        "2025-11-20T06:45:00+07:00",
        "Assalamualaikum wr wb\n"
        "Berikut laporan kegiatan tgl 19 November 2025:\n"
        "- Mengajar kelas 2 (07.00-10.00)\n"
        "- Rapat dewan guru membahas persiapan PAS (13.00-14.30)\n"
        "Wassalamualaikum wr wb\n"
        "Rina Marlina, S.Pd",
        (
            A("2025-11-19", 180, 102),
            A("2025-11-19", 90, 103),
        ),
    ),
    Msg(
        "sd12",
        "guru_sd",
        "2025-11-21T13:00:00+07:00",
        "Remedial IPA utk 5 anak yg blm tuntas 1 jam\nPengayaan buat yg sudah tuntas 1 jam",
        (
            A("2025-11-21", 60, 104, qty=5, unit="anak"),
            A("2025-11-21", 60, 104),
        ),
    ),
    Msg(
        "sd13",
        "guru_sd",
        "2026-01-05T08:00:00+07:00",
        "Laporan Jumat 2/1/2026\n"
        "- Menyusun program semester genap 3 jam\n"
        "- Menyiapkan administrasi kelas 2 jam",
        (
            A("2026-01-02", 180, 101),
            A("2026-01-02", 120),
        ),
    ),
    Msg(
        "sd14",
        "guru_sd",
        "2026-01-05T10:00:00+07:00",
        "Senin lalu (29 Des) piket libur sekolah 4 jam",
        (A("2025-12-29", 240),),
    ),
    Msg(
        "sd15",
        "guru_sd",
        "2025-11-19T16:00:00+07:00",
        "mengikuti webinar Merdeka Belajar via zoom 13.00 - 15.30 WIB",
        (A("2025-11-19", 150, 107),),
    ),
    Msg(
        "sd16",
        "guru_sd",
        "2025-11-20T13:00:00+07:00",
        "Kamis 20 Nov\n"
        "07.15-07.30 apel\n"
        "07.30-09.40 mengajar kls 5A\n"
        "10.00-11.10 mengajar kls 5B\n"
        "11.10-12.00 koreksi tugas",
        (
            A("2025-11-20", 15),
            A("2025-11-20", 130, 102),
            A("2025-11-20", 70, 102),
            A("2025-11-20", 50, 103),
        ),
    ),
    Msg(
        "sd17",
        "guru_sd",
        "2025-11-22T09:00:00+07:00",
        "Rabu 19/11 lupa lapor: pendampingan lomba mewarnai siswa 3 jam",
        (A("2025-11-19", 180),),
    ),
    Msg(
        "sd18",
        "guru_sd",
        "2025-11-18T14:00:00+07:00",
        "Today: teaching english class 4 for 2 hrs, then checking students homework 45 mins",
        (
            A("2025-11-18", 120, 102),
            A("2025-11-18", 45, 103),
        ),
    ),
    Msg(
        "sd19",
        "guru_sd",
        "2025-11-17T15:00:00+07:00",
        "Mengoreksi hasil PTS kelas 5 sebanyak 27 lembar selama satu setengah jam",
        (A("2025-11-17", 90, 103, qty=27, unit="lembar"),),
    ),
    Msg(
        "sd20",
        "guru_sd",
        "2025-12-03T14:00:00+07:00",
        "Senin tgl 1 mengajar tematik 4 jam dan menyusun soal PAS 2 jam",
        (
            A("2025-12-01", 240, 102),
            A("2025-12-01", 120, 103),
        ),
    ),
    Msg(
        "sd21",
        "guru_sd",
        "2025-11-17T16:00:00+07:00",
        "tiga hari lalu mengikuti workshop kurikulum merdeka 6 jam",
        (A("2025-11-14", 360, 107),),
    ),
    Msg(
        "sd22",
        "guru_sd",
        "2025-11-20T15:00:00+07:00",
        "mulai jam 10.00 selesai jam 11.30 rapat KKG penyusunan soal PAS",
        (A("2025-11-20", 90, None, start="10:00", end="11:30"),),
    ),
    Msg(
        "sd23",
        "guru_sd",
        "2025-11-18T15:00:00+07:00",
        "Kegiatan rutin",
        (A("2025-11-18", None),),
        warnings=(GEN, NOD),
    ),
    Msg(
        "sd24",
        "guru_sd",
        "2025-11-19T15:00:00+07:00",
        "Menilai portofolio siswa kelas 6A sebanyak 25 siswa 2 jam",
        (A("2025-11-19", 120, 103, qty=25, unit="siswa"),),
    ),
    Msg(
        "sd25",
        "guru_sd",
        "2025-11-28T15:00:00+07:00",
        "Seperempat jam briefing pagi dengan kepala sekolah",
        (A("2025-11-28", 15),),
    ),
    Msg(
        "sd26",
        "guru_sd",
        "2025-11-25T14:30:00+07:00",
        "Assalamu'alaikum bapak/ibu 🙏\n"
        "Laporan harian Selasa, 25/11/2025\n"
        "📌 07.00-07.30 Pembiasaan pagi (sholat dhuha & literasi)\n"
        "📌 07.30-10.00 Pembelajaran Bahasa Indonesia kelas 3\n"
        "📌 10.15-11.30 Pembelajaran Matematika kelas 3\n"
        "📌 11.30-12.30 Koreksi LKPD siswa\n"
        "Wassalam",
        (
            A("2025-11-25", 30),
            A("2025-11-25", 150, 102),
            A("2025-11-25", 75, 102),
            A("2025-11-25", 60, 103),
        ),
    ),
    Msg(
        "sd27",
        "guru_sd",
        "2025-11-22T10:00:00+07:00",
        "Sabtu: kegiatan ekstrakurikuler pramuka siaga 08.00-10.00",
        (A("2025-11-22", 120, 106),),
    ),
    Msg(
        "sd28",
        "guru_sd",
        "2026-01-02T15:00:00+07:00",
        "Hari ini masuk hari pertama semester genap: rapat pembagian tugas mengajar 2 jam",
        (A("2026-01-02", 120),),
    ),
    Msg(
        "sd29",
        "guru_sd",
        "2026-01-02T15:30:00+07:00",
        "Senin 29/12 piket libur 3 jam, Selasa 30/12 menyusun RPP semester 2 4 jam",
        (
            A("2025-12-29", 180),
            A("2025-12-30", 240, 101),
        ),
    ),
    Msg(
        "sd30",
        "guru_sd",
        "2025-12-11T14:00:00+07:00",
        "Pembelajaran tematik kelas 2 selama 4jam",
        (A("2025-12-11", 240, 102),),
    ),
    # ----------------------------------------------------------------- guru SMP
    Msg(
        "smp01",
        "guru_smp",
        "2025-11-18T06:30:00+07:00",
        "Selamat pagi pak. Laporan kemarin:\n"
        "1) KBM IPA kelas VIII A & VIII B 4 x 40 menit\n"
        "2) Mengoreksi ulangan harian bab 3 (64 lembar) 2 jam\n"
        "3) Rapat wali kelas 13.30 - 15.00",
        (
            A("2025-11-17", 160, 202),
            A("2025-11-17", 120, 203, qty=64, unit="lembar"),
            A("2025-11-17", 90, 204),
        ),
    ),
    Msg(
        "smp02",
        "guru_smp",
        "2025-11-19T16:30:00+07:00",
        "Membimbing 4 siswa persiapan OSN IPA jam 14.00-16.00",
        (A("2025-11-19", 120, 205, start="14:00", end="16:00", qty=4, unit="siswa"),),
    ),
    Msg(
        "smp03",
        "guru_smp",
        "2025-11-20T15:00:00+07:00",
        "Home visit siswa bermasalah (kelas 9C) bersama BK, kurang lebih 2 jam",
        (A("2025-11-20", 120, 204),),
    ),
    Msg(
        "smp04",
        "guru_smp",
        "2025-11-21T14:00:00+07:00",
        "Pembinaan OSIS persiapan pemilihan ketua OSIS 2 jam; "
        "praktikum IPA di lab kelas 7B 2 x 40 menit",
        (
            A("2025-11-21", 120, 206),
            A("2025-11-21", 80, 202),
        ),
    ),
    Msg(
        "smp05",
        "guru_smp",
        "2025-11-17T07:00:00+07:00",
        "Jum'at: menyusun kisi-kisi soal PAS IPA kelas 7 dan 8, 3 jam",
        (A("2025-11-14", 180, 203),),
    ),
    Msg(
        "smp06",
        "guru_smp",
        "2025-11-18T14:00:00+07:00",
        "ngajar IPA 7A 7B 7C @2JP (6 x 40 menit)",
        (A("2025-11-18", 240, 202),),
    ),
    Msg(
        "smp07",
        "guru_smp",
        "2025-11-19T14:00:00+07:00",
        "Input nilai PTS ke e-rapor 1,5 jam",
        (A("2025-11-19", 90, 203),),
    ),
    Msg(
        "smp08",
        "guru_smp",
        "2025-11-20T17:00:00+07:00",
        "tadi siang rapat MGMP IPA kabupaten di SMPN 1 Cibinong dari jam 1 sampai jam 4 sore",
        (A("2025-11-20", 180, 207, start="13:00", end="16:00"),),
    ),
    Msg(
        "smp09",
        "guru_smp",
        "2025-11-21T14:00:00+07:00",
        "Piket",
        (A("2025-11-21", None),),
        warnings=(GEN, NOD),
    ),
    Msg(
        "smp10",
        "guru_smp",
        "2025-11-24T14:00:00+07:00",
        "Senin, 24 November 2025\n"
        "- Upacara bendera 07.00-07.45\n"
        "- KBM IPA kelas 9A 07.45-09.05\n"
        "- KBM IPA kelas 9B 09.20-10.40\n"
        "- Mengoreksi tugas praktikum 32 siswa 11.00-12.00\n"
        "- Wali kelas: rekap absensi siswa 12.30-13.00",
        (
            A("2025-11-24", 45),
            A("2025-11-24", 80, 202),
            A("2025-11-24", 80, 202),
            A("2025-11-24", 60, 203, qty=32, unit="siswa"),
            A("2025-11-24", 30, 204),
        ),
    ),
    Msg(
        "smp11",
        "guru_smp",
        "2026-01-07T15:00:00+07:00",
        "Kemarin sosialisasi program semester genap ke orang tua kelas 8 (09.00-11.00), "
        "hari ini bimbingan OSN 2 jam",
        (
            A("2026-01-06", 120),
            A("2026-01-07", 120, 205),
        ),
    ),
    Msg(
        "smp12",
        "guru_smp",
        "2025-11-25T12:30:00+07:00",
        "Hari ini (Selasa) pendampingan ANBK gladi bersih kelas 8, sesi 1 dan 2, 07.30 s.d. 12.00",
        (A("2025-11-25", 270),),
    ),
    Msg(
        "smp13",
        "guru_smp",
        "2025-11-17T15:00:00+07:00",
        "Minggu lalu PTS, hari ini mulai koreksi 2 jam",
        (A("2025-11-17", 120, 203),),
    ),
    Msg(
        "smp14",
        "guru_smp",
        "2025-11-18T15:00:00+07:00",
        "Rapat dan koordinasi 2 jam",
        (A("2025-11-18", 120),),
        warnings=(GEN,),
    ),
    Msg(
        "smp15",
        "guru_smp",
        "2025-11-20T15:00:00+07:00",
        "Analisis hasil ulangan harian: ketuntasan 78%, 1 jam",
        (A("2025-11-20", 60, 203),),
    ),
    Msg(
        "smp16",
        "guru_smp",
        "2025-11-24T15:00:00+07:00",
        "sejam koordinasi dengan guru BK soal siswa kelas 8C yang sering bolos",
        (A("2025-11-24", 60),),
    ),
    Msg(
        "smp17",
        "guru_smp",
        "2025-12-01T14:00:00+07:00",
        "kemarin lusa (Sabtu) bimbingan OSN 3 jam",
        (A("2025-11-29", 180, 205),),
    ),
    Msg(
        "smp18",
        "guru_smp",
        "2025-11-26T15:00:00+07:00",
        "Kegiatan tgl 24 dan 25 belum dilaporkan:\n"
        "24/11 upacara & mengajar 5 jam\n"
        "25/11 mengajar 4 jam, rapat MGMP 2 jam",
        (
            A("2025-11-24", 300, 202),
            A("2025-11-25", 240, 202),
            A("2025-11-25", 120, 207),
        ),
    ),
    Msg(
        "smp19",
        "guru_smp",
        "2025-12-05T15:00:00+07:00",
        "Membimbing tim KIR menyusun laporan penelitian 0.5 jam",
        (A("2025-12-05", 30),),
    ),
    # ----------------------------------------------------------------- guru SMA
    Msg(
        "sma01",
        "guru_sma",
        "2025-11-19T16:30:00+07:00",
        "Teaching XI-2 07.00-08.30, teaching XI-4 10.15-11.45\nEnglish club 2pm-4pm",
        (
            A("2025-11-19", 90, 212),
            A("2025-11-19", 90, 212),
            A("2025-11-19", 120, 214, start="14:00", end="16:00"),
        ),
    ),
    Msg(
        "sma02",
        "guru_sma",
        "2025-11-20T07:00:00+07:00",
        "Yesterday: preparing lesson plan (modul ajar) for grade XII, 2 hours; "
        "checking essays 30 pcs, 1.5 hours",
        (
            A("2025-11-19", 120, 211),
            A("2025-11-19", 90, 213),
        ),
    ),
    Msg(
        "sma03",
        "guru_sma",
        "2025-11-21T14:00:00+07:00",
        "Rapat koordinasi kurikulum dgn tim PKS membahas jadwal PAS 1 jam 30 menit",
        (A("2025-11-21", 90, 215),),
    ),
    Msg(
        "sma04",
        "guru_sma",
        "2025-11-17T12:00:00+07:00",
        "Mengawas PTS ruang 12 jam ke 1-4 (07.30-11.00)",
        (A("2025-11-17", 210, 213, start="07:30", end="11:00"),),
    ),
    Msg(
        "sma05",
        "guru_sma",
        "2025-11-18T14:00:00+07:00",
        "membuat soal ulangan harian kelas X tentang procedure text",
        (A("2025-11-18", None, 213),),
    ),
    Msg(
        "sma06",
        "guru_sma",
        "2025-11-19T14:00:00+07:00",
        "Menyusun jadwal pelajaran semester genap 2025/2026 bersama tim kurikulum, 3 jam",
        (A("2025-11-19", 180, 215),),
    ),
    Msg(
        "sma07",
        "guru_sma",
        "2025-11-28T07:00:00+07:00",
        "Laporan kegiatan hari Kamis 27 November 2025:\n"
        "- Teaching XII IPS 1 from 07.00 to 08.30\n"
        "- Supervisi kelas guru mapel Sejarah 09.00-10.00\n"
        "- Input nilai asesmen sumatif ke e-rapor kurleb 2 jam",
        (
            A("2025-11-27", 90, 212),
            A("2025-11-27", 60, 215),
            A("2025-11-27", 120, 213),
        ),
    ),
    Msg(
        "sma08",
        "guru_sma",
        "2025-12-08T07:00:00+07:00",
        "Sabtu 6 Des ekskul english club latihan debat 3 jam",
        (A("2025-12-06", 180, 214),),
    ),
    Msg(
        "sma09",
        "guru_sma",
        "2025-12-02T15:00:00+07:00",
        "Remedial PAS untuk 8 siswa jam 13.00-14.00, lanjut koreksi remedial setengah jam",
        (
            A("2025-12-02", 60, 213, qty=8, unit="siswa"),
            A("2025-12-02", 30, 213),
        ),
    ),
    Msg(
        "sma10",
        "guru_sma",
        "2025-11-19T20:00:00+07:00",
        "Monday: English Club meeting 3pm to 5pm",
        (A("2025-11-17", 120, 214, start="15:00", end="17:00"),),
    ),
    Msg(
        "sma11",
        "guru_sma",
        "2025-11-28T16:30:00+07:00",
        "Supervisi kelas 2pm to 4:15pm",
        (A("2025-11-28", 135, 215, start="14:00", end="16:15"),),
    ),
    Msg(
        "sma12",
        "guru_sma",
        "2025-11-20T19:00:00+07:00",
        "Selamat malam Bu. Maaf baru lapor.\n"
        "Tadi mengajar XI-1 s.d. XI-3 total 4,5 jam, koreksi essay 1 jam.\n"
        "Terima kasih 🙏",
        (
            A("2025-11-20", 270, 212),
            A("2025-11-20", 60, 213),
        ),
    ),
    Msg(
        "sma13",
        "guru_sma",
        "2025-11-24T14:00:00+07:00",
        "Menyusun modul ajar kelas XI bab 4 Analytical Exposition 120 menit",
        (A("2025-11-24", 120, 211),),
    ),
    Msg(
        "sma14",
        "guru_sma",
        "2026-01-05T07:30:00+07:00",
        "Jumat: workshop penyusunan ATP dan modul ajar semester genap 5 jam",
        (A("2026-01-02", 300, 211),),
    ),
    Msg(
        "sma15",
        "guru_sma",
        "2025-12-02T13:00:00+07:00",
        "PAS hari ke-2: mengawas ruang 7 sesi 1-2, 07.30-11.00",
        (A("2025-12-02", 210, 213),),
    ),
    Msg(
        "sma16",
        "guru_sma",
        "2025-12-03T20:00:00+07:00",
        "Checked 36 students' essays for 3 hrs",
        (A("2025-12-03", 180, 213),),
    ),
    Msg(
        "sma17",
        "guru_sma",
        "2025-12-17T15:00:00+07:00",
        "Rapat pembagian rapor dan leger nilai 13.00-15.00",
        (A("2025-12-17", 120),),
    ),
    # ---------------------------------------------------------- operator sekolah
    Msg(
        "op01",
        "operator",
        "2025-11-17T15:00:00+07:00",
        "Update data Dapodik semester ganjil 2025/2026 sinkronisasi 2 jam\n"
        "Verval PD: perbaikan NIK 15 siswa 1 jam\n"
        "Mengetik surat undangan rapat komite 30 menit",
        (
            A("2025-11-17", 120, 301),
            A("2025-11-17", 60, 302, qty=15, unit="siswa"),
            A("2025-11-17", 30, 305),
        ),
    ),
    Msg(
        "op02",
        "operator",
        "2025-11-18T12:00:00+07:00",
        "Persiapan ANBK: cek 30 unit komputer dan install exambrowser, 08.00 - 11.30",
        (A("2025-11-18", 210, 303, qty=30, unit="unit"),),
    ),
    Msg(
        "op03",
        "operator",
        "2025-11-19T14:00:00+07:00",
        "sinkron dapodik",
        (A("2025-11-19", None, 301),),
        warnings=(NOD,),
    ),
    Msg(
        "op04",
        "operator",
        "2025-11-20T14:00:00+07:00",
        "Menyusun laporan realisasi BOS tahap 2 tahun 2025 selama 3 jam",
        (A("2025-11-20", 180, 304),),
    ),
    Msg(
        "op05",
        "operator",
        "2025-11-21T14:00:00+07:00",
        "Mengarsipkan 45 surat masuk dan keluar bulan Oktober 2 jam",
        (A("2025-11-21", 120, 305, qty=45, unit="surat"),),
    ),
    Msg(
        "op06",
        "operator",
        "2025-11-24T08:00:00+07:00",
        "Jumat 21/11\n"
        "- backup data dapodik 1 jam\n"
        "- entri data PTK baru (2 orang guru PPPK) 1,5 jam",
        (
            A("2025-11-21", 60, 301),
            A("2025-11-21", 90, 306, qty=2, unit="orang"),
        ),
    ),
    Msg(
        "op07",
        "operator",
        "2025-11-25T14:00:00+07:00",
        "Membuat SK pembagian tugas guru nomor 800/145/SDN.2/XI/2025 1 jam",
        (A("2025-11-25", 60, 305),),
    ),
    Msg(
        "op08",
        "operator",
        "2025-11-26T15:00:00+07:00",
        "Cek info GTK & validasi tunjangan 12 guru, 13.00-14.30 WIB",
        (A("2025-11-26", 90, 306, qty=12, unit="guru"),),
    ),
    Msg(
        "op09",
        "operator",
        "2025-11-27T16:00:00+07:00",
        "Kemarin lusa ikut bimtek Dapodik versi 2026 di dinas pendidikan "
        "dari pukul 08.00 s/d 15.00",
        (A("2025-11-25", 420, 301, start="08:00", end="15:00"),),
    ),
    Msg(
        "op10",
        "operator",
        "2025-12-01T08:00:00+07:00",
        "tgl 28 kemarin saya input data rombel & jadwal di dapodik 4jam",
        (A("2025-11-28", 240, 301),),
    ),
    Msg(
        "op11",
        "operator",
        "2026-01-02T10:00:00+07:00",
        "31/12/2025: rekap absensi siswa semester ganjil 3 jam",
        (A("2025-12-31", 180),),
    ),
    Msg(
        "op12",
        "operator",
        "2026-01-05T08:00:00+07:00",
        "Rabu 31 Des backup database & arsip digital 2 jam\n"
        "Jumat 2 Jan pengiriman data semester ganjil ke server pusat 1 jam",
        (
            A("2025-12-31", 120),
            A("2026-01-02", 60),
        ),
    ),
    Msg(
        "op13",
        "operator",
        "2025-11-18T15:00:00+07:00",
        "Mencetak kartu peserta ANBK 96 lembar, 1 jam",
        (A("2025-11-18", 60, 303, qty=96, unit="lembar"),),
    ),
    Msg(
        "op14",
        "operator",
        "2025-11-19T15:00:00+07:00",
        "Konfirmasi jadwal sinkronisasi Dapodik ke operator dinas (hp 0812-3456-7890) 15 menit",
        (A("2025-11-19", 15, 301),),
    ),
    Msg(
        "op15",
        "operator",
        "2025-11-20T15:00:00+07:00",
        "Selasa 18-11-2025 input data siswa mutasi masuk 3 orang 1 jam",
        (A("2025-11-18", 60, 302),),
    ),
    Msg(
        "op16",
        "operator",
        "2025-11-21T15:00:00+07:00",
        "jam 1 siang - jam 3 sore: rapat persiapan ANBK dengan proktor",
        (A("2025-11-21", 120, 303, start="13:00", end="15:00"),),
    ),
    Msg(
        "op17",
        "operator",
        "2025-11-17T12:00:00+07:00",
        "07:45 – 11:30 verval NISN siswa baru kelas 7",
        (A("2025-11-17", 225, 302, start="07:45", end="11:30"),),
    ),
    Msg(
        "op18",
        "operator",
        "2025-11-17T15:00:00+07:00",
        "Menghubungi orang tua siswa a.n. Rizky via WA 081234567890 terkait berkas PIP, 20 menit",
        (A("2025-11-17", 20),),
    ),
    Msg(
        "op19",
        "operator",
        "2025-11-19T15:00:00+07:00",
        "Mengerjakan tugas kantor 8 jam",
        (A("2025-11-19", 480),),
        warnings=(GEN,),
    ),
    Msg(
        "op20",
        "operator",
        "2025-11-25T15:00:00+07:00",
        "Cetak rapor semester ganjil 2 kelas @32 lembar, 1 jam",
        (A("2025-11-25", 60),),
    ),
    Msg(
        "op21",
        "operator",
        "2025-11-23T20:00:00+07:00",
        "Minggu lembur input nilai rapor ke aplikasi 3 jam",
        (A("2025-11-23", 180),),
    ),
    Msg(
        "op22",
        "operator",
        "2025-12-02T08:00:00+07:00",
        "Kemarin tgl 1 Des: sinkronisasi dapodik 2 jam",
        (A("2025-12-01", 120, 301),),
    ),
    Msg(
        "op23",
        "operator",
        "2025-12-05T15:00:00+07:00",
        "1) Pemberkasan PIP 18 siswa 2 jam\n2) Upload ke SIPINTAR 1 jam",
        (
            A("2025-12-05", 120, None, qty=18, unit="siswa"),
            A("2025-12-05", 60),
        ),
    ),
    Msg(
        "op24",
        "operator",
        "2025-12-15T15:00:00+07:00",
        "Mengisi data sarpras di dapodik 2 jam 15 menit",
        (A("2025-12-15", 135, 301),),
    ),
    Msg(
        "op25",
        "operator",
        "2025-12-04T15:00:00+07:00",
        "Kerja",
        (A("2025-12-04", None),),
        warnings=(GEN, NOD),
    ),
    # --------------------------------------------------------------- kepegawaian
    Msg(
        "kp01",
        "kepegawaian",
        "2025-11-17T07:30:00+07:00",
        "Selamat pagi Pak Kabid, izin melaporkan kegiatan hari Jumat 14 November 2025:\n"
        "1. Memverifikasi 8 berkas usulan kenaikan pangkat periode April 2026 (08.00-10.30)\n"
        "2. Entri data riwayat jabatan di SIASN 25 pegawai (10.30-12.00)\n"
        "3. Melayani konsultasi kepegawaian 3 orang guru (13.00-14.00)\n"
        "Demikian, terima kasih.",
        (
            A("2025-11-14", 150, 401, start="08:00", end="10:30", qty=8, unit="berkas"),
            A("2025-11-14", 90, 403, qty=25, unit="pegawai"),
            A("2025-11-14", 60, 406),
        ),
    ),
    Msg(
        "kp02",
        "kepegawaian",
        "2025-11-18T15:00:00+07:00",
        "Proses KGB 12 PNS Dinas Pendidikan 2 jam 30 menit\nCetak SK KGB 12 lembar 30 menit",
        (
            A("2025-11-18", 150, 402, qty=12, unit="pns"),
            A("2025-11-18", 30, 402, qty=12, unit="lembar"),
        ),
    ),
    Msg(
        "kp03",
        "kepegawaian",
        "2025-11-19T15:00:00+07:00",
        "Menyusun ABK Bagian Umum Setda ± 3 jam",
        (A("2025-11-19", 180, 404),),
    ),
    Msg(
        "kp04",
        "kepegawaian",
        "2025-11-20T16:00:00+07:00",
        "Anjab dan ABK 4 jabatan fungsional baru, 09.00-12.00; "
        "rapat koordinasi dgn BKN regional 13.30-15.30",
        (
            A("2025-11-20", 180, 404, qty=4, unit="jabatan"),
            A("2025-11-20", 120),
        ),
    ),
    Msg(
        "kp05",
        "kepegawaian",
        "2025-11-21T15:00:00+07:00",
        "Rekap SKP triwulan III pegawai 1.250 data 4 jam",
        (A("2025-11-21", 240, 405, qty=1250, unit="data"),),
    ),
    Msg(
        "kp06",
        "kepegawaian",
        "2025-11-24T15:00:00",
        "Verifikasi usulan pensiun BUP 6 berkas, 2 jam\nUpdate data pensiun di SIASN 1 jam",
        (
            A("2025-11-24", 120, 407, qty=6, unit="berkas"),
            A("2025-11-24", 60, 403),
        ),
    ),
    Msg(
        "kp07",
        "kepegawaian",
        "2025-11-25T15:00:00+07:00",
        "Melayani konsultasi kepegawaian",
        (A("2025-11-25", None, 406),),
    ),
    Msg(
        "kp08",
        "kepegawaian",
        "2025-11-26T16:00:00+07:00",
        "Senin kemarin rapat persiapan seleksi PPPK tahap 2 di ruang rapat lt. 3 dari jam 9-11, "
        "lalu verifikasi dokumen pelamar 40 berkas 13.00-15.30",
        (
            A("2025-11-24", 120, None, start="09:00", end="11:00"),
            A("2025-11-24", 150, None, qty=40, unit="berkas"),
        ),
    ),
    Msg(
        "kp09",
        "kepegawaian",
        "2025-11-27T15:00:00+07:00",
        "entry data keluarga PNS (KARIS/KARSU) 18 pegawai di SIMPEG 2j 15m",
        (A("2025-11-27", 135, 403, qty=18, unit="pegawai"),),
    ),
    Msg(
        "kp10",
        "kepegawaian",
        "2025-11-28T15:00:00+07:00",
        "Menerima dan mencatat 32 berkas usulan KP dari OPD",
        (A("2025-11-28", None, 401, qty=32, unit="berkas"),),
    ),
    Msg(
        "kp11",
        "kepegawaian",
        "2025-12-01T08:00:00+07:00",
        "Hari Sabtu 29 Nov lembur menyelesaikan rekap SKP tahunan 5 jam",
        (A("2025-11-29", 300, 405),),
    ),
    Msg(
        "kp12",
        "kepegawaian",
        "2025-12-02T15:00:00+07:00",
        "1. Koordinasi\n2. Administrasi\n3. Rapat",
        (A("2025-12-02", None), A("2025-12-02", None), A("2025-12-02", None)),
        warnings=(GEN, NOD),
    ),
    Msg(
        "kp13",
        "kepegawaian",
        "2025-12-03T15:00:00+07:00",
        "Proses usulan KP reguler: cek SK terakhir, ijazah dan PAK 10 berkas 08.00-09.30, "
        "input usulan di SIASN 09.30-11.00",
        (
            A("2025-12-03", 90, 401, qty=10, unit="berkas"),
            A("2025-12-03", 90),
        ),
    ),
    Msg(
        "kp14",
        "kepegawaian",
        "2025-12-04T17:00:00+07:00",
        "Rapat Baperjakat membahas mutasi jabatan 14.00 – 16.30 WIB",
        (A("2025-12-04", 150, None, start="14:00", end="16:30"),),
    ),
    Msg(
        "kp15",
        "kepegawaian",
        "2026-01-05T08:00:00+07:00",
        "Laporan tgl 31 Desember 2025:\n"
        "- Tutup buku rekap KGB tahun 2025, 3 jam\n"
        "- Arsip berkas KP periode Oktober, 2 jam",
        (
            A("2025-12-31", 180, 402),
            A("2025-12-31", 120, 401),
        ),
    ),
    Msg(
        "kp16",
        "kepegawaian",
        "2025-11-21T16:00:00+07:00",
        "Membuat nota dinas No. 800/1234/BKPSDM/2025 ttg usulan ujian dinas, 45 menit",
        (A("2025-11-21", 45),),
    ),
    Msg(
        "kp17",
        "kepegawaian",
        "2025-11-19T16:00:00+07:00",
        "2 hari yang lalu verifikasi KP 10 berkas 2 jam",
        (A("2025-11-17", 120, 401),),
    ),
    Msg(
        "kp18",
        "kepegawaian",
        "2025-11-17T16:00:00+07:00",
        "Today: KGB processing for 7 employees, 2 hrs 30 mins",
        (A("2025-11-17", 150, 402),),
    ),
    Msg(
        "kp19",
        "kepegawaian",
        "2025-11-21T09:30:00+07:00",
        "pkl 9-11 verifikasi usul KP",
        (A("2025-11-21", 120, 401, start="09:00", end="11:00"),),
    ),
    Msg(
        "kp20",
        "kepegawaian",
        "2025-11-17T16:00:00+07:00",
        "Rapat 1 jam",
        (A("2025-11-17", 60),),
        warnings=(GEN,),
    ),
    Msg(
        "kp21",
        "kepegawaian",
        "2025-11-19T16:00:00+07:00",
        "1. Verval data PNS yang akan pensiun TMT 1 Februari 2026 (7 orang) - 2 jam",
        (A("2025-11-19", 120, 407),),
    ),
    Msg(
        "kp22",
        "kepegawaian",
        "2025-11-18T16:00:00+07:00",
        "10.00 - 11.00 WITA zoom meeting dengan BKN tentang SIASN",
        (A("2025-11-18", 60, 403, start="10:00", end="11:00"),),
    ),
    Msg(
        "kp23",
        "kepegawaian",
        "2025-11-26T16:00:00+07:00",
        "jam 11 siang s.d. jam 1 siang rapat teknis SIASN",
        (A("2025-11-26", 120, 403, start="11:00", end="13:00"),),
    ),
    Msg(
        "kp24",
        "kepegawaian",
        "2025-12-01T16:00:00+07:00",
        "Hari Jumat menyelesaikan rekap SKP 4 jam",
        (A("2025-11-28", 240, 405),),
    ),
    Msg(
        "kp25",
        "kepegawaian",
        "2025-12-12T16:00:00+07:00",
        "Verifikasi usulan kenaikan pangkat 5 berkas ± 1 jam",
        (A("2025-12-12", 60, 401, qty=5, unit="berkas"),),
    ),
    Msg(
        "kp26",
        "kepegawaian",
        "2026-01-02T15:00:00+07:00",
        "Hari ini entri data KGB periode Januari 2026 untuk 15 pegawai, 3 jam",
        (A("2026-01-02", 180, 402, qty=15, unit="pegawai"),),
    ),
    Msg(
        "kp27",
        "kepegawaian",
        "2026-01-05T09:00:00+07:00",
        "kmrn lusa (3/1) lembur entri usul KP periode April 2026, 4 jam",
        (A("2026-01-03", 240, 401),),
    ),
    Msg(
        "kp28",
        "kepegawaian",
        "2025-11-21T16:00:00+07:00",
        "Menyiapkan bahan paparan Kaban ttg hasil pemetaan jabatan di RSUD lt. 2 1 jam 45 menit",
        (A("2025-11-21", 105),),
    ),
    Msg(
        "kp29",
        "kepegawaian",
        "2025-11-28T16:00:00+07:00",
        "Lain-lain",
        (A("2025-11-28", None),),
        warnings=(GEN, NOD),
    ),
    # --------------------------------------------------------------------- bidan
    Msg(
        "bd01",
        "bidan",
        "2025-11-17T13:00:00+09:00",
        "Posyandu Mawar RW 05: penimbangan 42 balita dan imunisasi 9 bayi 08.00-12.00",
        (A("2025-11-17", 240, 503, qty=42, unit="balita"),),
        tz=WIT,
    ),
    Msg(
        "bd02",
        "bidan",
        "2025-11-18T15:00:00+09:00",
        "ANC 6 ibu hamil di poli KIA 3 jam\nPelayanan KB suntik 4 akseptor 1 jam",
        (
            A("2025-11-18", 180, 501, qty=6, unit="ibu"),
            A("2025-11-18", 60, 505, qty=4, unit="akseptor"),
        ),
        tz=WIT,
    ),
    Msg(
        "bd03",
        "bidan",
        "2025-11-19T08:00:00+09:00",
        "Menolong persalinan normal Ny. S G2P1A0 di PONED 02.00-04.30",
        (A("2025-11-19", 150, 504, start="02:00", end="04:30"),),
        tz=WIT,
    ),
    Msg(
        "bd04",
        "bidan",
        "2025-11-20T14:00:00+09:00",
        "Imunisasi BIAS campak rubela di SD Inpres 3 Abepura, 87 siswa, jam 9 s.d. jam 12",
        (A("2025-11-20", 180, 502, start="09:00", end="12:00", qty=87, unit="siswa"),),
        tz=WIT,
    ),
    Msg(
        "bd05",
        "bidan",
        "2025-11-21T14:00:00+09:00",
        "Kunjungan nifas KF2 ke rumah Ny. M dan bayinya (KN2) ± 1,5 jam",
        (A("2025-11-21", 90, 507),),
        tz=WIT,
    ),
    Msg(
        "bd06",
        "bidan",
        "2025-11-24T14:00:00+09:00",
        "Membuat laporan PWS KIA bulan Oktober 2025",
        (A("2025-11-24", None, 506),),
        tz=WIT,
        warnings=(NOD,),
    ),
    Msg(
        "bd07",
        "bidan",
        "2025-11-25T08:00:00+09:00",
        "kemarin sore jaga persalinan 16.00-21.00, pasien dirujuk ke RSUD",
        (A("2025-11-24", 300, 504),),
        tz=WIT,
    ),
    Msg(
        "bd08",
        "bidan",
        "2025-11-26T16:00:00+09:00",
        "Pagi: posyandu lansia di kampung Yoka 3 jam. Siang: input data kohort ibu 2 jam",
        (
            A("2025-11-26", 180, 503),
            A("2025-11-26", 120),
        ),
        tz=WIT,
    ),
    Msg(
        "bd09",
        "bidan",
        "2025-11-27T16:00:00+09:00",
        "Konseling KB pasca salin 3 pasangan usia subur 45 menit",
        (A("2025-11-27", 45, 505, qty=3, unit="pasangan"),),
        tz=WIT,
    ),
    Msg(
        "bd10",
        "bidan",
        "2025-11-28T16:00:00+09:00",
        "Hari ini posyandu 4 jam",
        (A("2025-11-28", 240, 503),),
        tz=WIT,
    ),
    Msg(
        "bd11",
        "bidan",
        "2025-12-01T08:00:00+09:00",
        "Minggu 30/11 piket jaga IGD PONED 24 jam",
        (A("2025-11-30", 1440),),
        tz=WIT,
    ),
    Msg(
        "bd12",
        "bidan",
        "2025-12-02T15:00:00+09:00",
        "imunisasi 11 bayi (HB0, BCG, polio) di pustu 2,5 jam",
        (A("2025-12-02", 150, 502, qty=11, unit="bayi"),),
        tz=WIT,
    ),
    Msg(
        "bd13",
        "bidan",
        "2026-01-05T08:00:00+09:00",
        "Tgl 2 Januari: kelas ibu hamil di balai kampung 09.00-11.30 peserta 15 orang",
        (A("2026-01-02", 150, 501, qty=15, unit="orang"),),
        tz=WIT,
    ),
    Msg(
        "bd14",
        "bidan",
        "2025-11-18T15:00:00+09:00",
        "Last Friday: home visit neonatus 3 bayi 2 hours",
        (A("2025-11-14", 120, 507),),
        tz=WIT,
    ),
    Msg(
        "bd15",
        "bidan",
        "2025-11-24T15:00:00+09:00",
        "Pelayanan ANC terpadu 8 bumil, cek Hb & protein urin, 3 jam",
        (A("2025-11-24", 180, 501, qty=8, unit="bumil"),),
        tz=WIT,
    ),
    Msg(
        "bd16",
        "bidan",
        "2025-11-19T07:00:00",
        "Kemarin malam menolong persalinan 22.00-01.30",
        (A("2025-11-18", 210, 504, start="22:00", end="01:30"),),
        tz=WIT,
    ),
    Msg(
        "bd17",
        "bidan",
        "2025-11-25T20:00:00+09:00",
        "Rujukan pasien PEB ke RSUD dari jam 2 siang sampai jam 7 malam",
        (A("2025-11-25", 300, None, start="14:00", end="19:00"),),
        tz=WIT,
    ),
    Msg(
        "bd18",
        "bidan",
        "2025-12-01T09:00:00+09:00",
        "Tgl 29 (Sabtu) posyandu remaja 3 jam",
        (A("2025-11-29", 180, 503),),
        tz=WIT,
    ),
    Msg(
        "bd19",
        "bidan",
        "2025-11-19T20:00:00+09:00",
        "Jaga IGD 07.00-21.00\nLanjut jaga persalinan 21.00-23.30",
        (A("2025-11-19", 840), A("2025-11-19", 150, 504)),
        tz=WIT,
        warnings=("day_over_16h",),
    ),
    Msg(
        "bd20",
        "bidan",
        "2025-12-04T15:00:00+09:00",
        "Pencatatan register kohort bayi dua jam",
        (A("2025-12-04", 120),),
        tz=WIT,
    ),
    Msg(
        "bd21",
        "bidan",
        "2025-12-16T15:00:00+09:00",
        "Imunisasi 45 menit",
        (A("2025-12-16", 45, 502),),
        tz=WIT,
    ),
    # ------------------------------------------------------------------- perawat
    Msg(
        "pr01",
        "perawat",
        "2025-11-17T14:30:00+07:00",
        "Dinas pagi poli umum 07.30-14.00, melayani 38 pasien",
        (A("2025-11-17", 390, 601, qty=38, unit="pasien"),),
    ),
    Msg(
        "pr02",
        "perawat",
        "2025-11-18T08:00:00+07:00",
        "Senin malam jaga UGD 21.00-07.00, menangani 3 pasien KLL",
        (A("2025-11-17", 600, 602, start="21:00", end="07:00"),),
    ),
    Msg(
        "pr03",
        "perawat",
        "2025-11-19T13:00:00+07:00",
        "Posbindu PTM di Balai Desa Sukatani: cek tensi, gula darah & kolesterol 56 warga, "
        "08.30-12.00",
        (A("2025-11-19", 210, 604, qty=56, unit="warga"),),
    ),
    Msg(
        "pr04",
        "perawat",
        "2025-11-20T15:00:00+07:00",
        "Home care pasien stroke Tn. A di RT 03/RW 02 Desa Cikupa ± 2 jam\n"
        "Home care pasien DM Ny. R 1 jam",
        (A("2025-11-20", 120, 603), A("2025-11-20", 60, 603)),
    ),
    Msg(
        "pr05",
        "perawat",
        "2025-11-21T15:00:00+07:00",
        "Input askep ke RME 20 pasien 1 jam",
        (A("2025-11-21", 60, 605, qty=20, unit="pasien"),),
    ),
    Msg(
        "pr06",
        "perawat",
        "2025-11-24T15:00:00+07:00",
        "Penyuluhan PHBS di SDN 1 Cikupa untuk 60 siswa kelas 4-6 setengah jam",
        (A("2025-11-24", 30, 606, qty=60, unit="siswa"),),
    ),
    Msg(
        "pr07",
        "perawat",
        "2025-11-25T15:00:00+07:00",
        "perawatan luka 5 pasien di ruang tindakan jam 10-11.30",
        (A("2025-11-25", 90, None, start="10:00", end="11:30"),),
    ),
    Msg(
        "pr08",
        "perawat",
        "2025-11-26T15:00:00+07:00",
        "Tadi: triase dan resusitasi pasien henti jantung di UGD kurang lebih 45 menit",
        (A("2025-11-26", 45, 602),),
    ),
    Msg(
        "pr09",
        "perawat",
        "2025-11-27T15:00:00+07:00",
        "Jum'at kemarin saya ikut pelatihan BTCLS di Bandung seharian",
        (A("2025-11-21", None),),
    ),
    Msg(
        "pr10",
        "perawat",
        "2025-11-28T15:00:00+07:00",
        "Skrining TBC kontak serumah 12 orang 2 jam, penyuluhan TB di posyandu 1 jam",
        (A("2025-11-28", 120), A("2025-11-28", 60, 606)),
    ),
    Msg(
        "pr11",
        "perawat",
        "2025-12-01T08:00:00+07:00",
        "Laporan kegiatan 28/11/2025\n\n"
        "✅ Pelayanan pasien rawat jalan 3 jam\n"
        "✅ Dokumentasi askep 1 jam\n"
        "✅ Rapat lokakarya mini puskesmas 2 jam",
        (
            A("2025-11-28", 180, 601),
            A("2025-11-28", 60, 605),
            A("2025-11-28", 120),
        ),
    ),
    Msg(
        "pr12",
        "perawat",
        "2025-12-01T23:30:00+00:00",
        "kemarin dinas sore 14.00-21.00 di UGD",
        (A("2025-12-01", 420, 602),),
    ),
    Msg(
        "pr13",
        "perawat",
        "2025-12-04T16:00:00",
        "Mengikuti rapat evaluasi program PTM tingkat kabupaten via zoom 2 jam",
        (A("2025-12-04", 120, 604),),
    ),
    Msg(
        "pr14",
        "perawat",
        "2025-11-17T09:00:00+07:00",
        "Hari minggu kemarin ikut bakti sosial pengobatan gratis 4 jam",
        (A("2025-11-16", 240),),
    ),
    Msg(
        "pr15",
        "perawat",
        "2025-11-21T16:00:00+07:00",
        "Kunjungan perkesmas ke 4 KK binaan 1-3 siang",
        (A("2025-11-21", 120, 603, start="13:00", end="15:00"),),
    ),
    Msg(
        "pr16",
        "perawat",
        "2025-11-20T16:00:00+07:00",
        "08.00-10.00 pelayanan poli umum\n09.30-11.00 rapat lokmin",
        (A("2025-11-20", 120, 601), A("2025-11-20", 90)),
        warnings=("overlap",),
    ),
    Msg(
        "pr17",
        "perawat",
        "2025-11-20T16:00:00+07:00",
        "Edukasi diet DM pada 10 pasien prolanis 45 min",
        (A("2025-11-20", 45, 606),),
    ),
    Msg(
        "pr18",
        "perawat",
        "2025-11-21T16:00:00+07:00",
        "Vaksinasi HPV kelas 5 dan 6 SD di 2 sekolah, total 64 siswa, 08.00 - 11.00",
        (A("2025-11-21", 180),),
    ),
    Msg(
        "pr19",
        "perawat",
        "2025-12-01T16:00:00+07:00",
        "Jumat lalu: pelatihan PPGD hari kedua 08.00-16.00",
        (A("2025-11-28", 480),),
    ),
    Msg(
        "pr20",
        "perawat",
        "2025-11-26T16:00:00+07:00",
        "Izin lapor kegiatan:\n"
        "- pelayanan di poli lansia (32 pasien) 4 jam\n"
        "- dokumentasi RME 1 jam\n"
        "- penyuluhan gizi lansia 30 menit\n"
        "Total 5,5 jam",
        (
            A("2025-11-26", 240, 601, qty=32, unit="pasien"),
            A("2025-11-26", 60, 605),
            A("2025-11-26", 30, 606),
        ),
    ),
    Msg(
        "pr21",
        "perawat",
        "2025-12-03T16:00:00+07:00",
        "Rapat",
        (A("2025-12-03", None),),
        warnings=(GEN, NOD),
    ),
    Msg(
        "pr22",
        "perawat",
        "2025-12-09T16:00:00+07:00",
        "Sterilisasi alat ruang tindakan satu setengah jam",
        (A("2025-12-09", 90),),
    ),
    Msg(
        "pr23",
        "perawat",
        "2026-01-05T08:00:00+07:00",
        "Laporan 3-1-2026 (Sabtu) piket UGD 07.00-14.00",
        (A("2026-01-03", 420, 602),),
    ),
    # ----------------------------------------------------------------- bendahara
    Msg(
        "bn01",
        "bendahara",
        "2025-11-17T15:00:00+07:00",
        "Menyusun SPJ perjalanan dinas bulan Oktober 15 dokumen 3 jam",
        (A("2025-11-17", 180, 701, qty=15, unit="dokumen"),),
    ),
    Msg(
        "bn02",
        "bendahara",
        "2025-11-18T15:00:00+07:00",
        "Setor PPh 21 dan PPN ke kas negara via e-billing, 1 jam",
        (A("2025-11-18", 60, 705, qty=None),),
    ),
    Msg(
        "bn03",
        "bendahara",
        "2025-11-19T15:00:00+07:00",
        "Membayar honor narasumber Rp 1.500.000 dan uang transport peserta rapat "
        "Rp150.000 x 20 orang, 2 jam",
        (A("2025-11-19", 120, 706),),
    ),
    Msg(
        "bn04",
        "bendahara",
        "2025-11-20T16:00:00+07:00",
        "Rekonsiliasi BKU dengan rekening koran bulan Oktober 09.00-11.00\n"
        "Membuat LPJ fungsional bendahara 13.00-15.30",
        (A("2025-11-20", 120, 704), A("2025-11-20", 150, 702)),
    ),
    Msg(
        "bn05",
        "bendahara",
        "2025-11-21T15:00:00+07:00",
        "Input SPP-LS gaji ke SIPD 2 jam, verifikasi kelengkapan SPM 1 jam 30 mnt",
        (A("2025-11-21", 120, 703), A("2025-11-21", 90, 703)),
    ),
    Msg(
        "bn06",
        "bendahara",
        "2025-11-24T08:00:00+07:00",
        "Jumat 21 November: mencairkan SP2D belanja ATK Rp 12,5 juta dan mencatat di BKU, 1 jam",
        (A("2025-11-21", 60, 703),),
    ),
    Msg(
        "bn07",
        "bendahara",
        "2025-11-25T17:00:00+07:00",
        "Lembur menyusun LPJ UP/GU bulan November 2 jam",
        (A("2025-11-25", 120, 702),),
    ),
    Msg(
        "bn08",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "rekap pajak masa Oktober 2025 dan lapor SPT masa PPN online 2j",
        (A("2025-11-26", 120, 705),),
    ),
    Msg(
        "bn09",
        "bendahara",
        "2025-12-01T15:00:00+07:00",
        "Kemarin (Minggu) tidak bekerja.\n"
        "Hari ini:\n"
        "- Tutup kas akhir bulan November, rekonsiliasi dengan BPKAD 3 jam\n"
        "- Membuat SPJ ATK 22 kuitansi 2 jam",
        (
            A("2025-12-01", 180, 704),
            A("2025-12-01", 120, 701, qty=22, unit="kuitansi"),
        ),
    ),
    Msg(
        "bn10",
        "bendahara",
        "2025-12-02T15:00:00+07:00",
        "Pembayaran TPP pegawai bulan November 148 orang via CMS bank 3 jam",
        (A("2025-12-02", 180, None, qty=148, unit="orang"),),
    ),
    Msg(
        "bn11",
        "bendahara",
        "2026-01-02T08:00:00+07:00",
        "31 Des lembur closing BKU TA 2025 dari jam 13.00 sampai jam 10 malam",
        (A("2025-12-31", 540, 704, start="13:00", end="22:00"),),
    ),
    Msg(
        "bn12",
        "bendahara",
        "2026-01-05T15:00:00+07:00",
        "Senin 5/1/2026\n"
        "1. Menyusun LPJ Desember 2025 dan penutupan kas, 4 jam\n"
        "2. Menyiapkan dokumen pelaksanaan anggaran (DPA) 2026 untuk SPJ, 2 jam",
        (A("2026-01-05", 240, 702), A("2026-01-05", 120)),
    ),
    Msg(
        "bn13",
        "bendahara",
        "2025-11-20T15:00:00+07:00",
        "Bayar honor 25 guru honorer total Rp37.500.000; input ke BKU",
        (
            A("2025-11-20", None, 706, qty=25, unit="guru"),
            A("2025-11-20", None, 704),
        ),
    ),
    Msg(
        "bn14",
        "bendahara",
        "2025-11-21T15:00:00+07:00",
        "17.11.2025 menyusun SPJ honor narasumber 2 jam",
        (A("2025-11-17", 120, 701),),
    ),
    Msg(
        "bn15",
        "bendahara",
        "2025-11-26T16:00:00+07:00",
        "pukul 14.00 s.d. 15.45 rekonsiliasi kas dengan BPKAD",
        (A("2025-11-26", 105, 704, start="14:00", end="15:45"),),
    ),
    Msg(
        "bn16",
        "bendahara",
        "2025-11-20T15:00:00+07:00",
        "Menyiapkan undangan rapat evaluasi anggaran tanggal 30 Desember",
        (A("2025-11-20", None),),
        warnings=(NOD,),
    ),
    Msg(
        "bn17",
        "bendahara",
        "2025-11-20T15:00:00+07:00",
        "30/12:\n- Menyiapkan bahan paparan rapat evaluasi APBD 1 jam",
        (A("2025-11-20", 60),),
        warnings=("future_date_ignored",),
    ),
    Msg(
        "bn18",
        "bendahara",
        "2025-11-18T15:00:00+07:00",
        "Membuat kuitansi pembayaran uang makan 1.250.000 rupiah, 30 mnt",
        (A("2025-11-18", 30),),
    ),
    Msg(
        "bn19",
        "bendahara",
        "2025-11-26T16:00:00+07:00",
        "Input 35 transaksi ke BKU 2,5jam",
        (A("2025-11-26", 150, 704, qty=35, unit="transaksi"),),
    ),
    Msg(
        "bn20",
        "bendahara",
        "2025-11-21T16:00:00+07:00",
        "kira-kira 3 jam menyusun laporan realisasi anggaran triwulan III",
        (A("2025-11-21", 180),),
    ),
    Msg(
        "bn21",
        "bendahara",
        "2026-01-05T16:00:00+07:00",
        "tgl 31 lembur tutup buku 2025 5 jam",
        (A("2025-12-31", 300),),
    ),
    Msg(
        "bn22",
        "bendahara",
        "2025-12-08T16:00:00+07:00",
        "Konfirmasi pajak ke KPP 1/2 jam",
        (A("2025-12-08", 30, 705),),
    ),
    Msg(
        "bn23",
        "bendahara",
        "2025-12-04T16:00:00+07:00",
        "SP2D gaji Desember cair, cek ke bank 2 jam & bayar ke pegawai 1 jam",
        (A("2025-12-04", 120, 703), A("2025-12-04", 60)),
    ),
    # ----------------------------------------------------------------------- PPL
    Msg(
        "ppl01",
        "ppl",
        "2025-11-17T13:00:00+08:00",
        "Penyuluhan pemupukan berimbang di Poktan Sipakainge, peserta 25 orang, 09.00-11.30 WITA",
        (A("2025-11-17", 150, 801, start="09:00", end="11:30", qty=25, unit="orang"),),
        tz=WITA,
    ),
    Msg(
        "ppl02",
        "ppl",
        "2025-11-18T15:00:00+08:00",
        "Input RDKK MT I 2025/2026 Poktan Maju Jaya 32 petani ke e-RDKK 2 jam",
        (A("2025-11-18", 120, 802, qty=32, unit="petani"),),
        tz=WITA,
    ),
    Msg(
        "ppl03",
        "ppl",
        "2025-11-19T15:00:00+08:00",
        "Kunjungan lapangan ke sawah Desa Bontoa, pengamatan hama wereng 2 jam "
        "lalu pendampingan tanam jajar legowo 2 jam",
        (A("2025-11-19", 120), A("2025-11-19", 120, 803)),
        tz=WITA,
    ),
    Msg(
        "ppl04",
        "ppl",
        "2025-11-20T15:00:00+08:00",
        "Demplot padi varietas Inpari 32: pengamatan pertumbuhan umur 30 HST, 1,5 jam",
        (A("2025-11-20", 90, 804),),
        tz=WITA,
    ),
    Msg(
        "ppl05",
        "ppl",
        "2025-11-21T15:00:00+08:00",
        "Menyusun laporan bulanan penyuluhan bulan Oktober",
        (A("2025-11-21", None, 805),),
        tz=WITA,
    ),
    Msg(
        "ppl06",
        "ppl",
        "2025-11-24T15:00:00+08:00",
        "Sabtu kemarin gerakan pengendalian tikus (gropyok) bersama 3 poktan "
        "dari pagi jam 7 sampai jam 11",
        (A("2025-11-22", 240, None, start="07:00", end="11:00"),),
        tz=WITA,
    ),
    Msg(
        "ppl07",
        "ppl",
        "2025-11-25T15:00:00+08:00",
        "rapat di BPP",
        (A("2025-11-25", None),),
        tz=WITA,
    ),
    Msg(
        "ppl08",
        "ppl",
        "2025-11-26T15:00:00+08:00",
        "Pendampingan verifikasi penyaluran pupuk subsidi di kios tani bersama KP3 3 jam",
        (A("2025-11-26", 180),),
        tz=WITA,
    ),
    Msg(
        "ppl09",
        "ppl",
        "2025-11-27T15:00:00+08:00",
        "Tgl 25 & 26 kemarin saya ikut bimtek SIMLUHTAN di kabupaten",
        (A("2025-11-25", None),),
        tz=WITA,
    ),
    Msg(
        "ppl10",
        "ppl",
        "2025-12-01T08:00:00+08:00",
        "Jumat 28/11: Sekolah lapang iklim di Poktan Tunas Baru 3 jam 30 menit",
        (A("2025-11-28", 210, 801),),
        tz=WITA,
    ),
    Msg(
        "ppl11",
        "ppl",
        "2025-12-02T15:00:00+08:00",
        "Ngecek pertanaman jagung di lahan 2,5 ha milik Pak Rahman 1 jam",
        (A("2025-12-02", 60, 803, qty=2.5, unit="ha"),),
        tz=WITA,
    ),
    Msg(
        "ppl12",
        "ppl",
        "2026-01-05T08:00:00+08:00",
        "tanggal 31 tidak ada kegiatan lapangan; "
        "Jumat 2 Januari menyusun programa penyuluhan 2026 selama 4 jam",
        (A("2026-01-02", 240, 805),),
        tz=WITA,
    ),
    Msg(
        "ppl13",
        "ppl",
        "2025-11-19T15:00:00+08:00",
        "Minggu ini fokus RDKK. Hari ini input RDKK 3 poktan 3 jam",
        (A("2025-11-19", 180, 802),),
        tz=WITA,
    ),
    Msg(
        "ppl14",
        "ppl",
        "2025-11-20T18:00:00",
        "kmrn penyuluhan ttg pembuatan pupuk organik cair di poktan Harapan 2 jam",
        (A("2025-11-19", 120, 801),),
        tz=WITA,
    ),
    Msg(
        "ppl15",
        "ppl",
        "2025-11-17T15:00:00+08:00",
        "Pertemuan rutin kelompok tani 11-1",
        (A("2025-11-17", 120, 801, start="11:00", end="13:00"),),
        tz=WITA,
    ),
    Msg(
        "ppl16",
        "ppl",
        "2025-11-27T15:00:00+08:00",
        "Penyuluhan 10am-12pm at Poktan Makmur about pest control",
        (A("2025-11-27", 120, 801, start="10:00", end="12:00"),),
        tz=WITA,
    ),
    Msg(
        "ppl17",
        "ppl",
        "2025-11-30T16:30:00+00:00",
        "kemarin penyuluhan kelompok wanita tani 2 jam",
        (A("2025-11-30", 120, 801),),
        tz=WITA,
    ),
    Msg(
        "ppl18",
        "ppl",
        "2025-11-28T15:00:00+08:00",
        "Rabu 26-11-2025 & Kamis 27-11-2025 ikut pelatihan penyuluh di BBPP Batangkaluku",
        (A("2025-11-26", None),),
        tz=WITA,
    ),
    Msg(
        "ppl19",
        "ppl",
        "2025-11-21T15:00:00+08:00",
        "Ubinan padi di Desa Bontoa 2 plot 1 jam",
        (A("2025-11-21", 60),),
        tz=WITA,
    ),
    Msg(
        "ppl20",
        "ppl",
        "2026-01-06T15:00:00+08:00",
        "Senin 5 Jan penyusunan programa penyuluhan desa 2026 bersama kades 3 jam",
        (A("2026-01-05", 180, 805),),
        tz=WITA,
    ),
    Msg(
        "ppl21",
        "ppl",
        "2025-12-10T15:00:00+08:00",
        "Pengamatan OPT walang sangit di 3 poktan sekitar empat jam",
        (A("2025-12-10", 240, 806),),
        tz=WITA,
    ),
    # ------------------------------------------------------------------ typed in a hurry
    # Issue 7: commas, no punctuation, mixed Indonesian/English, times with dots and
    # colons, WhatsApp bullets, lowercase, typos ("rpt", "mengajr", "kmrn").
    Msg(
        "h01",
        "guru_smp",
        "2025-11-26T14:00:00+07:00",
        "rpt mgmp ipa 08.00-10.00, ngajar 8a 8b 10.15-11.35, koreksi uh 32 lembar",
        (
            A("2025-11-26", 120, 207, start="08:00", end="10:00"),
            A("2025-11-26", 80, 202, start="10:15", end="11:35"),
            A("2025-11-26", None, 203, qty=32, unit="lembar"),
        ),
    ),
    Msg(
        "h02",
        "guru_sd",
        "2025-11-26T13:00:00+07:00",
        "- apel pagi 30mnt\n- ngajar kls 3 mtk 07.30-09.00\n- periksa PR siswa 25 buku",
        (
            A("2025-11-26", 30),
            A("2025-11-26", 90, 102, start="07:30", end="09:00"),
            A("2025-11-26", None, 103, qty=25, unit="buku"),
        ),
    ),
    Msg(
        "h03",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "kmrn verval berkas KP 12 org 2 jam; input SIASN 1,5 jam",
        (
            A("2025-11-25", 120, 401, qty=12, unit="org"),
            A("2025-11-25", 90, 403),
        ),
    ),
    Msg(
        "h04",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "checked promotion files 8 berkas 2 hours, then retirement docs for 3 staff 1 hour",
        (
            A("2025-11-26", 120, 401, qty=8, unit="berkas"),
            A("2025-11-26", 60, 407),
        ),
    ),
    Msg(
        "h05",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "• input BKU 09:00-10:30\n• setor pajak PPh 21 ke bank 1 jam\n"
        "• bikin SPJ honor narsum 2 jam",
        (
            A("2025-11-26", 90, 704, start="09:00", end="10:30"),
            A("2025-11-26", 60, 705),
            A("2025-11-26", 120, 701),
        ),
    ),
    Msg(
        "h06",
        "bidan",
        "2025-11-20T16:00:00+09:00",
        "posyandu mawar 08.00-11.30 timbang 45 balita, lanjut imunisasi 12 bayi 1 jam",
        (
            A("2025-11-20", 210, 503, qty=45, unit="balita"),
            A("2025-11-20", 60, 502, qty=12, unit="bayi"),
        ),
        tz=WIT,
    ),
    Msg(
        "h07",
        "perawat",
        "2025-11-26T21:30:00+07:00",
        "jaga ugd 14.00-21.00 tangani 6 pasien",
        (A("2025-11-26", 420, 602, start="14:00", end="21:00", qty=6, unit="pasien"),),
    ),
    Msg(
        "h08",
        "operator",
        "2025-11-26T15:00:00+07:00",
        "update dapodik smt genap 2 jam\nverval pd 35 siswa 1.5 jam\nbackup data 30 mnt",
        (
            A("2025-11-26", 120, 301),
            A("2025-11-26", 90, 302, qty=35, unit="siswa"),
            A("2025-11-26", 30),
        ),
    ),
    Msg(
        "h09",
        "guru_sma",
        "2025-11-26T15:00:00+07:00",
        "taught english XI IPA 2 2x45 menit, graded 30 exam papers 1 hour",
        (
            A("2025-11-26", 90, 212),
            A("2025-11-26", 60, 213, qty=30, unit="exam papers"),
        ),
    ),
    Msg(
        "h10",
        "ppl",
        "2025-11-24T15:00:00+08:00",
        "kunjungan poktan sri rejeki 09.00-12.00, demplot jagung ukur 2 plot 1 jam",
        (
            A("2025-11-24", 180, 803, start="09:00", end="12:00"),
            A("2025-11-24", 60, 804),
        ),
        tz=WITA,
    ),
    Msg(
        "h11",
        "guru_sd",
        "2025-11-26T15:00:00+07:00",
        "mengajr tematik kls 2 3jam\nkoreksi latihan soal 2jam",
        (A("2025-11-26", 180, 102), A("2025-11-26", 120, 103)),
    ),
    Msg(
        "h12",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "Senin: rapat anjab abk 2 jam, lanjut susun peta jabatan 3 jam",
        (A("2025-11-24", 120, 404), A("2025-11-24", 180, 404)),
    ),
    Msg(
        "h13",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "tgl 24 proses SPM gaji 3 jam; rekon BKU dengan BPKAD 2 jam",
        (A("2025-11-24", 180, 703), A("2025-11-24", 120, 704)),
    ),
    Msg(
        "h14",
        "bidan",
        "2025-11-20T16:00:00+09:00",
        "ANC 7 bumil 08.00-10.00 lalu KB suntik 4 akseptor 10.00-11.00",
        (
            A("2025-11-20", 120, 501, qty=7, unit="bumil"),
            A("2025-11-20", 60, 505, qty=4, unit="akseptor"),
        ),
        tz=WIT,
    ),
    Msg(
        "h15",
        "perawat",
        "2025-11-26T15:00:00+07:00",
        "home visit pasien TB 2 rumah 2 jam, input RME 1 jam",
        (A("2025-11-26", 120, 603, qty=2, unit="rumah"), A("2025-11-26", 60, 605)),
    ),
    Msg(
        "h16",
        "operator",
        "2025-11-26T15:00:00+07:00",
        "yesterday fixed printer TU and komputer lab 3 hours",
        (A("2025-11-25", 180),),
    ),
    Msg(
        "h17",
        "guru_smp",
        "2025-11-26T15:00:00+07:00",
        "piket sekolah 07.00-08.00\nwali kls: rekap absensi 9C 30 menit\n"
        "bimbing osn 2 siswa 13.00-15.00",
        (
            A("2025-11-26", 60),
            A("2025-11-26", 30, 204),
            A("2025-11-26", 120, 205, qty=2, unit="siswa"),
        ),
    ),
    Msg(
        "h18",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "proses kgb 15 pegawai 3 jam konsultasi kepegawaian 4 org 1 jam",
        (
            A("2025-11-26", 180, 402, qty=15, unit="pegawai"),
            A("2025-11-26", 60, 406, qty=4, unit="org"),
        ),
    ),
    Msg(
        "h19",
        "guru_sd",
        "2025-11-26T15:00:00+07:00",
        "• 07.15 apel\n• 07.30 mengajar kls 1 tematik\n• 10.00 istirahat\n"
        "• 10.30 menilai hasil kerja siswa\n• 12.00 pulang",
        (
            A("2025-11-26", 15, None, start="07:15", end="07:30"),
            A("2025-11-26", 150, 102, start="07:30", end="10:00"),
            A("2025-11-26", 90, 103, start="10:30", end="12:00"),
        ),
    ),
    Msg(
        "h20",
        "bidan",
        "2025-11-20T10:00:00+09:00",
        "Kmrn persalinan normal 1 pasien 02.00-04.30",
        (A("2025-11-19", 150, 504, start="02:00", end="04:30"),),
        tz=WIT,
    ),
    Msg(
        "h21",
        "perawat",
        "2025-11-27T07:00:00+07:00",
        "kemarin 23.00-01.00 jaga malam ugd 3 pasien",
        # Split at midnight (issue 8 defect 6): e-Kinerja needs start < end on one date.
        (
            A("2025-11-26", 60, 602, start="23:00", end="23:59", qty=3),
            A("2025-11-27", 60, 602, start="00:00", end="01:00", qty=None),
        ),
    ),
    Msg(
        "h22",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "paid honorarium for 12 speakers 2 hrs, petty cash count 30 min",
        (A("2025-11-26", 120, 706), A("2025-11-26", 30, 704)),
    ),
    Msg(
        "h23",
        "ppl",
        "2025-11-25T16:00:00+08:00",
        "Pengamatan hama wereng di 3 desa 3jam, susun laporan bulanan 2 jam",
        (A("2025-11-25", 180, 806), A("2025-11-25", 120, 805)),
        tz=WITA,
    ),
    Msg(
        "h24",
        "guru_sma",
        "2025-11-26T15:00:00+07:00",
        "kemarin rapat kurikulum 09.00-11.00; susun jadwal PAS 2 jam; ngajar kelas XII 90 menit",
        (
            A("2025-11-25", 120, 215, start="09:00", end="11:00"),
            A("2025-11-25", 120),
            A("2025-11-25", 90, 212),
        ),
    ),
    Msg(
        "h25",
        "operator",
        "2025-11-26T15:00:00+07:00",
        "input nilai rapor 5 kelas 2 jam, cetak kartu ujian 180 lembar 1 jam",
        (A("2025-11-26", 120), A("2025-11-26", 60, None, qty=180, unit="lembar")),
    ),
    Msg(
        "h26",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "pagi: layanan konsultasi 6 orang 2 jam\nsiang: entri data SIASN 40 pegawai 3 jam",
        (A("2025-11-26", 120, 406), A("2025-11-26", 180, 403)),
    ),
    Msg(
        "h27",
        "guru_smp",
        "2025-11-26T15:00:00+07:00",
        "rpt dinas di aula 2jam trus koreksi PTS 9A 32 lembar 1,5 jam",
        (A("2025-11-26", 120), A("2025-11-26", 90, 203, qty=32, unit="lembar")),
    ),
    Msg(
        "h28",
        "bidan",
        "2025-11-20T16:00:00+09:00",
        "kunjungan nifas 3 ibu 10.00 - 12.00 & kunjungan neonatus 3 bayi 13:00-14:00",
        (
            A("2025-11-20", 120, 507, start="10:00", end="12:00"),
            A("2025-11-20", 60, 507, start="13:00", end="14:00"),
        ),
        tz=WIT,
    ),
    Msg(
        "h29",
        "perawat",
        "2025-11-26T15:00:00+07:00",
        "skrining PTM posbindu 25 org 08.00-11.00, penyuluhan hipertensi 1 jam",
        (A("2025-11-26", 180, 604, qty=25, unit="org"), A("2025-11-26", 60, 606)),
    ),
    Msg(
        "h30",
        "guru_sd",
        "2025-11-24T10:00:00+07:00",
        "Jumat kmrn pramuka 14.00-16.00",
        (A("2025-11-21", 120, 106, start="14:00", end="16:00"),),
    ),
    Msg(
        "h31",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "Senin 24/11: proses SP2D 3 dokumen 2 jam, setor PPN 1 jam",
        (
            A("2025-11-24", 120, 703, qty=3, unit="dokumen"),
            A("2025-11-24", 60, 705),
        ),
    ),
    Msg(
        "h32",
        "ppl",
        "2025-11-25T16:00:00+08:00",
        "penyuluhan di poktan tani makmur 20 petani 2 jam lalu kunjungan lahan 1 jam",
        (A("2025-11-25", 120, 801, qty=20, unit="petani"), A("2025-11-25", 60, 803)),
        tz=WITA,
    ),
    Msg(
        "h33",
        "guru_sma",
        "2025-11-26T15:00:00+07:00",
        "meeting w/ principal 1 hr, lesson plans for grade 11 2 hrs",
        (A("2025-11-26", 60), A("2025-11-26", 120, 211)),
    ),
    Msg(
        "h34",
        "operator",
        "2025-11-26T15:00:00+07:00",
        "kemarin sinkron dapodik 1 jam\nhari ini verval pd 20 siswa 2 jam",
        (A("2025-11-25", 60, 301), A("2025-11-26", 120, 302, qty=20, unit="siswa")),
    ),
    Msg(
        "h35",
        "kepegawaian",
        "2025-11-21T16:00:00+07:00",
        "- rekap skp pegawai 2 jam\n- proses usulan pensiun 4 org 1 jam 30 menit",
        (A("2025-11-21", 120, 405), A("2025-11-21", 90, 407, qty=4, unit="org")),
    ),
    Msg(
        "h36",
        "guru_smp",
        "2025-11-26T15:00:00+07:00",
        "ulangan harian ipa kls 7b 7c 2 jam lalu remedial 5 siswa 1 jam",
        (A("2025-11-26", 120, 203), A("2025-11-26", 60, None, qty=5, unit="siswa")),
    ),
    Msg(
        "h37",
        "bidan",
        "2025-11-21T15:00:00+09:00",
        "laporan PWS KIA bulan oktober 3 jam",
        (A("2025-11-21", 180, 506),),
        tz=WIT,
    ),
    Msg(
        "h38",
        "perawat",
        "2025-11-26T15:00:00+07:00",
        "08.00-12.00 pelayanan poli umum 30 pasien, 13.00-14.00 dokumentasi askep di RME",
        (
            A("2025-11-26", 240, 601, qty=30, unit="pasien"),
            A("2025-11-26", 60, 605, start="13:00", end="14:00"),
        ),
    ),
    Msg(
        "h39",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "kmrn: bayar perjadin 5 pegawai 2 jam\nhr ini: LPJ bendahara bulan nov 4 jam",
        (A("2025-11-25", 120, 706), A("2025-11-26", 240, 702)),
    ),
    Msg(
        "h40",
        "ppl",
        "2025-11-25T16:00:00+08:00",
        "demplot padi varietas inpari 32 tanam jajar legowo 3 jam",
        (A("2025-11-25", 180, 804),),
        tz=WITA,
    ),
    Msg(
        "h41",
        "guru_sd",
        "2025-11-26T15:00:00+07:00",
        "mengajar kls 6 IPAS 2 jam, ngoreksi ulangan 26 lembar, susun soal PAS 1 jam",
        (
            A("2025-11-26", 120, 102),
            A("2025-11-26", None, 103, qty=26, unit="lembar"),
            A("2025-11-26", 60, 103),
        ),
    ),
    Msg(
        "h42",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "attendance recap oct 2 hours, staff consultation 3 people 1 hour",
        (A("2025-11-26", 120), A("2025-11-26", 60, 406)),
    ),
    Msg(
        "h43",
        "guru_smp",
        "2025-11-26T15:00:00+07:00",
        "Rabu 19/11 study tour pendampingan siswa 8 jam",
        (A("2025-11-19", 480),),
    ),
    Msg(
        "h44",
        "operator",
        "2025-11-26T15:00:00+07:00",
        "besok ANBK gladi bersih, hari ini siapkan 30 komputer lab 3 jam",
        (A("2025-11-26", 180, 303),),
    ),
    Msg(
        "h45",
        "perawat",
        "2025-11-26T15:00:00+07:00",
        "jaga IGD jam 07-14 hecting 3 pasien",
        (A("2025-11-26", 420, 602, start="07:00", end="14:00", qty=3, unit="pasien"),),
    ),
    Msg(
        "h46",
        "guru_sd",
        "2025-11-24T10:00:00+07:00",
        "Kamis 20/11 kkg gugus 2 di SDN 5 08.00-12.00",
        (A("2025-11-20", 240, 107, start="08:00", end="12:00"),),
    ),
    Msg(
        "h47",
        "bidan",
        "2025-11-20T16:00:00+09:00",
        "imunisasi BIAS kelas 1 SD 3 sekolah 62 anak 09.00-12.30",
        (A("2025-11-20", 210, 502, start="09:00", end="12:30"),),
        tz=WIT,
    ),
    Msg(
        "h48",
        "guru_sma",
        "2025-11-26T15:00:00+07:00",
        "english club 2-4pm 15 students",
        (A("2025-11-26", 120, 214, start="14:00", end="16:00", qty=15, unit="students"),),
    ),
    # Issue 7 leftover: English comma lists. A comma before a new English verb phrase
    # (past tense, -ing, common office verbs) with its own duration, time or count starts
    # a new activity, as in Indonesian; a describing verb ("discussed …") does not.
    Msg(
        "en01",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "prepared the budget realisation report 2h, checked travel claims 1h",
        (A("2025-11-26", 120), A("2025-11-26", 60, 701)),
    ),
    Msg(
        "en02",
        "operator",
        "2025-11-26T15:00:00+07:00",
        "tomorrow team meeting 1 h, updated the asset inventory 09.00-11.00",
        (A("2025-11-26", 60), A("2025-11-26", 120, start="09:00", end="11:00")),
        warnings=("future_date_ignored",),
    ),
    Msg(
        "en03",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "reviewed 20 leave requests 1 h, filed them in the archive 30 min",
        (A("2025-11-26", 60, qty=20), A("2025-11-26", 30)),
    ),
    Msg(
        "en04",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "attended the coordination meeting 09.00-10.30, drafted the minutes 1h, sent 3 letters",
        (
            A("2025-11-26", 90, start="09:00", end="10:30"),
            A("2025-11-26", 60),
            A("2025-11-26", None, qty=3, unit="letters"),
        ),
    ),
    Msg(
        "en05",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "coordination meeting with the finance team 1h, paid 12 vendors",
        (A("2025-11-26", 60), A("2025-11-26", None, qty=12, unit="vendors")),
    ),
    Msg(
        "en06",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "cash count 30 min, deposited PPh 21 tax 30 mins",
        (A("2025-11-26", 30), A("2025-11-26", 30, 705)),
    ),
    Msg(
        "en07",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "meeting with the head of division 1h, discussed 3 agenda items",
        (A("2025-11-26", 60, qty=3),),
    ),
    Msg(
        "en08",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "briefing 09.00-10.00, check 15 promotion files",
        (A("2025-11-26", 60, start="09:00"), A("2025-11-26", None, qty=15)),
    ),
    Msg(
        "en09",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "coordination meeting 1h, held 2 interviews for the job analysis",
        (A("2025-11-26", 60), A("2025-11-26", None, qty=2, unit="interviews")),
    ),
    Msg(
        "en10",
        "bendahara",
        "2025-11-26T15:00:00+07:00",
        "entered 40 receipts in the cash book 2 hours, answering auditor questions 1 hour",
        (A("2025-11-26", 120, 704, qty=40), A("2025-11-26", 60)),
    ),
    Msg(
        "en11",
        "operator",
        "2025-11-26T15:00:00+07:00",
        "updated dapodik 1,5 h, including 3 new students",
        (A("2025-11-26", 90, 301, qty=3),),
    ),
    Msg(
        "en12",
        "kepegawaian",
        "2025-11-26T15:00:00+07:00",
        "yesterday processing KGB for 6 staff 1 h, gave consultations to 4 teachers 1 h 30 m",
        (A("2025-11-25", 60, 402), A("2025-11-25", 90)),
    ),
)
