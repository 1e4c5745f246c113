"""The import service: preview a ledger, then import every row through the real services, or
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from gongkai.agencies.gatekeeper import Action, require
from gongkai.agencies.models import Unit
from gongkai.applications import services
from gongkai.applications.ledger_import.cells import (
    cell_text,
    id_document,
    parse_applicant_type,
    parse_channel,
    parse_date,
    parse_delivery,
    parse_result,
)
from gongkai.applications.ledger_import.workbook import (
    PREVIEW_ROWS,
    REQUIRED,
    Field,
    LedgerError,
    Preview,
    blank,
    find_header_row,
    propose,
    read_rows,
)
from gongkai.applications.models import Application
from gongkai.core.errors import GongkaiError
from gongkai.core.law import RECEIPT_RULES, Channel, ReceiptRule
from gongkai.core.results import default_legal_basis

MAX_REPORTED_ERRORS: Final = 200


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # the Excel row number the clerk sees
    column: str  # the column's header in the ledger (or "整行")
    value: str
    problem: str

    def __str__(self) -> str:
        shown = f"“{self.value}”" if self.value else "（空）"
        return f"第 {self.row} 行“{self.column}”列 {shown}：{self.problem}"


class LedgerImportError(GongkaiError):
    """Some rows cannot be imported; nothing was. ``errors`` lists every problem found."""

    def __init__(self, errors: Sequence[RowError], rows: int) -> None:
        self.errors = list(errors)
        shown = "；".join(str(e) for e in self.errors[:20])
        more = f"；另有 {len(self.errors) - 20} 处问题" if len(self.errors) > 20 else ""
        super().__init__(
            f"台账共 {rows} 行数据，发现 {len(self.errors)} 处问题，未导入任何申请。{shown}{more}"
        )


@dataclass(frozen=True, slots=True)
class ImportResult:
    applications: list[Application]
    decided: int
    open: int


def ledger_preview(*, user: Any, unit: Unit, data: bytes, filename: str) -> Preview:
    """The detected header, the proposed column mapping and the first rows of a ledger."""
    require(user, Action.REGISTER, unit)
    sheet, rows = read_rows(data, filename)
    header = find_header_row(rows)
    headers = [cell_text(v) for v in rows[header]]
    mapping = propose(headers)
    body = [r for r in rows[header + 1 :] if not blank(r)]
    return Preview(
        sheet=sheet,
        header_row=header + 1,
        headers=headers,
        mapping=mapping,
        rows=[[cell_text(v) for v in r] for r in body[:PREVIEW_ROWS]],
        data_rows=len(body),
        missing=[f for f in REQUIRED if f not in mapping],
    )


@dataclass(frozen=True, slots=True)
class LedgerRow:
    row: int
    values: dict[Field, Any]
    raw: dict[Field, str]  # the cells as the ledger shows them, for error messages


def _parse_rows(
    rows: Sequence[Sequence[Any]], header: int, headers: Sequence[str], mapping: Mapping[Field, int]
) -> tuple[list[LedgerRow], list[RowError]]:
    parsed: list[LedgerRow] = []
    errors: list[RowError] = []
    for offset, raw in enumerate(rows[header + 1 :]):
        number = header + 2 + offset
        if blank(raw):
            continue
        cells = {f: (raw[i] if i < len(raw) else None) for f, i in mapping.items()}
        values: dict[Field, Any] = {}

        def fail(
            f: Field, problem: str, *, at: int = number, cells: dict[Field, Any] = cells
        ) -> None:
            errors.append(
                RowError(at, headers[mapping[f]] or f.label, cell_text(cells[f]), problem)
            )

        for f in REQUIRED:
            if cell_text(cells[f]) == "":
                fail(f, f"{f.label}不能为空")
        for f, parse in (
            (Field.CHANNEL, parse_channel),
            (Field.APPLICANT_TYPE, parse_applicant_type),
        ):
            if cell_text(cells[f]):
                try:
                    values[f] = parse(cell_text(cells[f]))
                except ValueError as error:
                    fail(f, str(error))
        for f in (Field.RECEIVED_ON, Field.REPLIED_ON):
            if f in cells and cell_text(cells[f]):
                try:
                    values[f] = parse_date(cells[f])
                except ValueError as error:
                    fail(f, str(error))
        if Field.DELIVERY in cells and cell_text(cells[Field.DELIVERY]):
            try:
                values[Field.DELIVERY] = parse_delivery(cell_text(cells[Field.DELIVERY]))
            except ValueError as error:
                fail(Field.DELIVERY, str(error))
        result_text = cell_text(cells.get(Field.RESULT))
        if result_text:
            year = (
                values.get(Field.REPLIED_ON)
                or values.get(Field.RECEIVED_ON)
                or timezone.localdate()
            ).year
            try:
                values[Field.RESULT] = parse_result(result_text, year)
            except (ValueError, GongkaiError) as error:
                fail(Field.RESULT, str(error))
            if Field.REPLIED_ON not in cells or not cell_text(cells[Field.REPLIED_ON]):
                if Field.REPLIED_ON in mapping:
                    fail(Field.REPLIED_ON, "已填写办理结果，但缺少答复日期")
                else:
                    fail(Field.RESULT, "已填写办理结果，但台账没有“答复日期”列")
        elif Field.REPLIED_ON in cells and cell_text(cells[Field.REPLIED_ON]):
            if Field.RESULT in mapping:
                fail(Field.RESULT, "已填写答复日期，但缺少办理结果（须为表三的一个办理结果行）")
            else:
                fail(Field.REPLIED_ON, "已填写答复日期，但台账没有“办理结果”列")
        for f in (
            Field.APPLICANT_NAME,
            Field.ID_NUMBER,
            Field.DESCRIPTION,
            Field.PHONE,
            Field.ADDRESS,
        ):
            if f in cells:
                values[f] = cell_text(cells[f])
        parsed.append(LedgerRow(number, values, {f: cell_text(c) for f, c in cells.items()}))
    return parsed, errors


def _check_mapping(
    mapping: Mapping[str, int] | Mapping[Field, int], width: int
) -> dict[Field, int]:
    checked: dict[Field, int] = {}
    for key, index in mapping.items():
        try:
            f = Field(str(key))
        except ValueError:
            raise LedgerError(f"未知的导入字段 {key!r}") from None
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < width:
            raise LedgerError(f"“{f.label}”对应的列号 {index!r} 不在台账的 {width} 列之内")
        checked[f] = index
    missing = [f.label for f in REQUIRED if f not in checked]
    if missing:
        raise LedgerError(f"台账缺少必填列：{'、'.join(missing)}；请在列对应关系中指定")
    return checked


# ---------------------------------------------------------------------------------------------
# Importing
# ---------------------------------------------------------------------------------------------


def ledger_import(
    *,
    acting_user: Any,
    unit: Unit,
    data: bytes,
    filename: str,
    mapping: Mapping[str, int] | Mapping[Field, int] | None = None,
    header_row: int | None = None,
) -> ImportResult:
    """Import every row of the ledger into ``unit``, or nothing.

    ``header_row`` (Excel numbering) and ``mapping`` (field → 0-based column) are what the clerk
    confirmed in the preview; left out, the detected ones are used. Raises :class:`LedgerError`
    for a file that cannot be read and :class:`LedgerImportError` listing every bad row.
    """
    require(acting_user, Action.REGISTER, unit)
    _, rows = read_rows(data, filename)
    header = find_header_row(rows) if header_row is None else header_row - 1
    if not 0 <= header < len(rows):
        raise LedgerError(f"表头行号 {header_row} 超出台账范围（共 {len(rows)} 行）")
    headers = [cell_text(v) for v in rows[header]]
    width = max(len(r) for r in rows)
    headers += [""] * (width - len(headers))
    fields = _check_mapping(mapping if mapping is not None else propose(headers), width)
    parsed, errors = _parse_rows(rows, header, headers, fields)
    if errors:
        raise LedgerImportError(errors[:MAX_REPORTED_ERRORS], len(parsed))
    if not parsed:
        raise LedgerError("台账表头下没有任何数据行")
    return _write(acting_user, unit, parsed, headers, fields)


@transaction.atomic
def _write(
    acting_user: Any,
    unit: Unit,
    parsed: Sequence[LedgerRow],
    headers: Sequence[str],
    fields: Mapping[Field, int],
) -> ImportResult:
    created: list[Application] = []
    errors: list[RowError] = []
    for ledger_row in parsed:
        application, problems = _import_row(acting_user, unit, ledger_row, headers, fields)
        errors.extend(problems)
        if application is not None:
            created.append(application)
    if errors:
        # Raising inside the transaction undoes every row already written.
        raise LedgerImportError(errors[:MAX_REPORTED_ERRORS], len(parsed))
    decided = sum(1 for application in created if application.result)
    return ImportResult(applications=created, decided=decided, open=len(created) - decided)


def _import_row(
    acting_user: Any,
    unit: Unit,
    ledger_row: LedgerRow,
    headers: Sequence[str],
    fields: Mapping[Field, int],
) -> tuple[Application | None, list[RowError]]:
    v = ledger_row.values

    def error(f: Field, problem: str) -> RowError:
        text = ledger_row.raw.get(f, "")
        return RowError(
            ledger_row.row, headers[fields[f]] if f in fields else f.label, text, problem
        )

    channel: Channel = v[Field.CHANNEL]
    received: dt.date = v[Field.RECEIVED_ON]
    rule = RECEIPT_RULES[channel]
    try:
        application = services.application_register(
            acting_user=acting_user,
            unit=unit,
            channel=channel,
            applicant_type=v[Field.APPLICANT_TYPE],
            applicant_name=v[Field.APPLICANT_NAME],
            id_document_type=id_document(v[Field.ID_NUMBER].upper(), v[Field.APPLICANT_TYPE]),
            id_document_number=v[Field.ID_NUMBER],
            description=v[Field.DESCRIPTION],
            submitted_on=received,
            # The ledger's date is the receipt date; the channel's Article 31 event is that day.
            signed_for_on=received if rule is ReceiptRule.SIGNED_FOR else None,
            confirmed_on=received if rule is ReceiptRule.CONFIRMED else None,
            phone=v.get(Field.PHONE, ""),
            address=v.get(Field.ADDRESS, ""),
        )
    except GongkaiError as problem:
        return None, [error(Field.RECEIVED_ON, str(problem))]
    result = v.get(Field.RESULT)
    if result is None:
        return application, []
    replied: dt.date = v[Field.REPLIED_ON]
    try:
        application = services.application_decide(
            acting_user=acting_user,
            application_id=application.pk,
            expected_version=application.version,
            result=result,
            legal_basis=default_legal_basis(result),
            on=replied,
        )
        application = services.application_send_reply(
            acting_user=acting_user,
            application_id=application.pk,
            expected_version=application.version,
            delivery=v.get(Field.DELIVERY) or application.delivery,
            note="由台账导入" + ("" if Field.DELIVERY in v else "，台账未记载送达方式"),
            on=replied,
        )
    except GongkaiError as problem:
        return None, [error(Field.REPLIED_ON, str(problem))]
    return application, []
