"""Indonesian text normalisation for matching: abbreviations, stems, synonyms.

ASN write "verval PD", "input RME", "KBM", titles say "verifikasi dan validasi data
peserta didik", "rekam medis elektronik", "kegiatan belajar mengajar". Both sides go
through the same steps so they meet: lower-case words, English work words to
Indonesian, abbreviations expanded, stop words dropped, affixes stripped (PySastrawi,
cached per word: it is slow), then domain synonyms folded into one concept word
("mengoreksi", "menilai", "ulangan" all become "nilai"). Before all that, terms of the
bilingual domain glossary (``bot.glossary``: "promotion", "printer", "webinar") get
the SKP words they mean added ("kenaikan pangkat", "sarana prasarana tik", …).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, Protocol

from rapidfuzz import fuzz, process

from bot import glossary

ABBREVIATIONS: Final[dict[str, str]] = {
    # Education
    "rpp": "rencana pelaksanaan pembelajaran",
    "kbm": "kegiatan belajar mengajar",
    "pbm": "proses belajar mengajar",
    "pts": "penilaian tengah semester",
    "pas": "penilaian akhir semester",
    "pat": "penilaian akhir tahun",
    "sts": "sumatif tengah semester",
    "sas": "sumatif akhir semester",
    "uh": "ulangan harian",
    "anbk": "asesmen nasional berbasis komputer",
    "akm": "asesmen kompetensi minimum",
    "bos": "bantuan operasional sekolah",
    "p5": "projek penguatan profil pelajar pancasila",
    "lkpd": "lembar kerja peserta didik",
    "atp": "alur tujuan pembelajaran",
    "mgmp": "musyawarah guru mata pelajaran",
    "kkg": "kelompok kerja guru",
    "pkb": "pengembangan keprofesian berkelanjutan",
    "osn": "olimpiade sains nasional",
    "ekskul": "ekstrakurikuler",
    "mapel": "mata pelajaran",
    "pd": "peserta didik",
    "ptk": "pendidik tenaga kependidikan",
    "gtk": "guru tenaga kependidikan",
    "dapodik": "data pokok pendidikan dapodik",
    "pip": "program indonesia pintar",
    "nisn": "nomor induk siswa nasional",
    "kepsek": "kepala sekolah",
    "kasek": "kepala sekolah",
    "wakasek": "wakil kepala sekolah",
    "waka": "wakil kepala sekolah",
    "pks": "pembantu kepala sekolah",
    "bk": "bimbingan konseling",
    "verval": "verifikasi validasi",
    # Hurried spellings
    "rpt": "rapat",
    "rpat": "rapat",
    "rapt": "rapat",
    "mtg": "rapat",
    # Civil service
    "skp": "sasaran kinerja pegawai skp",
    "kgb": "kenaikan gaji berkala",
    "kp": "kenaikan pangkat",
    "abk": "analisis beban kerja",
    "anjab": "analisis jabatan",
    "simpeg": "sistem informasi manajemen kepegawaian simpeg",
    "siasn": "sistem informasi aparatur sipil negara siasn",
    "bup": "batas usia pensiun",
    "pns": "pegawai negeri sipil",
    "asn": "aparatur sipil negara",
    "opd": "organisasi perangkat daerah",
    "sk": "surat keputusan",
    "nd": "nota dinas",
    "tpp": "tambahan penghasilan pegawai",
    "bimtek": "bimbingan teknis",
    "diklat": "pendidikan pelatihan",
    "perjadin": "perjalanan dinas",
    "sppd": "surat perintah perjalanan dinas",
    # Finance
    "lpj": "laporan pertanggungjawaban",
    "spj": "surat pertanggungjawaban",
    "bku": "buku kas umum",
    "sp2d": "surat perintah pencairan dana",
    "spm": "surat perintah membayar",
    "spp": "surat permintaan pembayaran",
    "pph": "pajak penghasilan",
    "ppn": "pajak pertambahan nilai",
    "spt": "surat pemberitahuan pajak",
    "atk": "alat tulis kantor",
    "dpa": "dokumen pelaksanaan anggaran",
    # Health
    "anc": "antenatal care pemeriksaan kehamilan",
    "bumil": "ibu hamil",
    "kb": "keluarga berencana",
    "kia": "kesehatan ibu anak",
    "pws": "pemantauan wilayah setempat",
    "ugd": "unit gawat darurat",
    "igd": "instalasi gawat darurat",
    "askep": "asuhan keperawatan",
    "rme": "rekam medis elektronik",
    "rm": "rekam medis",
    "ptm": "penyakit tidak menular",
    "posbindu": "pos pembinaan terpadu posbindu",
    "perkesmas": "perawatan kesehatan masyarakat perkesmas",
    "phbs": "perilaku hidup bersih sehat",
    "bias": "imunisasi sekolah",
    "idl": "imunisasi dasar lengkap",
    "kf": "kunjungan nifas",
    "kn": "kunjungan neonatus",
    "pmt": "pemberian makanan tambahan",
    "poned": "pelayanan obstetri neonatal emergensi dasar",
    "lokmin": "lokakarya mini",
    # Agriculture
    "ppl": "penyuluh pertanian lapangan",
    "rdkk": "rencana definitif kebutuhan kelompok",
    "poktan": "kelompok tani",
    "gapoktan": "gabungan kelompok tani",
    "kwt": "kelompok wanita tani",
    "opt": "organisme pengganggu tumbuhan",
    "bpp": "balai penyuluhan pertanian",
    "sl": "sekolah lapang",
    "demplot": "demonstrasi plot",
    "demfarm": "demonstrasi farm",
}

#: English work words written in mixed-language reports.
ENGLISH: Final[dict[str, str]] = {
    "teaching": "mengajar",
    "teach": "mengajar",
    "taught": "mengajar",
    "lesson": "pelajaran",
    "lessons": "pelajaran",
    "plan": "rencana",
    "class": "kelas",
    "grade": "kelas",
    "checking": "mengoreksi",
    "checked": "mengoreksi",
    "check": "periksa",
    "marking": "mengoreksi",
    "grading": "menilai",
    "assessment": "penilaian",
    "exam": "ujian",
    "test": "ujian",
    "quiz": "ulangan",
    "homework": "tugas",
    "essay": "esai",
    "essays": "esai",
    "students": "siswa",
    "student": "siswa",
    "english": "inggris",
    "meeting": "rapat",
    "training": "pelatihan",
    "workshop": "pelatihan",
    "report": "laporan",
    "reporting": "laporan",
    "processing": "proses",
    "process": "proses",
    "employees": "pegawai",
    "employee": "pegawai",
    "staff": "pegawai",
    "visit": "kunjungan",
    "home": "rumah",
    "counseling": "konseling",
    "pest": "hama",
    "farmers": "petani",
    "extension": "penyuluhan",
    "patients": "pasien",
    "patient": "pasien",
    "supervision": "supervisi",
    "preparing": "menyiapkan",
    "data": "data",
    "entry": "entri",
    "update": "mutakhir",
    "updating": "mutakhir",
}

#: Multi-word phrases folded before splitting into words.
_PHRASES: Final = (
    (re.compile(r"\bpeserta\s+didik\b"), "siswa"),
    (re.compile(r"\bibu\s+hamil\b"), "bumil"),
    (re.compile(r"\bhome\s*(?:visit|care)\b"), "kunjungan rumah"),
    (re.compile(r"\bgawat\s*darurat\b"), "gawatdarurat"),
    (re.compile(r"\brawat\s+jalan\b"), "rawatjalan"),
    (re.compile(r"\bkelompok\s+tani\b"), "poktan"),
    (re.compile(r"\bmodul\s+ajar\b"), "modulajar rencana"),
    (re.compile(r"\bkenaikan\s+pangkat\b"), "kenaikanpangkat"),
    (re.compile(r"\bkenaikan\s+gaji\b"), "kenaikangaji"),
    (re.compile(r"\bbahasa\s+inggris\b"), "inggris"),
    (re.compile(r"\bpendidikan\s+pancasila\b"), "ppkn"),
    (
        re.compile(r"\bprogram\s+(?:semester|tahunan)\b|\bpromes\b|\bprota\b|\bsilabus\b"),
        "perangkat rencana",
    ),
    (re.compile(r"\bsekolah\s+lapang(?:an)?\b"), "sekolahlapang suluh"),
    (re.compile(r"\bkelompok\s+wanita\s+tani\b"), "poktan wanita"),
)

#: Words whose Sastrawi root would merge things reports keep apart: "mengajar" is
#: teaching, but "hasil belajar" is about assessment and "mata pelajaran" a subject.
_WORD_CONCEPTS: Final[dict[str, str]] = {
    "belajar": "belajar",
    "pelajaran": "pelajaran",
    "pembelajaran": "ajar",
    "mengajar": "ajar",
    "ngajar": "ajar",
    "mengajari": "ajar",
    "ajar": "ajar",
    "kls": "kelas",
}

#: Stems (or words) that mean the same thing in daily reports, folded to one concept.
SYNONYMS: Final[dict[str, str]] = {
    # assessing and correcting
    "koreksi": "nilai",
    "periksa": "nilai",
    "ulang": "nilai",
    "ulangan": "nilai",
    "uji": "nilai",
    "ujian": "nilai",
    "asesmen": "nilai",
    "sumatif": "nilai",
    "formatif": "nilai",
    "remedi": "remedial",
    "soal": "nilai",
    "kisi": "nilai",
    "kisi-kisi": "nilai",
    # teaching
    "ajar": "ajar",
    "tematik": "ajar",
    "praktikum": "ajar",
    "murid": "siswa",
    "pelajar": "siswa",
    # learning and training
    "latih": "latih",
    "webinar": "latih",
    "seminar": "latih",
    "workshop": "latih",
    "bimbing teknis": "latih",
    "diklat": "latih",
    "didik latih": "latih",
    # data work
    "entri": "mutakhir",
    "entry": "mutakhir",
    "input": "mutakhir",
    "update": "mutakhir",
    "sinkron": "sinkronisasi",
    # health
    "vaksin": "imunisasi",
    "vaksinasi": "imunisasi",
    "edukasi": "suluh",
    "sosialisasi": "suluh",
    "rawatjalan": "rawatjalan",
    "poli": "rawatjalan",
    "gawatdarurat": "gawatdarurat",
    "triase": "gawatdarurat",
    "resusitasi": "gawatdarurat",
    "bumil": "bumil",
    # agriculture
    "hama": "opt",
    "wereng": "opt",
    "tikus": "opt",
    # admin
    "arsip": "arsip",
    "persuratan": "surat",
}

STOPWORDS: Final = frozenset(
    """
    dan di ke dari yang yg untuk utk dengan dgn pada saya sy aku kami kita bersama dalam oleh
    atau serta juga ini itu tsb tersebut sudah telah akan sedang lagi masih para sebagai secara
    bagi tentang ttg terkait mengenai agar supaya bisa dapat ada belum hal the and of for to in
    with at on a an by my our from as is was be i we about per via sebanyak total hari tadi
    kemarin pagi siang sore malam jam pukul selama sekitar lebih kurang lalu laku laksana
    kegiatan giat buah bh melalui lalu hasil terhadap antara
    """.split()
)
#: Kept as written: Sastrawi would strip them into something else ("peserta" → "serta").
_NO_STEM: Final = frozenset(
    """
    peserta pelajar pendidikan kependidikan pengganggu perkesmas posyandu posbindu programa
    penyuluh pertanian kerja pajak pegawai pendidik berkala persalinan
    """.split()
)
#: Common report verbs and nouns, to repair typos ("mengajr" → "mengajar").
LEXICON: Final = tuple(
    sorted(
        set(
            """
            mengajar mengoreksi menyusun memverifikasi menginput mengentri melayani membimbing
            memeriksa melaksanakan membuat menilai mengikuti menghadiri memproses merekap
            mengarsipkan mendampingi melakukan mengevaluasi menyiapkan pembelajaran penilaian
            penyuluhan posyandu imunisasi pelatihan rapat koordinasi laporan verifikasi validasi
            sinkronisasi dapodik pelayanan kunjungan pemeriksaan pengamatan persalinan
            rekonsiliasi pencairan pembayaran kenaikan pangkat pensiun jabatan analisis
            supervisi kurikulum ekstrakurikuler remedial pengayaan siswa pasien petani pegawai
            """.split()
        )
    )
)
_WORD: Final = re.compile(r"[a-z0-9]+")
_MIN_TYPO_LEN: Final = 5


class _Stemmer(Protocol):
    def stem(self, text: str) -> str: ...


@lru_cache(maxsize=1)
def _stemmer() -> _Stemmer:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    stemmer: _Stemmer = StemmerFactory().create_stemmer()
    return stemmer


@lru_cache(maxsize=1)
def _roots() -> frozenset[str]:
    stemmer = _stemmer()
    delegated = getattr(stemmer, "delegatedStemmer", stemmer)
    dictionary = getattr(delegated, "dictionary", None)
    words = getattr(dictionary, "words", None)
    return frozenset(words) if isinstance(words, dict | set | frozenset) else frozenset()


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Root of one lower-case word ("pembelajaran" → "ajar"), typos repaired first."""
    if word in _WORD_CONCEPTS:
        return _WORD_CONCEPTS[word]
    if word in _NO_STEM or word.isdigit() or len(word) <= 3:
        return word
    root = _stemmer().stem(word)
    if root == word and len(word) >= _MIN_TYPO_LEN and word not in _roots():
        fixed = process.extractOne(word, LEXICON, scorer=fuzz.ratio, score_cutoff=85)
        if fixed is not None and fixed[0] != word:
            return stem(fixed[0])
    return root or word


