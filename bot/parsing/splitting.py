"""Which lines are activities, and where one line holds several activities.

Each line is an activity, ";" separates too, and a line with two or more durations or
ranges is split at the connector between them ("," "dan" "lalu" "kemudian" "then"…),
so "rapat 2 jam, lalu mengoreksi 1 jam" is two activities but "rapat dan koordinasi
2 jam" is one. A comma (or "lalu", "then"…) before a new verb phrase splits too when
both sides have their own duration, time or output count ("…, menyusun modul ajar
2 jam, koreksi ulangan 8B 35 lembar": three activities), and after a timed activity
when what follows has no number or time of its own ("rapat 1 jam, menyusun modul ajar":
two, the second's duration is asked). Greetings, closings, report
headers, totals and "tidak ada kegiatan" lines are not activities; a line that is only
a date (or ends with ":") is a header whose date applies to the lines below it until
the next one.

Date scope (issue 7 defect 19): a date that opens a message or a line, before any
activity words ("kemarin …", "Senin: …", "tgl 28 …", also after a greeting), dates
every activity after it, across "," ";" "lalu/terus/habis itu" and the lines below,
until another date appears: "kemarin rapat 1,5 jam; 13.00-15.30 menyusun modul" is two
activities of yesterday. A date written after an activity's own text has begun
("rapat evaluasi kemarin 2 jam, …", "…; Jumat mengoreksi 1 jam; …") dates that activity
only; the next ones go back to the scope's date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Literal

from bot.parsing.scan import ScannedLine
from bot.parsing.spans import TimeItem, has_any

LineKind = Literal["activity", "header", "closing", "skip"]

GREETING: Final = re.compile(
    r"^(?:selamat\s+(?:pagi|siang|sore|malam|petang)|ass?alamu?'?\s?[a']?alaikum\w*|assalam\w*"
    r"|ass?\.?\s*wr\.?\s*wb|asw\b|ass\b|salam\s+(?:sejahtera|sehat|hormat|kenal|semangat)"
    r"|shalom|om\s+swasti?yastu|namo\s+buddhaya|hal+o\b|hai\b|hi\b|hello\b|dear\b"
    r"|good\s+(?:morning|afternoon|evening)|(?:pagi|siang|sore|malam)\s+(?:pak|bu|bapak|ibu|bos"
    r"|kak|semua|all)\b|yth\b|kepada\s+yth|izin\b|ijin\b|mohon\b|mhn\b|maaf\b|permisi\b"
    r"|punten\b|here\s+is|here's|pak\b|bu\b|bapak\b|ibu\b)"
)
_REPORT_HEADER: Final = re.compile(
    r"^(?:berikut|laporan|lapor|report|daily\s+report|rekap\s+kegiatan|kegiatan\s+(?:saya|hari))\b"
)
_REPORT_WORDS: Final = re.compile(
    r"\b(?:kegiatan|kinerja|harian|aktivitas|activity|activities|kerja|report|saya|hari|tgl"
    r"|tanggal|ini|berikut|progres|progress)\b"
)
CLOSING: Final = re.compile(
    r"^(?:terima\s*kasih|terimakasih|trima\s*kasih|trimakasih|makasih|matur\s+nuwun|trims|tks\b"
    r"|thx\b|thanks|thank\s+you|wassalam\w*|was+alamu\w*|wslm\b|salam\b|hormat\s+(?:kami|saya)"
    r"|demikian|sekian|regards|best\s+regards|cheers\b|tabik\b|mohon\s+(?:arahan|petunjuk"
    r"|koreksi|dicek|diperiksa|maaf))"
)
TOTAL: Final = re.compile(r"^(?:total|jumlah|jml|sum|subtotal)\b")
_TOTAL_STARTS: Final = ("total", "jumlah", "jml", "sum", "subtotal")
NO_WORK: Final = re.compile(
    r"\b(?:tidak\s+ada\s+kegiatan|tdk\s+ada\s+kegiatan|tidak\s+(?:bekerja|masuk|ngantor|ke\s+kantor)"
    r"|tdk\s+(?:masuk|bekerja)|no\s+activit\w*|day\s+off)\b"
    r"|^[\s(),.:-]*(?:(?:saya|sy)\s+)?(?:libur|cuti|izin\s+sakit|sakit|off)\b"
)
#: A word every ``NO_WORK`` alternative contains (a cheap test before the regex).
_NO_WORK_WORDS: Final = ("tidak", "tdk", "activit", "off", "libur", "cuti", "izin", "sakit")
_FILLER: Final = frozenset(
    """
    laporan lapor kegiatan kinerja harian hari tanggal tgl berikut ini saya report daily for on
    activity activities pada progres progress kerja belum dilaporkan lupa yang yg dan untuk utk
    rekap aktivitas my tanggal the of
    """.split()
)
_WORDS: Final = re.compile(r"[a-z][a-z']*")
_COLON: Final = re.compile(r"(?<!\d):|:(?!\d)")
_PERIOD_LABEL: Final = re.compile(r"^(?:pagi|siang|sore|malam|sesi\s+\w+)$")
_STRONG_SEP: Final = re.compile(
    r"\s*(?:[,;]|\.(?=\s)|\b(?:lalu|kemudian|setelah\s+itu|selanjutnya|lanjut|then|trus|terus"
    r"|habis\s+itu|abis\s+itu|after\s+that)\b)\s*"
)
_WEAK_SEP: Final = re.compile(r"\s*(?:&|\+|\b(?:dan|and|serta)\b)\s*")
_ATTACHED: Final = re.compile(r"^[\s(\[=,:/-]*(?:selama|total|durasi|=)?[\s(\[=,:/-]*$")


def _rest_without_dates(line: ScannedLine, start: int = 0, end: int | None = None) -> str:
    end = len(line.low) if end is None else end
    if not line.dates:
        return line.low[start:end]
    chars = list(line.low[start:end])
    for d in line.dates:
        for i in range(max(d.start, start), min(d.end, end)):
            chars[i - start] = " "
    return "".join(chars)


def only_filler(text: str) -> bool:
    """True when ``text`` has no words beyond report-header filler."""
    return all(w in _FILLER for w in _WORDS.findall(text))


def classify(line: ScannedLine, after_closing: bool) -> LineKind:
    """What a (bullet-stripped) line is."""
    low = line.low.strip()
    if low.startswith(_TOTAL_STARTS) and TOTAL.match(low):
        return "skip"
    if line.work_items:
        return "activity"
    if after_closing:
        return "skip"
    if CLOSING.match(low):
        return "closing"
    rest = _rest_without_dates(line)
    if has_any(rest, _NO_WORK_WORDS) and NO_WORK.search(rest.strip()):
        return "skip"
    if GREETING.match(low) or low.endswith(":"):
        return "header"
    header = _REPORT_HEADER.match(low)
    if header and (line.dates or _REPORT_WORDS.search(low, header.end())):
        return "header"
    if line.dates and only_filler(rest):
        return "header"
    if not _WORDS.search(rest) and not line.times:
        return "skip"
    return "activity"


def header_prefix(line: ScannedLine) -> int:
    """End of a "Jumat 21/11:" / "Yesterday:" / "Pagi:" prefix before the activity, else 0."""
    if ":" not in line.low:
        return 0
    m = _COLON.search(line.low)
    if not m:
        return 0
    colon = m.start()
    if any(t.start < colon for t in line.times) or not _WORDS.search(line.low[colon + 1 :]):
        return 0
    prefix = line.low[:colon].strip()
    has_date = any(d.end <= colon for d in line.dates)
    if has_date or _PERIOD_LABEL.match(prefix) or GREETING.match(prefix):
        return colon + 1
    if _REPORT_HEADER.match(prefix) and only_filler(prefix):
        return colon + 1
    return 0


@dataclass(slots=True)
class Part:
    """A slice of a line that is one activity, with its ranges/durations grouped."""

    start: int
    end: int
    groups: list[list[TimeItem]]


def _groups(items: list[TimeItem], low: str) -> list[list[TimeItem]]:
    """Group ranges/durations; a duration right next to a range restates it."""
    groups: list[list[TimeItem]] = []
    for it in items:
        if groups:
            prev = groups[-1][-1]
            between = low[prev.end : it.start]
            if (prev.kind == "range") != (it.kind == "range") and _ATTACHED.match(between):
                groups[-1].append(it)
                continue
        groups.append([it])
    return groups


def _pick_sep(gap: str, leading: bool) -> tuple[int, int] | None:
    for pattern in (_STRONG_SEP, _WEAK_SEP):
        found = list(pattern.finditer(gap))
        if found:
            m = found[-1] if leading else found[0]
            return m.start(), m.end()
    return None


def _semicolon_segments(low: str, start: int) -> list[tuple[int, int]]:
    if ";" not in low:
        return [(start, len(low))] if len(low) > start else []
    segments: list[tuple[int, int]] = []
    depth, seg_start = 0, start
    for i in range(start, len(low)):
        ch = low[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            segments.append((seg_start, i))
            seg_start = i + 1
    segments.append((seg_start, len(low)))
    return [s for s in segments if s[1] > s[0]]


def _strong_sep(gap: str, leading: bool) -> tuple[int, int] | None:
    found = list(_STRONG_SEP.finditer(gap))
    if not found:
        return None
    m = found[-1] if leading else found[0]
    return m.start(), m.end()


def _anchors(
    line: ScannedLine, groups: list[list[TimeItem]], seg_start: int, seg_end: int
) -> list[list[TimeItem]]:
    """Groups plus lone start times ("jam 8 apel, jam 9 mengajar"), in line order."""
    clocks = [[t] for t in line.times if t.kind == "clock" and seg_start <= t.start < seg_end]
    if not clocks or len(clocks) + len(groups) < 2:
        return groups
    return sorted(groups + clocks, key=lambda g: g[0].start)


def split_line(line: ScannedLine, start: int) -> list[Part]:
    """Split an activity line (from ``start``) into activities.

    Between ranges/durations the split is at the connector between them (or, without
    one, next to the time); a lone start time ("jam 9") starts a new activity only after
    a strong separator ("," ";" "lalu" "then"…): "rapat jam 9, selama 2 jam" is one.
    """
    low, work = line.low, line.work_items
    has_clock = len(work) != len(line.times)
    if not has_clock and len(work) <= 1 and ";" not in low:  # the usual line: one activity
        if len(low) <= start:
            return []
        return [Part(start, len(low), [work] if work and work[0].start >= start else [])]
    parts: list[Part] = []
    for seg_start, seg_end in _semicolon_segments(line.low, start):
        items = [t for t in line.work_items if seg_start <= t.start < seg_end]
        groups = _groups(items, line.low)
        if has_clock:
            groups = _anchors(line, groups, seg_start, seg_end)
        if len(groups) <= 1:
            parts.append(Part(seg_start, seg_end, groups))
            continue
        # Times before the words ("kemarin 8-10 rapat, lalu 13-15 …"): a date may precede.
        head = line.low[seg_start : groups[0][0].start]
        if line.dates and head.strip(" -(:,["):
            head = _rest_without_dates(line, seg_start, groups[0][0].start)
        leading = not head.strip(" -(:,[")
        cut_from = seg_start
        current = groups[0]
        for right in groups[1:]:
            gap_start, gap_end = current[-1].end, right[0].start
            gap = line.low[gap_start:gap_end]
            if current[-1].kind == "clock" or right[0].kind == "clock":
                sep = _strong_sep(gap, leading)
                if sep is None:
                    current = current + right  # the same activity
                    continue
            else:
                sep = _pick_sep(gap, leading)
            if sep is not None:
                cut, resume = gap_start + sep[0], gap_start + sep[1]
            elif leading:
                cut = resume = gap_end
            else:
                cut = resume = gap_start
            parts.append(Part(cut_from, cut, [current]))
            cut_from = resume
            current = right
        parts.append(Part(cut_from, seg_end, [current]))
    return parts


#: Words that open a new activity after a comma: verbs (me-/ber-/ng- forms, English
#: -ed/-ing, common irregular past tenses and base forms of office verbs) and the nouns
#: reports start activities with.
_ACTIVITY_VERB: Final = re.compile(
    r"(?:me[a-z]{4,}|ber[a-z]{4,}|ng[a-z]{3,}|pe[a-z]{3,}an|[a-z]{3,}(?:ed|ing))$"
)
_ACTIVITY_WORDS: Final = frozenset(
    """
    koreksi rapat rpt rpat input entri entry verval verifikasi validasi upacara apel kbm ajar
    cek periksa rekap scan upload print cetak kirim susun buat isi ikut hadir supervisi
    sosialisasi penyuluhan posyandu imunisasi layanan kunjungan visit monitoring monev evaluasi
    piket jaga backup arsip olah proses survei survey taught wrote made did met sent
    held gave led took kept paid drew brought bought spoke ran built read sat went found
    check review prepare update draft compile verify submit process send write answer reply
    call file record count sort attend hold give take pay teach grade assist type edit
    """.split()
)
#: Verbs that describe the activity before them or its result ("…, membahas 3 agenda",
#: "…, menghasilkan 3 rekomendasi").
_DESCRIBING: Final = frozenset(
    """
    membahas meliputi mencakup menghadirkan melibatkan mengenai menggunakan memakai bersama
    berjumlah berupa berisi berdurasi bertempat berlokasi berlangsung bertujuan beranggotakan
    sebanyak terdiri dihadiri diikuti including using during regarding concerning involving
    following according menghasilkan menyepakati membuahkan mendapat mendapatkan memperoleh
    resulting yielding producing attended discussing discussed covering covered
    """.split()
)
_PE_AN: Final = re.compile(r"pe[a-z]{3,}an$")
_LEAD_CONNECTORS: Final = frozenset(
    "lalu kemudian terus trus dan then and also juga lanjut selanjutnya setelah habis abis"
    " itu after that saya sy i".split()
)
_SEP_AT: Final = re.compile(r"\s*(?:,|\b(?:lalu|kemudian|terus|trus|then)\b)\s*")


def _opens_activity(line: ScannedLine, start: int, end: int) -> bool:
    """Does ``low[start:end]`` start with a verb phrase ("menyusun …", "koreksi …")?"""
    for word in line.low[start:end].split()[:3]:
        word = word.strip("\"'()[]-")
        if word in _LEAD_CONNECTORS:
            continue
        if word in _DESCRIBING:
            return False
        return word in _ACTIVITY_WORDS or _ACTIVITY_VERB.match(word) is not None
    return False


def split_at_measures(
    line: ScannedLine, parts: list[Part], has_quantity: Callable[[int, int], bool]
) -> list[Part]:
    """Split a part at a comma before a new verb phrase when both sides have a measure.

    Issue 7 defect 3: "…, menyusun modul ajar 2 jam, koreksi ulangan kelas 8B 35 lembar"
    is two activities: the comma is followed by a verb phrase, and each side has its own
    duration, time or output count (people served, "…, melayani 38 pasien", are the
    realisasi of the work before the comma). "rapat 2 jam, membahas 3 agenda" (a
    describing verb) and "rapat dinas, menyusun laporan 2 jam" (nothing measured before
    the comma) stay one. A verb phrase with no number or time at all after a timed one
    is the next activity too ("rapat koordinasi 1 jam, menyusun modul ajar": its duration
    is asked), while "jaga poli 07.30-14.00, melayani 38 pasien" stays one.
    """
    out: list[Part] = []
    for n, part in enumerate(parts):
        cuts: list[tuple[int, int]] = []
        seps = [
            m
            for m in _SEP_AT.finditer(line.low, part.start, part.end)
            if line.occupied.free(m.start(), m.end()) and m.start() > part.start
        ]
        if not seps:
            out.append(part)
            continue
        left = part.start
        listed = n > 0  # `left` follows another activity of the line: a list goes on
        for i, sep in enumerate(seps):
            right_end = seps[i + 1].start() if i + 1 < len(seps) else part.end
            if not _opens_activity(line, sep.end(), right_end):
                continue
            right_measured = _measured(line, sep.end(), right_end, has_quantity)
            bare = (listed or _timed(line, left, sep.start())) and _bare(line, sep.end(), right_end)
            if bare or (
                right_measured and (listed or _measured(line, left, sep.start(), has_quantity))
            ):
                cuts.append((sep.start(), sep.end()))
                left = sep.end()
                listed = True
        if not cuts:
            out.append(part)
            continue
        start = part.start
        for cut, resume in cuts:
            out.append(Part(start, cut, []))
            start = resume
        out.append(Part(start, part.end, []))
    return out


def _timed(line: ScannedLine, start: int, end: int) -> bool:
    """A duration, range or clock time lies in ``[start, end)``."""
    return any(start <= t.start < end for t in line.times)


def _bare(line: ScannedLine, start: int, end: int) -> bool:
    """A verb phrase with no number and no time of its own, not passive ("…, led by …"):
    after a timed activity it is the next activity, whose duration is asked."""
    words = [w.strip("\"'()[]-") for w in line.low[start:end].split()]
    words = [w for w in words if w not in _LEAD_CONNECTORS]
    if not words or _PE_AN.match(words[0]) or (len(words) > 1 and words[1] in ("by", "oleh")):
        return False  # "pelajaran matematika" names the lesson; "led by …" describes
    return not any(ch.isdigit() for ch in line.low[start:end]) and not _timed(line, start, end)


def _measured(
    line: ScannedLine, start: int, end: int, has_quantity: Callable[[int, int], bool]
) -> bool:
    for t in line.times:
        if start <= t.start < end:
            return True
    return has_quantity(start, end)
