"""Rank a user's SKP items for one activity ("Mengoreksi 28 lembar PTS" → penilaian).

Both texts are normalised (``bot.textnorm``: abbreviations, stems, synonyms). The score
mixes a keyword overlap weighted by how specific a word is among *this user's* items
(every title says "melaksanakan", so it weighs nothing; "kelas" or "SIASN" decide),
a rapidfuzz token-set similarity for near matches, a weak term for the parent RHK, and
a boost for items the user confirmed before for similar phrases: the bot learns.
Pure and deterministic; ties go to the lower id.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz

from bot.textnorm import concepts

#: Below this score no item is a real match: offer "Lainnya…"/"Tugas tambahan" first.
NO_MATCH_BELOW: Final = 0.12

_W_KEYWORDS: Final = 0.62
_W_FUZZY: Final = 0.26
_W_RHK: Final = 0.12
_EXACT_HISTORY_BONUS: Final = 2.0
_SIMILAR_HISTORY_BONUS: Final = 0.6
_HISTORY_MIN_SIMILARITY: Final = 0.6
#: Places and groups say where, not what: they count half.
_WEAK: Final = frozenset(
    """
    kelas ruang sekolah kantor desa kecamatan kabupaten dinas puskesmas tim aula guru pegawai
    """.split()
)
#: Everyday verbs say little about which item: they count a bit less.
_COMMON_VERBS: Final = frozenset(
    "susun buat siap isi cetak kirim terima catat kelola proses urus kerja ikut hadir".split()
)
#: "Posyandu Mawar: penimbangan …" — the label before a colon names the activity.
_LABEL_BOOST: Final = 1.5
#: Reports lead with the main action/object; later words count a little less.
_POSITION_DECAY: Final = 0.1


@dataclass(frozen=True, slots=True)
class SkpCandidate:
    """An SKP item (RHK / rencana aksi) the user may file an activity under."""

    id: int
    title: str
    rhk: str | None = None  # parent RHK or indicator text: a weaker signal


@dataclass(frozen=True, slots=True)
class PastChoice:
    """A confirmed choice: activities phrased like ``phrase`` went to ``skp_item_id``."""

    phrase: str
    skp_item_id: int
    count: int = 1


def history_phrase(activity_text: str) -> str:
    """The key to store a confirmed choice under: normalised concepts, sorted.

    "Mengoreksi 32 lembar jawaban PTS kelas 8B" and "koreksi lembar jawaban PTS 8A"
    give the same key, so the choice is found again next time.
    """
    return " ".join(sorted(concepts(activity_text)))


@lru_cache(maxsize=4096)
def _item_concepts(title: str, rhk: str | None) -> tuple[frozenset[str], str, frozenset[str]]:
    title_concepts = concepts(title)
    rhk_concepts = frozenset(concepts(rhk)) if rhk else frozenset()
    return frozenset(title_concepts), " ".join(title_concepts), rhk_concepts


def _history_bonus(
    phrase: str, phrase_set: frozenset[str], history: Sequence[PastChoice]
) -> dict[int, float]:
    bonus: dict[int, float] = {}
    for choice in history:
        if choice.count <= 0:
            continue
        weight = 1.0 + math.log(choice.count)
        if choice.phrase == phrase:
            value = _EXACT_HISTORY_BONUS * weight
        else:
            similarity = fuzz.token_set_ratio(phrase, choice.phrase) / 100
            other = frozenset(choice.phrase.split())
            if phrase_set and other:
                jaccard = len(phrase_set & other) / len(phrase_set | other)
                similarity = min(similarity, 0.5 + jaccard)
            if similarity < _HISTORY_MIN_SIMILARITY:
                continue
            scaled = (similarity - _HISTORY_MIN_SIMILARITY) / (1 - _HISTORY_MIN_SIMILARITY)
            value = _SIMILAR_HISTORY_BONUS * scaled * min(weight, 3.0)
        bonus[choice.skp_item_id] = max(bonus.get(choice.skp_item_id, 0.0), value)
    return bonus


def score(
    activity_text: str,
    skp_items: Sequence[SkpCandidate],
    history: Sequence[PastChoice] = (),
) -> list[tuple[int, float]]:
    """(item id, score) for every item, best first; ties by id.

    Scores without history are in [0, 1]; history adds up to a few points, so a phrase
    the user already filed under an item puts that item first.
    """
    act = concepts(activity_text)
    act_set = frozenset(act)
    act_text = " ".join(act)
    prepared = [(item, *_item_concepts(item.title, item.rhk)) for item in skp_items]
    n = len(prepared)
    df: dict[str, int] = {}
    for _, title_set, _, rhk_set in prepared:
        for concept in title_set | rhk_set:
            df[concept] = df.get(concept, 0) + 1

    def idf(concept: str) -> float:
        count = df.get(concept, 0)
        if not count:
            return 0.0
        factor = 0.5 if concept in _WEAK else 0.6 if concept in _COMMON_VERBS else 1.0
        return math.log(1 + n / count) * factor

    position = {c: 1.0 / (1.0 + _POSITION_DECAY * i) for i, c in enumerate(act)}
    label, colon, rest = activity_text.partition(":")
    if colon and label and not (label[-1:].isdigit() and rest[:1].isdigit()):
        for c in concepts(label):
            if c in position:
                position[c] *= _LABEL_BOOST
    act_weight = sum(idf(c) * position[c] for c in act_set)
    phrase = " ".join(sorted(act_set))
    bonus = _history_bonus(phrase, act_set, history) if history else {}
    results: list[tuple[int, float]] = []
    for item, title_set, title_text, rhk_set in prepared:
        common = act_set & title_set
        weight_common = sum(idf(c) * position[c] for c in common)
        item_weight = sum(idf(c) for c in title_set)
        recall = weight_common / act_weight if act_weight else 0.0
        precision = sum(idf(c) for c in common) / item_weight if item_weight else 0.0
        keywords = 0.7 * recall + 0.3 * precision
        fuzzy = fuzz.token_set_ratio(act_text, title_text) / 100 if act_text and title_text else 0.0
        rhk_common = act_set & (rhk_set - title_set)
        rhk = sum(idf(c) * position[c] for c in rhk_common) / act_weight if act_weight else 0.0
        value = _W_KEYWORDS * keywords + _W_FUZZY * fuzzy * (1.0 if common else 0.5)
        value += _W_RHK * min(rhk, 1.0) + bonus.get(item.id, 0.0)
        results.append((item.id, round(value, 6)))
    results.sort(key=lambda pair: (-pair[1], pair[0]))
    return results


def rank(
    activity_text: str,
    skp_items: Sequence[SkpCandidate],
    history: Sequence[PastChoice] = (),
) -> list[int]:
    """All item ids, best first (deterministic; ties by id)."""
    return [item_id for item_id, _ in score(activity_text, skp_items, history)]


def best_match(
    activity_text: str,
    skp_items: Sequence[SkpCandidate],
    history: Sequence[PastChoice] = (),
) -> int | None:
    """The best item, or None when nothing clears ``NO_MATCH_BELOW``."""
    scored = score(activity_text, skp_items, history)
    if not scored or scored[0][1] < NO_MATCH_BELOW:
        return None
    return scored[0][0]
