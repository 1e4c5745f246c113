"""Splitting digits run together: the table's arithmetic decides, ambiguity is reported."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.formats import FORMAT_2021, ValueKind
from gongkai.core.model import AnnualReport, ReportMeta
from gongkai.core.parse import flat, parse_text
from gongkai.core.parse.grid import row_shape, table4_shape
from tests.parse.synth import render

K = ValueKind
T3_SHAPE = row_shape(FORMAT_2021.table3)
T4_SHAPE = table4_shape(FORMAT_2021.table4)


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("15130000154", (151, 3, 0, 0, 0, 0, 154)),  # the README's example
        ("230 000023", (23, 0, 0, 0, 0, 0, 23)),  # a stray space is a boundary
        ("640020470", (64, 0, 0, 2, 0, 4, 70)),
        ("0 0 0 0 0 00", (0,) * 7),
        ("21710000218", (217, 1, 0, 0, 0, 0, 218)),
        ("\t67\t0\t0\t0\t0\t0\t67\t", (67, 0, 0, 0, 0, 0, 67)),
    ],
)
def test_table3_rows_that_the_row_sum_decides(run: str, expected: tuple[int, ...]) -> None:
    assert flat.split_run(run, T3_SHAPE).readings == (expected,)


@pytest.mark.parametrize(
    ("run", "readings"),
    [
        ("270020130", {(2, 7, 0, 0, 20, 1, 30), (27, 0, 0, 2, 0, 1, 30)}),
        ("220000325", {(2, 20, 0, 0, 0, 3, 25), (22, 0, 0, 0, 0, 3, 25)}),
    ],
)
def test_rows_the_row_sum_leaves_ambiguous(run: str, readings: set[tuple[int, ...]]) -> None:
    assert set(flat.split_run(run, T3_SHAPE).readings) == readings


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        ("10203120001200000", (1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0)),
        ("21317000001324019", (2, 1, 3, 1, 7, 0, 0, 0, 0, 0, 13, 2, 4, 0, 19)),
        ("0 1 1 0 2 1 0 0 0 1 0 0 0 0 0", (0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0)),
    ],
)
def test_table4_line_split_by_its_three_group_totals(run: str, expected: tuple[int, ...]) -> None:
    assert flat.split_run(run, T4_SHAPE).readings == (expected,)


@pytest.mark.parametrize(
    ("run", "shape", "expected"),
    [
        ("1-10", (K.COUNT, K.SIGNED, K.COUNT), (1, -1, 0)),  # a sign starts a cell
        ("2笔 984361元", (K.COUNT, K.MONEY), (2, Decimal(984361))),  # units end cells
        ("22.5981万元", (K.WAN_YUAN,), (Decimal("22.5981"),)),
        ("1,234", (K.COUNT,), (1234,)),
        ("000", (K.COUNT,) * 3, (0, 0, 0)),
    ],
)
def test_values_signs_units_and_separators(
    run: str, shape: tuple[ValueKind, ...], expected: tuple[object, ...]
) -> None:
    split = flat.split_run(run, flat.Shape(shape))
    assert split.readings == (expected,)


def test_no_cell_starts_with_zero() -> None:
    readings = flat.split_run("1077", flat.Shape((K.COUNT,) * 3)).readings
    assert set(readings) == {(1, 0, 77), (10, 7, 7)}


def test_a_run_that_cannot_make_the_row_has_no_reading() -> None:
    assert flat.split_run("123", T3_SHAPE).readings == ()
    assert flat.split_run("1000002", T3_SHAPE).readings == ()  # total ≠ sum


def test_enumeration_is_capped_not_exponential() -> None:
    split = flat.split_run("1" * 150, flat.Shape((K.COUNT,) * 12))
    assert split.capped
    assert len(split.readings) <= flat.MAX_CANDIDATES


def test_a_run_longer_than_the_row_can_hold_is_not_searched() -> None:
    # Twelve cells of at most MAX_CELL_DIGITS digits cannot hold 400 digits (issue 10).
    split = flat.split_run("1" * 400, flat.Shape((K.COUNT,) * 12))
    assert not split.capped
    assert split.readings == ()


def test_a_count_has_at_most_fifteen_ascii_digits() -> None:
    assert flat.parse_value("9" * 15, K.COUNT) == int("9" * 15)
    for text in ("9" * 16, "9" * 4301, "٦٧", ".5"):
        with pytest.raises(ValueError):
            flat.parse_value(text, K.COUNT)


def test_joint_solution_uses_the_column_equations() -> None:
    equations = (flat.Equation(("a", "b"), ("t",), "a+b=t"),)
    candidates = {
        "a": [(1, 2), (12, 0)],
        "b": [(0, 0)],
        "t": [(1, 2)],
    }
    solved = flat.solve_jointly(candidates, equations)
    assert solved.values["a"] == (1, 2)
    assert not solved.choices


def test_joint_solution_reports_what_stays_ambiguous() -> None:
    equations = (flat.Equation(("a", "b"), ("t",), "a+b=t"),)
    candidates = {"a": [(1, 0), (0, 1)], "b": [(0, 1), (1, 0)], "t": [(1, 1)]}
    solved = flat.solve_jointly(candidates, equations)
    assert solved.values["a"] is None and solved.values["b"] is None
    assert set(solved.choices["a"]) == {(1, 0), (0, 1)}


# -- properties: flattened tables parse to the truth or say they cannot ----------------------

counts = st.integers(min_value=0, max_value=400)


@st.composite
def consistent_table3(draw: st.DrawFn) -> dict[str, list[int]]:
    table = FORMAT_2021.table3
    leaves = next(r for r in table.rows if r.code == "results_total").sum_of
    rows: dict[str, list[int]] = {}
    for code in leaves:
        zero = draw(st.booleans())
        rows[code] = [0 if zero else draw(st.integers(0, 60)) for _ in range(6)]
    total = [sum(rows[c][i] for c in leaves) for i in range(6)]
    carried_out = [draw(st.integers(0, 5)) for _ in range(6)]
    carried_in = [
        min(draw(st.integers(0, 5)), t + o) for t, o in zip(total, carried_out, strict=True)
    ]
    rows["results_total"] = total
    rows["carried_out"] = carried_out
    rows["carried_in"] = carried_in
    rows["new"] = [t + o - i for t, o, i in zip(total, carried_out, carried_in, strict=True)]
    return rows


def _report(rows: dict[str, list[int]]) -> AnnualReport:
    table = FORMAT_2021.table3
    cols = [c.code for c in table.columns]
    cells = {
        code: dict(zip(cols, [*values, sum(values)], strict=True)) for code, values in rows.items()
    }
    return AnnualReport(
        meta=ReportMeta(unit="测试县", year=2022, format_version="2021"), tables={"t3": cells}
    )


@settings(max_examples=60, deadline=None)
@given(consistent_table3())
def test_flattened_table3_is_read_right_or_reported_ambiguous(rows: dict[str, list[int]]) -> None:
    truth = _report(rows)
    text = render(truth, sep="").replace("\n", "")
    result = parse_text(text)
    assert result.report is not None
    ambiguous = {p.row: p for p in result.ambiguous if p.table == "t3"}
    for row, cols in truth.tables["t3"].items():
        got = result.report.tables["t3"][row]
        if row in ambiguous:
            assert all(v is None for v in got.values())
            assert tuple(cols.values()) in ambiguous[row].candidates
        else:
            assert got == cols, row


@settings(max_examples=40, deadline=None)
@given(consistent_table3())
def test_separated_table3_is_always_read_exactly(rows: dict[str, list[int]]) -> None:
    truth = _report(rows)
    for sep in ("\t", " "):
        result = parse_text(render(truth, sep=sep))
        assert result.report is not None
        assert result.report.tables["t3"] == truth.tables["t3"]
        assert not result.ambiguous


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [*"0123456789 \t.,+-/\\无元万件笔条项个批次人数a", "万元", "无人", "\u3000"]
        ),
        max_size=14,
    ).map("".join)
)
def test_numeric_prefix_stops_where_the_full_pattern_does(run: str) -> None:
    # numeric_prefix takes the plain characters first and asks the full pattern only at a
    # unit or 「无」; the split must be the full pattern's.
    found = flat._RUN_PREFIX.match(run)
    end = found.end() if found else 0
    assert flat.numeric_prefix(run) == (run[:end], run[end:])
