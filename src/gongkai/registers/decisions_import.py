"""Import a year's monthly decision counts (行政许可, 行政处罚, 行政强制) from an Excel workbook.

The expected sheet is the one offices keep anyway: a header row with 月份 and one column per kind,
then one row per month (``1``, ``1月``, ``2021-01``, ``2021年1月`` or a date). A blank cell is
"not entered" and leaves the register as it is; a 合计 row is skipped. Every row is checked before
anything is written, and all of it is written in one transaction: a workbook with a single bad
cell changes nothing, and the message names the row and column at fault.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from django.db import transaction

from gongkai.agencies.gatekeeper import Action, require
from gongkai.agencies.models import Unit
from gongkai.applications.ledger_import.workbook import read_rows
from gongkai.registers import events
from gongkai.registers.events import CountsImported
from gongkai.registers.models import DECISION_KIND_CHOICES, RegisterEventKind
from gongkai.registers.services import RegisterError, decision_count_write

MONTH_HEADER: Final = "月份"
HEADER_SCAN_ROWS: Final = 10
_TOTAL_ROWS: Final = ("合计", "总计", "小计")
_MONTH_PATTERNS: Final = (
    re.compile(r"^(?P<month>\d{1,2})(?:月(?:份)?)?$"),
    re.compile(r"^(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*(?:月(?:份)?)?$"),
)


@dataclass(frozen=True, slots=True)
class ImportResult:
    saved: int  # cells written (new or corrected)
    months: tuple[int, ...]  # months that had at least one cell


def _text(value: Any) -> str:
    return "" if value is None else "".join(str(value).split())


def _header(rows: list[tuple[Any, ...]]) -> tuple[int, int, dict[str, int]]:
    labels = {label: kind for kind, label in DECISION_KIND_CHOICES}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        texts = [_text(cell) for cell in row]
        if MONTH_HEADER not in texts:
            continue
        columns = {labels[t]: i for i, t in enumerate(texts) if t in labels}
        if columns:
            return index, texts.index(MONTH_HEADER), columns
    wanted = "、".join(label for _, label in DECISION_KIND_CHOICES)
    raise RegisterError(
        f"前 {HEADER_SCAN_ROWS} 行中没有找到表头：需要“{MONTH_HEADER}”列和“{wanted}”中至少一列"
    )


def _month(value: Any, year: int, where: str) -> int:
    if isinstance(value, dt.date):
        found_year, month = value.year, value.month
    elif isinstance(value, int) and not isinstance(value, bool):
        found_year, month = year, value
    else:
        text = _text(value)
        match = next((m for p in _MONTH_PATTERNS if (m := p.match(text))), None)
        if match is None:
            raise RegisterError(f"{where}的月份“{value}”无法识别，请填写 1–12 或 {year}-01 的形式")
        month = int(match["month"])
        found_year = int(match.groupdict().get("year") or year)
    if found_year != year:
        raise RegisterError(f"{where}的月份属于 {found_year} 年，不是导入的 {year} 年度")
    if not 1 <= month <= 12:
        raise RegisterError(f"{where}的月份 {month} 无效，应为 1–12")
    return month


def _count(value: Any, where: str) -> int | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, bool):
        raise RegisterError(f"{where}不是数量：{value!r}")
    try:
        number = Decimal(_text(value).replace(",", "").removesuffix("件"))
    except ArithmeticError:
        raise RegisterError(f"{where}“{value}”不是数量") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise RegisterError(f"{where}“{value}”不是整数")
    if number < 0:
        raise RegisterError(f"{where}的数量不能为负数（{value}）")
    return int(number)


def parse_decision_workbook(data: bytes, filename: str, *, year: int) -> dict[tuple[int, str], int]:
    """(month, kind) → count for every non-blank cell; raises :class:`RegisterError` on the first
    bad cell, naming its row (as Excel numbers it) and column."""
    _, rows = read_rows(data, filename)
    header_index, month_column, columns = _header(rows)
    labels = dict(DECISION_KIND_CHOICES)
    found: dict[tuple[int, str], int] = {}
    seen: dict[int, int] = {}
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        line = index + 1
        month_cell = row[month_column] if month_column < len(row) else None
        if all(_text(cell) == "" for cell in row):
            continue
        if _text(month_cell) in _TOTAL_ROWS:
            continue
        month = _month(month_cell, year, f"第 {line} 行")
        if month in seen:
            raise RegisterError(f"第 {line} 行与第 {seen[month]} 行都是 {month} 月，请合并为一行")
        seen[month] = line
        for kind, column in columns.items():
            cell = row[column] if column < len(row) else None
            count = _count(cell, f"第 {line} 行“{labels[kind]}”列")
            if count is not None:
                found[(month, kind)] = count
    if not found:
        raise RegisterError(f"文件“{filename}”中没有任何月份的数量")
    return found


@transaction.atomic
def decision_counts_import(
    *, acting_user: Any, unit: Unit, year: int, data: bytes, filename: str
) -> ImportResult:
    """Parse the workbook, then write every cell it holds, all or nothing."""
    require(acting_user, Action.MANAGE_REGISTERS, unit)
    cells = parse_decision_workbook(data, filename, year=year)
    labels = dict(DECISION_KIND_CHOICES)
    written: list[tuple[int, str, str, str]] = []
    for (month, kind), count in sorted(cells.items()):
        _, before = decision_count_write(
            acting_user=acting_user, unit=unit, year=year, month=month, kind=kind, count=count
        )
        written.append((month, labels[kind], before, str(count)))
    # One event for the file: the import is one act, and each cell's previous count is kept.
    events.record(
        actor=acting_user,
        unit=unit,
        kind=RegisterEventKind.DECISION_COUNTS_IMPORTED,
        payload=CountsImported(filename=filename, year=year, cells=tuple(written)),
    )
    return ImportResult(saved=len(cells), months=tuple(sorted({m for m, _ in cells})))
