"""Synthetic report texts built from the format declaration, for property tests.

The text is laid out the way real reports are (headings, block headers, row labels, cells),
with the cell separator chosen by the test: a tab (browser copy), a space, or nothing (the
crawler's flattened text). Nothing here is copied from the corpus.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

from gongkai.core.formats import T3, T4, ReportFormat
from gongkai.core.model import AnnualReport, CellValue, TableCells
from gongkai.core.parse.result import ParseResult

Joiner = Callable[[list[str]], str]


def cell_text(value: CellValue) -> str:
    return "" if value is None else str(value)


def render(report: AnnualReport, *, sep: str = "", title: bool = True) -> str:
    """A report text in the published layout, cells joined by ``sep``."""
    fmt: ReportFormat = report.format
    parts: list[str] = []
    if title:
        parts.append(f"{report.meta.unit}{report.meta.year}年度政府信息公开工作年度报告\n")
    parts.append("一、总体情况\n本单位认真贯彻《条例》。\n")
    parts.append("二、主动公开政府信息情况\n")
    for table in fmt.section2:
        parts.append(f"{table.header}\n信息内容{sep}{sep.join(c.label for c in table.columns)}\n")
        for row in table.cell_rows:
            values = [cell_text(report.cell(table.code, row.code, c.code)) for c in table.columns]
            parts.append(f"{row.label}{sep}{sep.join(values)}\n")
    parts.append("三、收到和处理政府信息公开申请情况\n")
    t3 = fmt.table(T3)
    parts.append(f"{sep.join(c.label for c in t3.columns)}\n")
    for row in t3.rows:
        if not row.has_cells:
            parts.append(f"{row.label}{sep}")
            continue
        values = [cell_text(report.cell(T3, row.code, c.code)) for c in t3.columns]
        parts.append(f"{row.label}{sep}{sep.join(values)}\n")
    parts.append("四、政府信息公开行政复议、行政诉讼情况\n")
    t4 = fmt.table(T4)
    parts.append("行政复议行政诉讼" + sep.join(c.label for c in t4.columns) + "\n")
    values = [cell_text(report.cell(T4, row.code, c.code)) for row in t4.rows for c in t4.columns]
    parts.append(sep.join(values) + "\n")
    parts.append("五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n")
    return "".join(parts)


def grid_rows(report: AnnualReport) -> list[list[str]]:
    """The report's tables as an HTML/DOCX front end would hand them over: rows of cells.

    Table 三's rows carry their group label in a first cell (as a ``rowspan`` expanded by the
    front end), table 四 is its header rows then one line of 15 numbers.
    """
    fmt: ReportFormat = report.format
    rows: list[list[str]] = []
    for table in fmt.section2:
        rows.append([table.header])
        rows.append(["信息内容", *(c.label for c in table.columns)])
        for row in table.cell_rows:
            values = [cell_text(report.cell(table.code, row.code, c.code)) for c in table.columns]
            rows.append([row.label, *values])
    t3 = fmt.table(T3)
    rows.append(["", "", *(c.label for c in t3.columns)])
    group = ""
    for row in t3.rows:
        if not row.has_cells:
            group = row.label
            continue
        values = [cell_text(report.cell(T3, row.code, c.code)) for c in t3.columns]
        prefix = [group] if row.level == 2 else []
        rows.append([*prefix, row.label, *values])
    t4 = fmt.table(T4)
    rows.append(["行政复议", "行政诉讼"])
    rows.append([c.label for c in t4.columns] * len(t4.rows))
    rows.append(
        [cell_text(report.cell(T4, row.code, c.code)) for row in t4.rows for c in t4.columns]
    )
    return rows


# -- layouts other crawlers and converters print, and blank cells for zeros ---------------------

T4_HEADING = "四、政府信息公开行政复议、行政诉讼情况\n"
# Table 四's heads in pieces (「结果 结果 其他 尚未 总」 over 「维持 纠正 结果 审结 计」), and
# one character a line, as PDF text extraction gives them.
HEADS_IN_PIECES = (
    "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结果 结果 其他 尚未 总\n"
    "维持 纠正 结果 审结 计 结果 结果 其他 尚未 总 结果 结果 其他 尚未 总\n"
    "维持 纠正 结果 审结 计 维持 纠正 结果 审结 计\n"
)
HEADS_A_CHARACTER_A_LINE = (
    "行政复议 行政诉讼\n未经复议直接起诉 复议后起诉\n结 结 其 尚\n结 结 其 尚 结 结 其 尚\n"
    "果 果 他 未\n总计 果 果 他 未 总 果 果 他 未 总\n维 纠 结 审\n维 纠 结 审 计 维 纠 结 审 计\n"
    "持 正 果 结\n持 正 果 结 持 正 果 结\n"
)


def blank_zeros(report: AnnualReport) -> AnnualReport:
    """Table 三 as small units print it: every applicant cell that is 0 left blank."""
    fmt: ReportFormat = report.format
    total = fmt.table(T3).columns[-1].code
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in report.tables.items()}
    for cells in tables[T3].values():
        for column, value in cells.items():
            if column != total and value == 0:
                cells[column] = None
    return report.model_copy(update={"tables": tables})


def by_line(text: str, line_of: Joiner) -> str:
    """Each tab-separated line of ``text`` printed by ``line_of(cells)`` (which ends it)."""
    return "".join(
        line_of(line.split("\t")) if "\t" in line else line + "\n" for line in text.split("\n")
    )


def pipe_row(cells: list[str]) -> str:
    """A row with pipes but not the leading one: 「规章 | 0 | 0 | 0 |」."""
    return " | ".join(cells) + " |\n"


def markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |\n"


def cell_lines(cells: list[str]) -> str:
    """Every cell on a line of its own, a blank cell as a bare pipe: 「规章 |」「0 |」「|」."""
    return "".join(f"{cell} |\n" if cell else "|\n" for cell in cells)


def with_table4(report: AnnualReport, heads: str, *, prose: str = "") -> str:
    """The report tab-separated, with table 四 printed under ``heads`` (after ``prose``) and
    its 15 numbers on one line."""
    text = render(report, sep="\t")
    start = text.index(T4_HEADING) + len(T4_HEADING)
    end = text.index("五、", start)
    t4 = report.format.table(T4)
    values = [cell_text(report.cell(T4, row.code, c.code)) for row in t4.rows for c in t4.columns]
    return text[:start] + prose + heads + " ".join(values) + "\n" + text[end:]


def stored_turned(data: bytes, rotations: tuple[int, ...], *, crop: bool = False) -> bytes:
    """The PDF with page ``i``'s content drawn turned back by ``rotations[i % len(rotations)]``
    degrees and that ``/Rotate`` set, so that a viewer shows it as before (with a crop box as
    large as the media box if ``crop``, as some printers write)."""
    document = pdfium.PdfDocument(data)
    for index in range(len(document)):
        rotation = rotations[index % len(rotations)]
        if not rotation:
            continue
        page = document[index]
        width, height = page.get_width(), page.get_height()
        # From the displayed page (width × height) to the page as stored: a turn of
        # ``rotation`` degrees counter-clockwise, then a shift back onto the media box.
        matrix = {
            90: (0, 1, -1, 0, height, 0),
            180: (-1, 0, 0, -1, width, height),
            270: (0, -1, 1, 0, 0, width),
        }[rotation]
        for position in range(pdfium_c.FPDFPage_CountObjects(page.raw)):
            obj = pdfium_c.FPDFPage_GetObject(page.raw, position)
            pdfium_c.FPDFPageObj_Transform(obj, *matrix)
        if rotation != 180:
            pdfium_c.FPDFPage_SetMediaBox(page.raw, 0, 0, height, width)
        if crop:
            stored = (height, width) if rotation != 180 else (width, height)
            pdfium_c.FPDFPage_SetCropBox(page.raw, 0, 0, *stored)
        pdfium_c.FPDFPage_SetRotation(page.raw, rotation // 90)
        assert pdfium_c.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()


def relaid(report: AnnualReport) -> dict[str, tuple[str, AnnualReport]]:
    """The report in each layout of this section: name → (text, the cells it prints)."""
    tabs = render(report, sep="\t")
    blank = blank_zeros(report)
    blank_tabs = render(blank, sep="\t")
    return {
        "竖线无行首": (by_line(tabs, pipe_row), report),
        "每格一行": (by_line(tabs, cell_lines), report),
        "表四表头拆开": (with_table4(report, HEADS_IN_PIECES), report),
        "表四表头逐字": (with_table4(report, HEADS_A_CHARACTER_A_LINE), report),
        "空白代零·制表符": (blank_tabs, blank),
        "空白代零·竖线": (by_line(blank_tabs, markdown_row), blank),
        "空白代零·每格一行": (by_line(blank_tabs, cell_lines), blank),
        "空白代零·空格": (render(blank, sep=" "), blank),
        "空白代零·连写": (render(blank, sep=""), blank),
    }


# -- layouts of more crawlers: padding, closing pipes a line below, blank table 四 ---------------


def padded_pipe_row(cells: list[str]) -> str:
    """「规章 | 0 | 0 | 0 | ||」: pipes without the leading one, and at the row's end the blank
    cells a page's spanning columns leave (a header row's too)."""
    return " | ".join(cells) + " | ||\n"


def cells_over_pipes(cells: list[str]) -> str:
    """Every cell on a line of its own and its closing pipe on the line below (「规章」「|」
    「0」「|」); a blank cell is an empty line closed the same way."""
    return "".join(f"{cell}\n|\n" for cell in cells)


def padded_cell_lines(cells: list[str]) -> str:
    """:func:`cell_lines`, the row ended by a line of pipes (the columns it does not fill)."""
    return cell_lines(cells) + "|" * 10 + "\n"


def opened_cell_lines(cells: list[str]) -> str:
    """:func:`padded_cell_lines`, every row opened by a lone pipe (「|」「规章 |」「0 |」「||」)."""
    return "|\n" + cell_lines(cells) + "||\n"


def blank_table4_zeros(report: AnnualReport) -> AnnualReport:
    """Table 四 as units with few cases print it: every 0 left blank, the totals too."""
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in report.tables.items()}
    for cells in tables[T4].values():
        for column, value in cells.items():
            if value == 0:
                cells[column] = None
    return report.model_copy(update={"tables": tables})


def crawled(report: AnnualReport) -> dict[str, tuple[str, AnnualReport]]:
    """The report as more crawlers print it (section 二, table 三 and table 四 alike), with
    every cell printed and with blanks for zeros in tables 三 and 四: name → (text, the cells
    it prints)."""
    blank = blank_table4_zeros(blank_zeros(report))
    tabs, blank_tabs = render(report, sep="\t"), render(blank, sep="\t")
    layouts: dict[str, Joiner] = {
        "竖线无行首且行尾补空": padded_pipe_row,
        "竖线在下一行": cells_over_pipes,
        "每格一行且行尾补竖线": padded_cell_lines,
        "每行竖线开头且行尾补竖线": opened_cell_lines,
    }
    out: dict[str, tuple[str, AnnualReport]] = {}
    for name, line_of in layouts.items():
        out[name] = (by_line(tabs, line_of), report)
        out[f"{name}·空白代零"] = (by_line(blank_tabs, line_of), blank)
    return out


# -- rows told apart by a lone pipe alone --------------------------------------------------------


def opened_cells(cells: list[str]) -> str:
    """:func:`cell_lines`, every row opened by a lone pipe and closed by nothing (「|」「规章 |」
    「0 |」「|」「行政许可 |」…)."""
    return "|\n" + cell_lines(cells)


def closed_cells(cells: list[str]) -> str:
    """:func:`cell_lines`, every row closed by a lone pipe (「规章 |」「0 |」「|」)."""
    return cell_lines(cells) + "|\n"


def lone_pipe_rows(report: AnnualReport) -> dict[str, tuple[str, AnnualReport]]:
    """The report with its rows told apart by a lone pipe alone, opening or closing each row
    (its cells closed by their own pipe or by one on the line below), with every cell printed
    and with blanks for zeros in tables 三 and 四: name → (text, the cells it prints)."""
    blank = blank_table4_zeros(blank_zeros(report))
    tabs, blank_tabs = render(report, sep="\t"), render(blank, sep="\t")
    layouts: dict[str, Joiner] = {
        "每行竖线开头": opened_cells,
        "每行竖线结尾": closed_cells,
        "竖线在下一行且每行竖线开头": lambda cells: "|\n" + cells_over_pipes(cells),
        "竖线在下一行且每行竖线结尾": lambda cells: cells_over_pipes(cells) + "|\n",
        "每行竖线开头且空行结尾": lambda cells: opened_cells(cells) + "\n",
        "每行竖线开头且竖线结尾": lambda cells: opened_cells(cells) + "|\n",
        "竖线在下一行且每行竖线开头且空行结尾": lambda cells: (
            "|\n" + cells_over_pipes(cells) + "\n"
        ),
    }
    out: dict[str, tuple[str, AnnualReport]] = {}
    for name, line_of in layouts.items():
        out[name] = (by_line(tabs, line_of), report)
        out[f"{name}·空白代零"] = (by_line(blank_tabs, line_of), blank)
    return out


# -- blank cells printed as empty lines ----------------------------------------------------------


def empty_cell_lines(cells: list[str]) -> str:
    """Every cell on a line of its own, a blank cell as an empty line: 「规章 |」「」「3 |」."""
    return "".join(f"{cell} |\n" if cell else "\n" for cell in cells)


def empty_line_blanks(report: AnnualReport) -> dict[str, tuple[str, AnnualReport]]:
    """The report a cell a line with its blank cells as empty lines, rows following each other
    straight, ended by a line of pipes, closed by a lone pipe, or opened by one and ended by
    two; with every cell printed and with blanks for zeros: name → (text, the cells it
    prints)."""
    blank = blank_table4_zeros(blank_zeros(report))
    tabs, blank_tabs = render(report, sep="\t"), render(blank, sep="\t")
    layouts: dict[str, Joiner] = {
        "空行代空格": empty_cell_lines,
        "空行代空格且行尾补竖线": lambda cells: empty_cell_lines(cells) + "|" * 10 + "\n",
        "空行代空格且每行竖线结尾": lambda cells: empty_cell_lines(cells) + "|\n",
        "空行代空格且每行竖线开头": lambda cells: "|\n" + empty_cell_lines(cells),
        "空行代空格且每行竖线开头结尾": lambda cells: "|\n" + empty_cell_lines(cells) + "||\n",
        "空行代空格且每行空行开头竖线结尾": lambda cells: "\n" + empty_cell_lines(cells) + "|\n",
    }
    out: dict[str, tuple[str, AnnualReport]] = {}
    for name, line_of in layouts.items():
        out[name] = (by_line(tabs, line_of), report)
        out[f"{name}·空白代零"] = (by_line(blank_tabs, line_of), blank)
    return out


# -- double-spaced pages: an empty line after every line -----------------------------------------


def double_spaced(text: str) -> str:
    """The text as some crawlers store a page: every line followed by one empty line."""
    return text.replace("\n", "\n\n")


def double_spaced_layouts(report: AnnualReport) -> dict[str, tuple[str, AnnualReport]]:
    """Every layout of :func:`crawled`, :func:`lone_pipe_rows` and :func:`empty_line_blanks`,
    double-spaced: name → (text, the cells it prints)."""
    layouts = {**crawled(report), **lone_pipe_rows(report), **empty_line_blanks(report)}
    return {
        f"{name}·隔行空行": (double_spaced(text), cells) for name, (text, cells) in layouts.items()
    }


# -- table 四 as the corpus prints it ------------------------------------------------------------


def with_table4_values(report: AnnualReport, values: list[int]) -> AnnualReport:
    """The report with table 四's 15 cells replaced (three groups of five, each balanced)."""
    t4 = report.format.table(T4)
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in report.tables.items()}
    for k, row in enumerate(t4.cell_rows):
        for i, column in enumerate(t4.columns):
            tables[T4][row.code][column.code] = values[k * len(t4.columns) + i]
    return report.model_copy(update={"tables": tables})


