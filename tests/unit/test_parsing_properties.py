"""Properties over arbitrary input: never raises, minutes in range, no future dates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.parsing import local_today, parse_date_text, parse_duration_text, parse_report
from bot.parsing.parser import parse_report_strict

ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "UTC")
FRAGMENTS = (
    "rapat", "mengajar kelas 7", "2 jam", "1,5 jam", "30 menit", "08.00-10.00", "jam 9",
    "sampai", "s.d.", "kemarin", "hari ini", "Senin", "Jumat lalu", "tgl 31", "29/02",
    "31/12/2025", "17 Nov", "-", ";", ",", "dan", "lalu", ":", "\n", "• ", "1. ", "12 siswa",
    "Rp 1.500.000", "nomor 005/17/2025", "RT 02/RW 07", "2025/2026", "85%", "0812-3456-7890",
    "setengah", "satu", "x", "2 x 40 menit", "1h45m", "pm", "am", "siang", "malam", "24 jam",
    "99 jam", "23.59-00.01", "00.00-24.00", "(", ")", "✅", "🙏", "Terima kasih", "Selamat pagi",
    "besok", "30 Desember", "3 hari lalu", "minggu lalu", "kelas 4-6", "jam ke 1-4", "99/99",
    "0/0", "32/13", "12:75", "25:00", "hari ke-2", "@", "±", "kurang lebih", "  ",
)  # fmt: skip

report_like = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join)
any_text = st.one_of(st.text(max_size=300), report_like)
aware_now = st.builds(
    lambda base, minutes, offset: (base + timedelta(minutes=minutes)).replace(
        tzinfo=timezone(timedelta(hours=offset))
    ),
    st.sampled_from([datetime(2025, 11, 17), datetime(2026, 1, 1), datetime(2024, 2, 29)]),
    st.integers(0, 60 * 24 * 3),
    st.integers(-11, 13),
)
naive_now = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
any_now = st.one_of(aware_now, naive_now)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text, any_now, st.sampled_from(ZONES))
def test_parse_never_raises_and_keeps_invariants(text: str, now: datetime, tz: str) -> None:
    result = parse_report_strict(text, now, tz)
    today = local_today(now, ZoneInfo(tz))
    for act in result.activities:
        assert act.minutes is None or 0 < act.minutes <= 24 * 60
        assert act.work_date <= today
        assert "\n" not in act.description
        assert act.quantity is None or act.quantity > 0
        assert set(act.warnings) <= set(result.warnings)


@settings(max_examples=200, deadline=None)
@given(any_text, any_now)
def test_helpers_never_raise(text: str, now: datetime) -> None:
    minutes = parse_duration_text(text)
    assert minutes is None or 0 < minutes <= 24 * 60
    day = parse_date_text(text, now)
    assert day is None or day <= local_today(now, "Asia/Jakarta")


def test_long_text_is_cut_not_refused() -> None:
    line = "rapat evaluasi program 1 jam\n"
    result = parse_report(line * 1000, datetime(2025, 11, 19))
    assert 0 < len(result.activities) < 1000
    # Cut at 4096 characters: the last line may be cut in the middle.
    assert all(a.minutes == 60 for a in result.activities[:-1])
    assert len(result.activities) == 4096 // len(line) + 1


def test_odd_inputs() -> None:
    now = datetime(2025, 11, 19)
    for text in ("", "   ", "\n\n", "🙏🙏🙏", "\x00\x01", "-", ":", "1.", "2 jam", "Rapat"):
        parse_report_strict(text, now)
    assert parse_report("", now).activities == ()
    assert parse_report("rapat 2 jam", now, "Not/AZone").activities[0].minutes == 120
