"""SKP ranking: normalisation, abbreviations, history, determinism."""

from __future__ import annotations

import pytest

from bot.matching import (
    NO_MATCH_BELOW,
    PastChoice,
    SkpCandidate,
    best_match,
    history_phrase,
    rank,
    score,
)
from bot.textnorm import concepts, stem

TEACHER = [
    SkpCandidate(1, "Menyusun rencana pelaksanaan pembelajaran (RPP)"),
    SkpCandidate(2, "Melaksanakan kegiatan belajar mengajar di kelas"),
    SkpCandidate(3, "Melaksanakan penilaian tengah dan akhir semester"),
    SkpCandidate(4, "Membina ekstrakurikuler Pramuka", rhk="Pembinaan kesiswaan"),
]
STAFF = [
    SkpCandidate(10, "Memproses usulan kenaikan gaji berkala"),
    SkpCandidate(11, "Memverifikasi usulan kenaikan pangkat"),
    SkpCandidate(12, "Memutakhirkan data pegawai di SIASN"),
    SkpCandidate(13, "Menyusun analisis jabatan dan analisis beban kerja"),
    SkpCandidate(14, "Menyusun laporan pertanggungjawaban keuangan"),
]


@pytest.mark.parametrize(
    ("text", "items", "best"),
    [
        ("menyusun RPP IPA", TEACHER, 1),
        ("KBM matematika kelas 7", TEACHER, 2),
        ("mengajar IPA kelas 8", TEACHER, 2),
        ("mengajr IPA kelas 8", TEACHER, 2),  # typo
        ("mengoreksi PTS", TEACHER, 3),
        ("koreksi lembar jawaban PAS", TEACHER, 3),
        ("latihan pramuka", TEACHER, 4),
        ("proses KGB 5 PNS", STAFF, 10),
        ("verifikasi berkas KP", STAFF, 11),
        ("update data di SIASN", STAFF, 12),
        ("menyusun ABK bagian umum", STAFF, 13),
        ("menyusun anjab", STAFF, 13),
        ("membuat LPJ", STAFF, 14),
        ("Teaching math class 7", TEACHER, 2),
    ],
)
def test_best_item(text: str, items: list[SkpCandidate], best: int) -> None:
    assert rank(text, items)[0] == best


def test_rank_returns_every_id_once() -> None:
    ranked = rank("rapat", TEACHER)
    assert sorted(ranked) == [1, 2, 3, 4]


def test_ties_are_broken_by_id() -> None:
    items = [SkpCandidate(9, "Tugas A"), SkpCandidate(3, "Tugas A"), SkpCandidate(5, "Tugas A")]
    assert rank("sesuatu yang lain sama sekali", items) == [3, 5, 9]


def test_deterministic() -> None:
    assert all(rank("menyusun laporan", STAFF) == rank("menyusun laporan", STAFF) for _ in range(5))


def test_empty_inputs() -> None:
    assert rank("rapat", []) == []
    assert sorted(rank("", TEACHER)) == [1, 2, 3, 4]


def test_no_good_match() -> None:
    assert best_match("bakti sosial donor darah", TEACHER) is None
    assert score("bakti sosial donor darah", TEACHER)[0][1] < NO_MATCH_BELOW
    assert best_match("menyusun RPP", TEACHER) == 1


def test_exact_past_phrase_wins_strongly() -> None:
    text = "rapat koordinasi gugus membahas RPP"
    assert rank(text, TEACHER)[0] == 1
    history = [PastChoice(history_phrase(text), 4, count=1)]
    assert rank(text, TEACHER, history)[0] == 4
    # Even against a strong textual match for another item.
    history = [PastChoice(history_phrase("menyusun RPP"), 3, count=2)]
    assert rank("menyusun RPP", TEACHER, history)[0] == 3


def test_similar_past_phrase_helps_weighted_by_count() -> None:
    text = "rapat koordinasi gugus 3 membahas jadwal"
    past = history_phrase("rapat koordinasi gugus membahas jadwal lomba")
    once = dict(score(text, TEACHER, [PastChoice(past, 4, 1)]))
    often = dict(score(text, TEACHER, [PastChoice(past, 4, 10)]))
    plain = dict(score(text, TEACHER))
    assert plain[4] < once[4] < often[4]


def test_unrelated_history_does_not_move_the_ranking() -> None:
    history = [PastChoice(history_phrase("latihan pramuka penggalang"), 4, 5)]
    assert rank("mengoreksi PTS", TEACHER, history)[0] == 3


def test_history_for_unknown_item_is_ignored() -> None:
    history = [PastChoice(history_phrase("mengoreksi PTS"), 99, 5)]
    assert 99 not in rank("mengoreksi PTS", TEACHER, history)


def test_history_phrase_ignores_numbers_order_and_affixes() -> None:
    a = history_phrase("Mengoreksi 32 lembar jawaban PTS kelas 8B")
    b = history_phrase("koreksi lembar jawaban PTS kelas 9A")
    assert a == b
    assert history_phrase("Rapat") == history_phrase("rapat!!")


def test_normaliser() -> None:
    assert stem("pembelajaran") == "ajar"
    assert stem("penilaian") == "nilai"
    assert "kenaikangaji" in concepts("KGB")
    assert "analisis" in concepts("ABK") and "beban" in concepts("ABK")
    assert "mutakhir" in concepts("input data")
    assert concepts("verval PD") == concepts("verifikasi validasi peserta didik")


def test_hurried_abbreviations() -> None:
    assert "rapat" in concepts("rpt mgmp")
    items = [SkpCandidate(1, "Mengikuti rapat koordinasi dinas"), SkpCandidate(2, "Menyusun RPP")]
    assert rank("rpt koordinasi di dinas", items)[0] == 1
