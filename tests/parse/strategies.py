"""Hypothesis strategies shared by the parser's tests."""

from __future__ import annotations

from hypothesis import assume
from hypothesis import strategies as st


@st.composite
def blanked_row(
    draw: st.DrawFn, width: int, values: st.SearchStrategy[int]
) -> tuple[list[int], list[bool]]:
    """A consistent row's members (``width`` cells less its total), and which of them are
    printed blank, as units that leave zeros blank print them (at least one)."""
    blank = [draw(st.booleans()) for _ in range(width - 1)]
    assume(any(blank))
    members = [0 if b else draw(values) for b in blank]
    return members, blank