@lru_cache(maxsize=1)
def _glossary() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every glossary term (longest first, plural "-s"/"-es" allowed)
    and what each means."""
    means: dict[str, str] = {}
    for entry in glossary.entries():
        means.setdefault(" ".join(entry.term.split()), entry.means)
    terms = sorted(means, key=len, reverse=True)
    alternatives = "|".join(r"\s+".join(map(re.escape, t.split())) for t in terms)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?:e?s)?(?![a-z0-9])"), means


def _add_glossary_meanings(low: str) -> str:
    """ "ganti printer" → "ganti printer sarana prasarana tik" (the term stays)."""
    pattern, means = _glossary()
    return pattern.sub(lambda m: f"{m[0]} {means[_term_of(m[0], means)]}", low)


def _term_of(found: str, means: dict[str, str]) -> str:
    """The glossary term of a match ("lesson  plans" → "lesson plan")."""
    term = " ".join(found.split())
    if term in means:
        return term
    return term[:-1] if term[:-1] in means else term[:-2]


def words(text: str) -> list[str]:
    """Lower-case words with glossary meanings added, English work words translated and
    phrases folded."""
    low = _add_glossary_meanings(text.lower())
    for pattern, replacement in _PHRASES:
        low = pattern.sub(replacement, low)
    out: list[str] = []
    for w in _WORD.findall(low):
        w = ENGLISH.get(w, w)
        out.extend(w.split())
    return out


def expand(tokens: list[str]) -> list[str]:
    """Abbreviations replaced by their words (kept as well: "skp" stays a token)."""
    out: list[str] = []
    for t in tokens:
        expansion = ABBREVIATIONS.get(t)
        if expansion is None:
            out.append(t)
            continue
        for phrase_pattern, replacement in _PHRASES:
            expansion = phrase_pattern.sub(replacement, expansion)
        out.extend(expansion.split())
    return out


@lru_cache(maxsize=8192)
def concepts(text: str) -> tuple[str, ...]:
    """Normalised concept words of ``text``, in order, without repeats or numbers."""
    seen: dict[str, None] = {}
    for token in expand(words(text)):
        if token in STOPWORDS or len(token) < 2 or any(ch.isdigit() for ch in token):
            continue
        root = stem(token)
        if root in STOPWORDS or len(root) < 2:
            continue
        seen.setdefault(SYNONYMS.get(root, SYNONYMS.get(token, root)), None)
    return tuple(seen)
