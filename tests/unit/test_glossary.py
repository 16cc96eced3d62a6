"""Issue 7 defect 20: the bilingual domain glossary, one ranking check per entry.

Each entry's term (alone, and in its example activity) must put the SKP item the entry
names first among its domain's SKP items plus one item of every other domain.
"""

from __future__ import annotations

import pytest

from bot import glossary
from bot.matching import SkpCandidate, rank
from bot.textnorm import concepts

ENTRIES = glossary.entries()


def _candidates(domain: str) -> tuple[list[SkpCandidate], dict[str, int]]:
    items: list[SkpCandidate] = []
    ids: dict[str, int] = {}
    for d in glossary.load():
        titles = list(d.skp.items()) if d.name == domain else list(d.skp.items())[:1]
        for key, title in titles:
            ids[f"{d.name}:{key}"] = len(items)
            items.append(SkpCandidate(len(items), title))
    return items, ids


def test_every_domain_is_there_and_loaded_once() -> None:
    assert [d.name for d in glossary.load()] == list(glossary.DOMAINS)
    assert glossary.load() is glossary.load()
    assert all(len(d.entries) >= 8 for d in glossary.load())
    assert {e.lang for e in ENTRIES} == {"id", "en"}
    terms = [(e.domain, e.term) for e in ENTRIES]
    assert len(terms) == len(set(terms))


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.domain}:{e.term}" for e in ENTRIES])
def test_entry_ranks_its_skp_first(entry: glossary.Entry) -> None:
    items, ids = _candidates(entry.domain)
    want = ids[f"{entry.domain}:{entry.skp}"]
    assert rank(entry.example, items)[0] == want, (entry.example, concepts(entry.example))
    assert rank(entry.term, items)[0] == want, (entry.term, concepts(entry.term))


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("processing promotion files", "Memverifikasi usulan kenaikan pangkat"),
        ("retirement paperwork for 2 teachers", "Memproses usulan pensiun (BUP)"),
        ("memperbaiki printer TU", "Memelihara sarana dan prasarana TIK"),
        ("instal komputer lab", "Memelihara sarana dan prasarana TIK"),
        ("ikut webinar kurikulum merdeka", "Mengikuti pengembangan diri dan kompetensi"),
    ],
)
def test_issue_examples_against_mixed_items(text: str, title: str) -> None:
    items = [
        SkpCandidate(1, "Memverifikasi usulan kenaikan pangkat"),
        SkpCandidate(2, "Memproses usulan pensiun (BUP)"),
        SkpCandidate(3, "Memelihara sarana dan prasarana TIK"),
        SkpCandidate(4, "Mengikuti pengembangan diri dan kompetensi"),
        SkpCandidate(5, "Menyusun laporan keuangan"),
        SkpCandidate(6, "Melaksanakan pembelajaran di kelas"),
    ]
    best = rank(text, items)[0]
    assert items[best - 1].title == title


@pytest.mark.parametrize(
    "budget_item",
    [
        "Menyusun laporan realisasi anggaran (LRA)",
        "Menyusun LRA",
        "Budget realization report",
        "Penyusunan laporan realisasi anggaran semester",
    ],
)
def test_budget_realisation_is_not_the_tax_report(budget_item: str) -> None:
    """Issue 7 defect 20 leftover: "Prepared the budget realisation report" was matched to
    "Monthly tax reporting" although a budget-realisation item existed."""
    items = [
        SkpCandidate(1, "Monthly tax reporting"),
        SkpCandidate(2, "Menyusun laporan pajak bulanan"),
        SkpCandidate(3, budget_item),
        SkpCandidate(4, "Menyusun rencana kerja dan anggaran (RKA)"),
    ]
    for text in (
        "Prepared the budget realisation report",
        "prepared budget realization report Q3 2h",
        "LRA semester 1",
    ):
        assert rank(text, items)[0] == 3, (text, concepts(text))