# Table 四 as 004 and 017 have it: a blank first cell, and a last group all blank once zeros
# are left blank (which is what a header row's padding shifted).
TABLE4_CASES = {
    "首格空白": [0, 1, 1, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0],
    "末组空白": [5, 0, 0, 2, 7, 8, 0, 0, 1, 9, 0, 0, 0, 0, 0],
    "无空白": [3, 1, 1, 2, 7, 1, 1, 1, 1, 4, 2, 2, 2, 2, 8],
}


# -- every printed cell against what a parse read ------------------------------------------------


@dataclass(slots=True)
class CellReading:
    """How a parse read the cells a report prints: right, misread (with what it read instead)
    or left unread; the layout tests want no misread and no unread cell, the benchmark counts
    them. A misread number raises a false error, an unread one hides the error it was in."""

    right: int = 0
    misread: list[tuple[str, str, str, CellValue, CellValue]] = field(default_factory=list)
    unread: list[tuple[str, str, str]] = field(default_factory=list)


def read_cells(printed: AnnualReport, read: Mapping[str, TableCells]) -> CellReading:
    """Every cell of ``printed``, in its tables' order, against ``read`` (the parsed tables)."""
    reading = CellReading()
    for table, rows in printed.tables.items():
        for row, columns in rows.items():
            for column, want in columns.items():
                got = read.get(table, {}).get(row, {}).get(column)
                if got == want:
                    reading.right += 1
                elif got is None:
                    reading.unread.append((table, row, column))
                else:
                    reading.misread.append((table, row, column, want, got))
    return reading


def assert_read_as_printed(printed: AnnualReport, result: ParseResult) -> None:
    """The parse read a report and every cell of it as ``printed`` has it."""
    assert result.report is not None, result.reason
    reading = read_cells(printed, result.report.tables)
    assert (reading.misread, reading.unread) == ([], [])
