"""A run with one token per cell is read without the search, and reads as the search would.

:func:`flat.split_run` takes a shortcut when the run has as many tokens as the row has cells
(the common case: the cells kept their spaces). These tests hold the shortcut to the full
enumeration on every shape the formats declare, with values that add up and values that do
not, blanks, leading zeros, signs and decimals.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.formats import FORMAT_2019, FORMAT_2021, ValueKind
from gongkai.core.parse import flat
from gongkai.core.parse.grid import row_shape, table4_shape

SHAPES = list(
    dict.fromkeys(
        [row_shape(t) for fmt in (FORMAT_2019, FORMAT_2021) for t in fmt.tables]
        + [table4_shape(fmt.table4) for fmt in (FORMAT_2019, FORMAT_2021)]
    )
)


def _enumerated(run: str, shape: flat.Shape) -> tuple[flat.Reading, ...]:
    """What the full search finds, whichever path split_run would have taken."""
    tokens = flat.tokenize(run)
    out: list[flat.Reading] = []
    if flat._total_is_last(shape) and tokens and all(t.text for t in tokens):
        flat._enumerate_total_last(tokens, shape, out, [flat.MAX_NODES])
    else:
        flat._enumerate(tokens, shape, out, [flat.MAX_NODES])
    return tuple(out)


_TOKEN = st.one_of(
    st.integers(0, 999).map(str),
    st.sampled_from(["0", "00", "07", "-", "无", "1.5", "0.25", "-3", "+2", "12元", "3万元"]),
)


@st.composite
def runs(draw: st.DrawFn) -> tuple[str, flat.Shape]:
    shape = draw(st.sampled_from(SHAPES))
    tokens = draw(st.lists(_TOKEN, min_size=shape.width, max_size=shape.width))
    if draw(st.booleans()):
        # Totals that hold, where the members are plain counts.
        for total, members in shape.groups:
            values = [tokens[m] for m in members]
            if all(v.isdigit() and (v == "0" or v[0] != "0") for v in values):
                tokens[total] = str(sum(int(v) for v in values))
    return " ".join(tokens), shape


@settings(max_examples=400, deadline=None)
@given(runs())
def test_one_token_per_cell_reads_as_the_search(case: tuple[str, flat.Shape]) -> None:
    run, shape = case
    assert len(flat.tokenize(run)) == shape.width
    assert flat.split_run(run, shape).readings == _enumerated(run, shape)


def test_spaced_row_is_read_and_a_wrong_total_is_not() -> None:
    shape = row_shape(FORMAT_2021.table3)
    assert flat.split_run("151 3 0 0 0 0 154", shape).readings == ((151, 3, 0, 0, 0, 0, 154),)
    assert flat.split_run("151 3 0 0 0 0 155", shape).readings == ()
    assert flat.split_run("151 03 0 0 0 0 154", shape).readings == ()
    assert all(k is ValueKind.COUNT for k in shape.kinds)


@st.composite
def digit_runs(draw: st.DrawFn) -> tuple[str, flat.Shape]:
    """One digit per cell, the digits run together or cut by spaces anywhere."""
    shape = draw(st.sampled_from(SHAPES))
    digits = draw(
        st.lists(st.sampled_from("0123456789"), min_size=shape.width, max_size=shape.width)
    )
    if draw(st.booleans()):
        for total, members in shape.groups:
            value = sum(int(digits[m]) for m in members)
            if value < 10:
                digits[total] = str(value)
    cuts = draw(st.lists(st.booleans(), min_size=shape.width, max_size=shape.width))
    return "".join(d + (" " if cut else "") for d, cut in zip(digits, cuts, strict=True)), shape


@settings(max_examples=300, deadline=None)
@given(digit_runs())
def test_one_digit_per_cell_reads_as_the_search(case: tuple[str, flat.Shape]) -> None:
    run, shape = case
    split = flat.split_run(run, shape)
    assert split.readings == _enumerated(run, shape)
    assert not split.capped


def _full_search(run: str, shape: flat.Shape) -> tuple[tuple[flat.Reading, ...], bool]:
    """The full search's readings and cap, every node visited and counted."""
    tokens = flat.tokenize(run)
    out: list[flat.Reading] = []
    if flat._total_is_last(shape) and tokens and all(t.text for t in tokens):
        capped = flat._enumerate_total_last(tokens, shape, out, [flat.MAX_NODES])
    else:
        capped = flat._enumerate(tokens, shape, out, [flat.MAX_NODES])
    return tuple(out), capped


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(SHAPES),
    st.text(alphabet="0123456789 ", min_size=1, max_size=24),
)
def test_joined_digits_read_as_the_full_search(shape: flat.Shape, run: str) -> None:
    # Runs that go to the search (digits run together), which skips cuts that leave the
    # wrong number of cells: its readings and its cap are the full search's.
    if len(run.split()) == shape.width or len(run.replace(" ", "")) == shape.width:
        return  # the shortcuts, tested above
    split = flat.split_run(run, shape)
    if any(len(t) > shape.width * (flat.MAX_CELL_DIGITS + 1) for t in run.split()):
        return
    assert (split.readings, split.capped) == _full_search(run, shape)


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(SHAPES),
    st.text(alphabet="0012345678 9..-+元无", min_size=1, max_size=20),
)
def test_runs_with_points_signs_and_units_read_as_the_full_search(
    shape: flat.Shape, run: str
) -> None:
    # The search skips cuts that leave the wrong number of cells in money and signed cells
    # too, and cuts a row without totals from the combinations of its positions: still the
    # full search's.
    tokens = flat.tokenize(run)
    if len(tokens) > shape.width or any(
        len(t.text) > shape.width * (flat.MAX_CELL_DIGITS + 1) for t in tokens
    ):
        return
    split = flat.split_run(run, shape)
    assert (split.readings, split.capped) == _full_search(run, shape)


def test_money_run_is_cut_as_the_full_search() -> None:
    shape = flat.Shape((ValueKind.MONEY, ValueKind.MONEY))
    split = flat.split_run("13575394432.52", shape)
    assert (split.readings, split.capped) == _full_search("13575394432.52", shape)
    assert len(split.readings) == 11
