"""A rendered table (:mod:`gongkai.core.render.tables_html`) as a grid of spanning cells.

The DOCX and XLSX renderers do not lay the tables out again: they read the HTML layout (merged
header cells, row groups, section 二's blocks) back as cells with their row, column and spans,
and merge the same cells in Word or Excel, so that no two renderings can drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass(slots=True)
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    numeric: bool = False
    # The data cell's address "table/row/column" (tables_html's data-cell), empty for headers.
    address: str = ""


@dataclass(slots=True)
class _TableReader(HTMLParser):
    """Reads one ``<table>`` of tables_html: cells with their spans, placed on the grid."""

    cells: list[GridCell] = field(default_factory=list)
    _taken: set[tuple[int, int]] = field(default_factory=set)
    _row: int = -1
    _col: int = 0
    _open: GridCell | None = None
    _skip: int = 0

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "caption":
            self._skip += 1
        elif tag == "tr":
            self._row += 1
            self._col = 0
        elif tag in ("td", "th"):
            while (self._row, self._col) in self._taken:
                self._col += 1
            cell = GridCell(
                text="",
                row=self._row,
                col=self._col,
                rowspan=int(values.get("rowspan") or 1),
                colspan=int(values.get("colspan") or 1),
                header=tag == "th",
                numeric="num" in values.get("class", "").split(),
                address=values.get("data-cell", ""),
            )
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    self._taken.add((r, c))
            self._col += cell.colspan
            self._open = cell
            self.cells.append(cell)

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._skip -= 1
        elif tag in ("td", "th"):
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._skip:
            self._open.text += data


def html_table_grid(html: str) -> tuple[list[GridCell], int, int]:
    """The cells of one rendered table, and the grid's row and column count."""
    reader = _TableReader()
    reader.feed(html)
    reader.close()
    rows = max((c.row + c.rowspan for c in reader.cells), default=0)
    cols = max((c.col + c.colspan for c in reader.cells), default=0)
    return reader.cells, rows, cols


__all__ = ["GridCell", "html_table_grid"]
