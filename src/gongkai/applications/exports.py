"""Excel (.xlsx) exports of case lists, for offices that still file a ledger.

The views pass rows they fetched through the gatekeeper; this module only lays them out.
Workbooks are written in openpyxl's write-only mode, so a search over tens of thousands of cases
streams rows instead of holding every cell object in memory.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Final

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]

from gongkai.applications.models import Application
from gongkai.applications.selectors import CaseRow
from gongkai.applications.worklists import SearchRow
from gongkai.core.masking import mask_id_number, mask_in_text, mask_phone

XLSX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_HEADER_FONT: Final = Font(bold=True)
_HEADER_FILL: Final = PatternFill("solid", fgColor="EEF1F5")
_OVERDUE_FILL: Final = PatternFill("solid", fgColor="FDE8E8")
_SOON_FILL: Final = PatternFill("solid", fgColor="FEF3C7")

Cell = str | int | dt.date | None

# What a due date counted over a year whose holiday notice is not yet entered says in a sheet.
PROVISIONAL: Final = "暂定"


def _sheet(
    workbook: Workbook, title: str, headers: Sequence[tuple[str, int]]
) -> WriteOnlyWorksheet:
    sheet: WriteOnlyWorksheet = workbook.create_sheet(title)
    for index, (_, width) in enumerate(headers):
        sheet.column_dimensions[get_column_letter(index + 1)].width = width
    sheet.freeze_panes = "A2"
    cells = []
    for header, _ in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cells.append(cell)
    sheet.append(cells)
    return sheet


def _row(sheet: WriteOnlyWorksheet, values: Sequence[Cell], fill: PatternFill | None) -> None:
    cells = []
    for raw in values:
        # Applicants type these texts: drop control characters Excel cannot store, and never
        # let a leading "=" become a formula (spreadsheet injection).
        value = ILLEGAL_CHARACTERS_RE.sub("", raw) if isinstance(raw, str) else raw
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        if isinstance(value, str) and len(value) > 30:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if fill is not None:
            cell.fill = fill
        cells.append(cell)
    sheet.append(cells)


PERSONAL_HEADERS: Final = (("身份证明号码", 22), ("联系电话", 16))


def _personal(app: Application, unmasked: frozenset[int]) -> tuple[str, str]:
    """The applicant's ID and phone numbers: in full only for a unit in ``unmasked`` (an
    export its 负责人 asked for with a reason, logged by the view), masked otherwise."""
    if app.unit_id in unmasked:
        return app.id_document_number, app.phone
    return mask_id_number(app.id_document_number), mask_phone(app.phone)


def _description(app: Application, unmasked: frozenset[int]) -> str:
    """The request as the applicant wrote it, masked as :func:`_personal` masks: applicants
    often quote their own ID or phone number in it."""
    if app.unit_id in unmasked:
        return app.description
    return mask_in_text(app.description, id_number=app.id_document_number, phone=app.phone)


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


OPEN_CASE_HEADERS: Final = (
    ("受理编号", 20),
    ("受理单位", 24),
    ("申请人", 16),
    ("申请人类型", 12),
    ("申请方式", 14),
    ("收到申请日期", 13),
    ("办理状态", 18),
    ("答复期限", 13),
    ("期限暂定", 10),
    ("剩余工作日", 11),
    ("提醒", 10),
    ("所需信息", 50),
    *PERSONAL_HEADERS,
)


def open_cases_workbook(
    rows: Iterable[CaseRow], *, today: dt.date, unmasked: frozenset[int] = frozenset()
) -> bytes:
    """The clerk's open cases as on the screen: most urgent first, overdue and due soon coloured
    and also spelled out (a printed sheet loses the colours); a due date counted over a year
    whose holiday notice is not yet entered says 暂定 in its own column."""
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, f"未办结案件（{today.isoformat()}）", OPEN_CASE_HEADERS)
    for row in rows:
        app = row.application
        flag = "已超期" if row.overdue else ("即将到期" if row.due_soon else "")
        fill = _OVERDUE_FILL if row.overdue else (_SOON_FILL if row.due_soon else None)
        _row(
            sheet,
            (
                app.tracking_number,
                app.unit.name,
                app.applicant_name,
                app.get_applicant_type_display(),
                app.get_channel_display(),
                app.received_on,
                row.status_label if not row.error else f"无法计算期限：{row.error}",
                row.due,
                PROVISIONAL if row.provisional.due else "",
                row.days_left,
                flag,
                _description(app, unmasked),
                *_personal(app, unmasked),
            ),
            fill,
        )
    return _save(workbook)


SEARCH_HEADERS: Final = (
    ("受理编号", 20),
    ("受理单位", 24),
    ("申请人", 16),
    ("申请人类型", 12),
    ("申请方式", 14),
    ("收到申请日期", 13),
    ("办理状态", 18),
    ("答复期限", 13),
    ("期限暂定", 10),
    ("办理结果", 40),
    ("决定日期", 13),
    ("办结日期", 13),
    ("所需信息", 50),
    *PERSONAL_HEADERS,
)


def applications_workbook(
    rows: Iterable[SearchRow], *, title: str, unmasked: frozenset[int] = frozenset()
) -> bytes:
    """Any list of cases (search results) with their stored status and result."""
    workbook = Workbook(write_only=True)
    sheet = _sheet(workbook, title[:31], SEARCH_HEADERS)
    for row in rows:
        app = row.application
        _row(
            sheet,
            (
                app.tracking_number,
                app.unit.name,
                app.applicant_name,
                app.get_applicant_type_display(),
                app.get_channel_display(),
                app.received_on,
                app.get_status_display(),
                app.due_date,
                PROVISIONAL if row.due_provisional else "",
                app.get_result_display() if app.result else "",
                app.decided_on,
                app.closed_on,
                _description(app, unmasked),
                *_personal(app, unmasked),
            ),
            None,
        )
    return _save(workbook)
