"""The rules' fast path agrees with the plain evaluation on random reports.

Every predicate of :mod:`gongkai.core.rules.fast` only lets a rule skip its detailed pass when
that pass would find nothing. Switching them all off (each answers "not sure") must therefore
change no finding, on consistent reports (where the fast path skips everything) and on reports
with random blanks, negative numbers and broken totals (where it must not skip wrongly).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.model import AnnualReport, CellValue
from gongkai.core.rules import check_report, fast
from tests.core.test_rules_properties import consistent_report

_PREDICATES = ("totals_hold", "row_sums_hold", "plain_counts_table", "plain_counts", "no_blank")

CELL = st.one_of(
    st.none(),
    st.integers(min_value=-3, max_value=40),
    st.decimals(min_value=-5, max_value=5000, places=2).map(Decimal),
)


@contextmanager
def plain_path() -> Iterator[None]:
    """Every fast-path predicate answers False: each rule runs its detailed pass."""
    saved = {name: getattr(fast, name) for name in _PREDICATES}
    try:
        for name in _PREDICATES:
            setattr(fast, name, lambda *_args: False)
        yield
    finally:
        for name, function in saved.items():
            setattr(fast, name, function)


@st.composite
def random_report(draw: st.DrawFn) -> AnnualReport:
    """A consistent report with a few cells replaced by anything a cell may hold."""
    report: AnnualReport = draw(consistent_report())
    tables: dict[str, Any] = {
        t: {r: dict(cols) for r, cols in rows.items()} for t, rows in report.tables.items()
    }
    addresses = [(t, r, c) for t, rows in tables.items() for r, cols in rows.items() for c in cols]
    for table, row, column in draw(st.lists(st.sampled_from(addresses), max_size=6)):
        value: CellValue = draw(CELL)
        kind = report.format.table(table).column(column).kind
        if isinstance(value, Decimal) and kind.value in ("count", "signed"):
            value = int(value)
        tables[table][row][column] = value
    return AnnualReport.model_validate(
        {"meta": report.meta.model_dump(), "tables": tables, "narrative": report.narrative}
    )


@settings(max_examples=150, deadline=None)
@given(random_report())
def test_the_fast_path_and_the_plain_evaluation_agree(report: AnnualReport) -> None:
    fast_findings = check_report(report)
    with plain_path():
        plain_findings = check_report(report)
    assert fast_findings == plain_findings


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from("abcdef"), CELL, min_size=1), min_size=1))
def test_plain_counts_is_true_only_for_whole_non_negative_rows(
    rows: list[dict[str, CellValue]],
) -> None:
    for values in rows:
        numbers = [v for v in values.values() if v is not None]
        plain = all(isinstance(v, int) and v >= 0 for v in numbers)
        assert fast.plain_counts(values) == plain
    flat = [v for values in rows for v in values.values()]
    everything_plain = all(isinstance(v, int) and v >= 0 for v in flat)
    assert fast.plain_counts_table(flat) == everything_plain
