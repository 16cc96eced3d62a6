"""Laying duration-only entries into the work day (jam mulai/selesai for e-Kinerja)."""

from __future__ import annotations

from datetime import date, time

from hypothesis import given
from hypothesis import strategies as st

from bot.workday import LayoutItem, break_range, lay_out

MONDAY = date(2026, 11, 23)
FRIDAY = date(2026, 11, 27)


def hm(text: str) -> time:
    h, m = text.split(":")
    return time(int(h), int(m))


def ranges(out: list[tuple[time, time]]) -> list[str]:
    return [f"{s:%H:%M}-{e:%H:%M}" for s, e in out]


def test_break_is_longer_on_friday() -> None:
    assert break_range(MONDAY) == (time(12), time(13))
    assert break_range(FRIDAY) == (time(11, 30), time(13))


def test_durations_fill_the_morning_in_order() -> None:
    out = lay_out(MONDAY, [], [LayoutItem(90), LayoutItem(60), LayoutItem(30)])
    assert ranges(out) == ["07:30-09:00", "09:00-10:00", "10:00-10:30"]


def test_an_item_that_would_straddle_the_break_starts_after_it() -> None:
    out = lay_out(MONDAY, [], [LayoutItem(240), LayoutItem(60)])
    assert ranges(out) == ["07:30-11:30", "13:00-14:00"]
    out = lay_out(MONDAY, [], [LayoutItem(240), LayoutItem(30)])
    assert ranges(out) == ["07:30-11:30", "11:30-12:00"]


def test_friday_break_starts_at_half_past_eleven() -> None:
    out = lay_out(FRIDAY, [], [LayoutItem(240), LayoutItem(30)])
    assert ranges(out) == ["07:30-11:30", "13:00-13:30"]
    out = lay_out(MONDAY, [], [LayoutItem(240), LayoutItem(30)])
    assert ranges(out)[1] == "11:30-12:00"


def test_existing_entries_are_never_overlapped() -> None:
    existing = [(hm("07:30"), hm("09:00")), (hm("10:00"), hm("11:00"))]
    out = lay_out(MONDAY, existing, [LayoutItem(60), LayoutItem(60), LayoutItem(45)])
    assert ranges(out) == ["09:00-10:00", "11:00-12:00", "13:00-13:45"]


def test_a_gap_too_small_is_skipped_and_later_items_keep_the_order() -> None:
    existing = [(hm("08:00"), hm("09:00"))]
    out = lay_out(MONDAY, existing, [LayoutItem(60), LayoutItem(15)])
    # 07:30-08:00 is too short for the first; the second must not jump before it
    assert ranges(out) == ["09:00-10:00", "10:00-10:15"]


def test_fixed_items_keep_their_times_and_block_the_others() -> None:
    items = [
        LayoutItem(90),
        LayoutItem(150, start=hm("08:30"), end=hm("11:00")),
        LayoutItem(60),
        LayoutItem(30),
    ]
    out = lay_out(MONDAY, [], items)
    # 90 minutes fit neither before 08:30 nor between 11:00 and the break
    assert ranges(out) == ["13:00-14:30", "08:30-11:00", "14:30-15:30", "15:30-16:00"]


def test_fixed_range_in_the_middle_of_the_afternoon() -> None:
    items = [
        LayoutItem(120),
        LayoutItem(150, start=hm("13:00"), end=hm("15:30")),
        LayoutItem(120),
        LayoutItem(60),
    ]
    out = lay_out(MONDAY, [], items)
    assert ranges(out) == ["07:30-09:30", "13:00-15:30", "09:30-11:30", "15:30-16:30"]


def test_fixed_item_with_only_a_start_or_an_end_uses_its_minutes() -> None:
    items = [LayoutItem(60, start=hm("07:30")), LayoutItem(30, end=hm("10:00")), LayoutItem(30)]
    out = lay_out(MONDAY, [], items)
    assert ranges(out) == ["07:30-08:30", "09:30-10:00", "08:30-09:00"]


def test_fixed_items_are_kept_even_over_the_break_or_each_other() -> None:
    items = [LayoutItem(60, start=hm("12:00"), end=hm("13:00")), LayoutItem(60, hm("12:30"))]
    assert ranges(lay_out(MONDAY, [], items)) == ["12:00-13:00", "12:30-13:30"]


def test_a_long_item_takes_the_afternoon_after_a_full_morning() -> None:
    out = lay_out(MONDAY, [], [LayoutItem(300), LayoutItem(60)])
    assert ranges(out) == ["13:00-18:00", "18:00-19:00"]


def test_custom_day_start_for_ramadan() -> None:
    out = lay_out(MONDAY, [], [LayoutItem(60)], day_start=time(8))
    assert ranges(out) == ["08:00-09:00"]


def test_day_start_inside_the_break_moves_after_it() -> None:
    out = lay_out(MONDAY, [], [LayoutItem(30)], day_start=time(12, 15))
    assert ranges(out) == ["13:00-13:30"]


def test_nothing_runs_past_23_59() -> None:
    existing = [(hm("07:30"), hm("22:00"))]
    out = lay_out(MONDAY, existing, [LayoutItem(60), LayoutItem(60), LayoutItem(30)])
    assert ranges(out) == ["22:00-23:00", "23:00-23:59", "23:59-23:59"]


def test_an_item_too_long_for_the_rest_of_the_day_takes_the_longest_gap() -> None:
    existing = [(hm("07:30"), hm("22:00")), (hm("23:00"), hm("23:30"))]
    out = lay_out(MONDAY, existing, [LayoutItem(180)])
    assert ranges(out) == ["22:00-23:00"]
    existing = [(hm("07:30"), hm("16:04")), (hm("16:05"), hm("16:10"))]
    out = lay_out(MONDAY, existing, [LayoutItem(600)])
    assert ranges(out) == ["16:10-23:59"]


def test_zero_minutes_gets_an_empty_range_at_the_cursor() -> None:
    out = lay_out(MONDAY, [], [LayoutItem(0), LayoutItem(30)])
    assert ranges(out) == ["07:30-07:30", "07:30-08:00"]


def test_empty_input() -> None:
    assert lay_out(MONDAY, [(hm("08:00"), hm("09:00"))], []) == []


minutes = st.integers(min_value=1, max_value=600)


@given(
    st.lists(minutes, min_size=1, max_size=12),
    st.lists(st.tuples(st.integers(7 * 60, 20 * 60), st.integers(5, 180)), min_size=0, max_size=5),
    st.sampled_from([MONDAY, FRIDAY]),
)
def test_placed_items_never_overlap_busy_time_or_the_break(
    durations: list[int], booked: list[tuple[int, int]], day: date
) -> None:
    existing = [
        (time(s // 60, s % 60), time(min(s + d, 1439) // 60, min(s + d, 1439) % 60))
        for s, d in booked
    ]
    out = lay_out(day, existing, [LayoutItem(m) for m in durations])
    assert len(out) == len(durations)
    brk = break_range(day)
    busy = [*existing, brk]
    prev_end = time(7, 30)
    for (start, end), m in zip(out, durations, strict=True):
        assert start <= end
        assert start >= prev_end  # order is kept
        prev_end = end
        for b_start, b_end in busy:
            assert end <= b_start or start >= b_end or start == end
        length = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        cut = end == time(23, 59) or any(end == b_start for b_start, _ in busy)
        assert length == m or (length < m and cut)
    for i, (s1, e1) in enumerate(out):
        for s2, e2 in out[i + 1 :]:
            assert e1 <= s2 or e2 <= s1 or s1 == e1 or s2 == e2
