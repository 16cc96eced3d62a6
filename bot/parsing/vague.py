"""Is a description too vague for e-Kinerja ("melaksanakan tugas kedinasan")?

Atasan reject entries that do not say what was done. After dropping stop words, a
description is vague when fewer than two words remain or every remaining word is a
generic verb/noun (rapat, koordinasi, tugas, kegiatan, administrasi, piket…).
"""

from __future__ import annotations

from typing import Final

STOPWORDS: Final = frozenset(
    """
    dan di ke dari yang yg untuk utk dengan dgn pada saya sy aku kami kita bersama dalam oleh
    atau serta juga ini itu tsb tersebut sudah telah akan sedang lagi masih para sebagai secara
    bagi tentang ttg terkait mengenai agar supaya bisa dapat ada tidak tdk belum hal the and of
    for to in with at on a an by my our from as is was be i we about per via sebanyak total
    hari tadi kemarin pagi siang sore malam jam pukul selama sekitar lebih kurang
    """.split()
)
GENERIC: Final = frozenset(
    """
    melaksanakan laksanakan pelaksanaan mengerjakan kerjakan melakukan lakukan kerja bekerja
    pekerjaan tugas tugas-tugas kedinasan dinas kantor kegiatan rutin harian lain lain-lain
    lainnya dll dsb administrasi adm admin rapat koordinasi piket menyelesaikan selesaikan
    urusan aktivitas activity activities work working task tasks meeting meetings office duty
    duties misc lembur membantu bantu mengikuti ikut menghadiri hadir persiapan biasa umum
    job jobs stuff various berbagai beberapa mengurus ngurus ngerjain kerjaan keperluan rpt
    rpat rapt mtg
    """.split()
)
_PUNCT: Final = "()[]{},.;:/!?\"'@#*+=<>~&%-"
_PUNCT_CHARS: Final = frozenset(_PUNCT)


def is_vague(description: str) -> bool:
    """True when the description names no specific work (see module docstring)."""
    tokens = description.lower().split()
    if len(tokens) < 2:
        return True  # fewer than two words, so fewer than two meaningful ones
    if not _PUNCT_CHARS.isdisjoint(description):
        tokens = [raw.strip(_PUNCT) for raw in tokens]
    meaningful = [word for word in tokens if word and word[0].isalpha() and word not in STOPWORDS]
    return len(meaningful) < 2 or GENERIC.issuperset(meaningful)
