"""Report texts stay inside Telegram's limits and escape user text."""

from __future__ import annotations

from datetime import date

from bot.report_text import approval_request_text, summary_text, when
from bot.reporting import DraftActivity, Question, ReportDraft


def _draft(n: int, desc: str) -> ReportDraft:
    acts = [
        DraftActivity(date="2026-11-23", minutes=30, description=desc, skp_id=1, skp_done=True)
        for _ in range(n)
    ]
    return ReportDraft("abc123", acts)


def test_summary_of_twenty_long_activities_fits_one_message() -> None:
    draft = _draft(20, "Menyusun laporan pertanggungjawaban dana BOS triwulan III " * 9)
    text = summary_text(draft, {1: "Menyusun SPJ " * 30}, 450, "id")
    assert len(text) <= 4096
    assert "10 / 7,5 jam" in text and text.count("<b>") == 21


def test_user_text_is_escaped() -> None:
    text = summary_text(_draft(1, "rapat <b>penting</b> & koordinasi"), {1: "A<B"}, 450, "id")
    assert "rapat &lt;b&gt;penting&lt;/b&gt; &amp; koordinasi" in text
    assert "A&lt;B" in text


def test_approval_request_fits_and_escapes() -> None:
    rows = [("08.00–09.00", "<script>" + "x" * 600, 60, "SKP")] * 20
    text = approval_request_text("Siti <i>", "Guru", date(2026, 11, 23), rows, "id")
    assert len(text) <= 4096 and "&lt;script&gt;" in text and "Siti &lt;i&gt;" in text


def test_when_line() -> None:
    act = DraftActivity(date="2026-11-23", minutes=90, description="x", start="08:00", end="09:30")
    assert when(act, "id") == "Sen, 23 Nov · 08.00–09.30 (1 jam 30 menit)"
    act.start = act.end = None
    assert when(act, "en") == "Mon, 23 Nov · 1 h 30 min"
    act.minutes = None
    assert when(act, "id") == "Sen, 23 Nov · (durasi belum ada)"


def test_questions_go_duration_then_skp_in_order() -> None:
    draft = ReportDraft(
        "t",
        [
            DraftActivity(date="2026-11-23", minutes=60, description="a", skp_done=True),
            DraftActivity(date="2026-11-23", minutes=None, description="b"),
            DraftActivity(date="2026-11-22", minutes=30, description="c"),
        ],
    )
    assert draft.next_question() == Question("duration", 1)
    draft.activities[1].minutes = 45
    assert draft.next_question() == Question("skp", 1)
    draft.activities[1].skp_done = True
    assert draft.next_question() == Question("skp", 2)
    draft.activities[2].skp_done = True
    assert draft.next_question() is None
    assert draft.minutes_by_date() == {date(2026, 11, 22): 30, date(2026, 11, 23): 105}
    assert ReportDraft.from_payload(draft.to_payload()) == draft


def test_question_order_with_description_future_and_overlap() -> None:
    act = DraftActivity(date="2026-11-23", minutes=None, description=" ")
    act.warnings = ["future_date_ignored"]
    act.conflicts = [["09:00", "10:00", "rapat"]]
    draft = ReportDraft("t", [act])
    assert draft.next_question() == Question("description", 0)
    act.description = "Rapat"
    assert draft.next_question() == Question("future", 0)
    act.future_ok = True
    assert draft.next_question() == Question("duration", 0)
    act.minutes = 60
    assert draft.next_question() == Question("overlap", 0)
    act.overlap_note = "dua rapat"
    assert draft.next_question() == Question("skp", 0)
    draft.asking = {"kind": "time", "index": 0}
    assert draft.next_question() == Question("time", 0)


def test_old_payloads_still_load() -> None:
    old = {
        "token": "abc",
        "activities": [{"date": "2026-11-23", "minutes": 30, "description": "x", "gone": 1}],
        "message_id": 5,
    }
    draft = ReportDraft.from_payload(old)
    assert draft.step == 0 and draft.asking is None and draft.sent == {}
    assert ReportDraft.from_payload(draft.to_payload()) == draft


def test_day_total_counts_what_was_sent() -> None:
    draft = _draft(2, "rapat")
    draft.sent = {"2026-11-23": 300}
    text = summary_text(draft, {1: "SKP"}, 450, "id")
    assert "6 / 7,5 jam" in text and "5 jam yang sudah terkirim" in text
