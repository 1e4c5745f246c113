"""How a finding names blank cells: grouped by row, the first rows named, the rest counted."""

from __future__ import annotations

from gongkai.core.findings import WHOLE_ROW, CellRef
from gongkai.core.formats import COL_TOTAL, LATEST_FORMAT, T3, T3_DISCLOSED, T3_NEW
from gongkai.core.names import (
    NAME_LIMIT,
    blank_list,
    describe_cell,
    row_name,
    table_names_in_messages,
)


def test_blank_cells_are_named_by_row_with_their_column_labels() -> None:
    table = LATEST_FORMAT.table(T3)
    first = table.columns[0]
    text = blank_list(
        LATEST_FORMAT.version,
        [(T3, T3_NEW, first.code), (T3, T3_DISCLOSED, COL_TOTAL), (T3, T3_NEW, COL_TOTAL)],
    )
    t3 = table_names_in_messages(LATEST_FORMAT.version)[T3]
    new = row_name(LATEST_FORMAT.version, T3, T3_NEW)
    disclosed = row_name(LATEST_FORMAT.version, T3, T3_DISCLOSED)
    total = table.column(COL_TOTAL).label
    assert text == f"{t3}「{new}」（{first.label}、{total}）；{t3}「{disclosed}」（{total}）"


def test_more_rows_than_a_sentence_shows_are_counted() -> None:
    table = LATEST_FORMAT.table(T3)
    rows = [r.code for r in table.cell_rows][: NAME_LIMIT + 2]
    text = blank_list(LATEST_FORMAT.version, [(T3, r, COL_TOTAL) for r in rows])
    assert text.endswith(f"等 {NAME_LIMIT + 2} 行")
    assert text.count("」（") == NAME_LIMIT
    assert row_name(LATEST_FORMAT.version, T3, rows[NAME_LIMIT - 1]) in text
    assert row_name(LATEST_FORMAT.version, T3, rows[NAME_LIMIT]) not in text
    exactly = blank_list(LATEST_FORMAT.version, [(T3, r, COL_TOTAL) for r in rows[:NAME_LIMIT]])
    assert "等" not in exactly and exactly.count("」（") == NAME_LIMIT


def test_a_whole_row_is_named_as_a_reader_sees_it_not_by_its_codes() -> None:
    fmt = LATEST_FORMAT
    for table in (fmt.table(T3), *fmt.section2):
        for row in table.rows:
            name = describe_cell(fmt, CellRef(table=table.code, row=row.code, column=WHOLE_ROW))
            assert name.endswith("」整行"), name
            assert WHOLE_ROW not in name and table.code not in name, name
