"""The admin error report: the traceback goes in escaped, cut from the front to fit."""

from __future__ import annotations

import html

from hypothesis import given
from hypothesis import strategies as st

from bot.app import _escaped_tail
from bot.i18n import t


def test_traceback_is_escaped_inside_the_pre_block() -> None:
    trace = 'File "x.py", line 3\n  if a < b and c > d: raise ValueError("&")'
    body = t("id", "admin.error_report", update_id="7", trace=_escaped_tail(trace, 4000))
    assert "<pre>" in body and "</pre>" in body
    assert "if a &lt; b and c &gt; d: raise ValueError(&quot;&amp;&quot;)" in body
    assert "a < b" not in body


@given(st.text(alphabet="<>&\"'ab\n", max_size=300), st.integers(0, 200))
def test_the_tail_fits_and_never_cuts_an_entity(trace: str, room: int) -> None:
    tail = _escaped_tail(trace, room)
    assert len(tail) <= room
    # what is shown is the escaped form of a suffix of the traceback
    assert trace.endswith(html.unescape(tail))
