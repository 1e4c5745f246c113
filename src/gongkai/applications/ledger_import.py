"""Import of a unit's existing Excel ledger (台账) of applications.

Clerks keep ledgers in many shapes: a merged title row, the header on row 2 or 3, dates typed as
``2024年3月5日`` or ``2024.3.5``, blank rows between months. The import therefore works in two
steps, as the clerk sees them:

1. :func:`ledger_preview` finds the header row, proposes which column holds which field and
   shows the first rows, so the clerk can correct the mapping;
2. :func:`ledger_import` reads every row with that mapping. Any row that cannot be read — an
   unknown channel, an unreadable date, a result that is not a table 三 row — is reported with
   its row number, column, value and what is wrong, and then **nothing** is imported. Otherwise
   every case is registered and, when the ledger records a result, decided and replied through
   the real services, in one transaction, so its clock, events and result are those of any
   other case.

Limits are checked before the workbook is parsed: ``.xlsx`` only, at most 10 MB and 20,000 rows.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.datetime import from_excel  # type: ignore[import-untyped]

from gongkai.agencies.gatekeeper import Action, require
from gongkai.agencies.models import Unit
from gongkai.applications import services
from gongkai.applications.models import (
    Application,
    Delivery,
    IdDocument,
    result_label,
    result_rows,
)
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import APPLICANT_COLUMNS, format_for_year
from gongkai.core.law import CHANNEL_LABELS, RECEIPT_RULES, Channel, ReceiptRule
from gongkai.core.results import default_legal_basis

MAX_BYTES: Final = 10 * 1024 * 1024
MAX_ROWS: Final = 20_000
HEADER_SCAN_ROWS: Final = 10
PREVIEW_ROWS: Final = 5
MAX_REPORTED_ERRORS: Final = 200


class Field(enum.StrEnum):
    APPLICANT_NAME = "applicant_name"
    ID_NUMBER = "id_document_number"
    APPLICANT_TYPE = "applicant_type"
    CHANNEL = "channel"
    RECEIVED_ON = "received_on"
    DESCRIPTION = "description"
    PHONE = "phone"
    ADDRESS = "address"
    RESULT = "result"
    REPLIED_ON = "replied_on"
    DELIVERY = "delivery"

    @property
    def label(self) -> str:
        return FIELD_LABELS[self]


FIELD_LABELS: Final[dict[Field, str]] = {
    Field.APPLICANT_NAME: "申请人",
    Field.ID_NUMBER: "证件号码",
    Field.APPLICANT_TYPE: "申请人类型",
    Field.CHANNEL: "申请渠道",
    Field.RECEIVED_ON: "申请（收到）日期",
    Field.DESCRIPTION: "申请内容",
    Field.PHONE: "联系电话",
    Field.ADDRESS: "通信地址",
    Field.RESULT: "办理结果",
    Field.REPLIED_ON: "答复日期",
    Field.DELIVERY: "送达方式",
}
REQUIRED: Final = (
    Field.APPLICANT_NAME,
    Field.ID_NUMBER,
    Field.APPLICANT_TYPE,
    Field.CHANNEL,
    Field.RECEIVED_ON,
    Field.DESCRIPTION,
)
# Header words seen in clerks' ledgers; the longest word found in a header cell decides.
HEADER_WORDS: Final[dict[Field, tuple[str, ...]]] = {
    Field.APPLICANT_NAME: ("申请人", "申请人姓名", "申请人名称", "姓名", "姓名或名称"),
    Field.ID_NUMBER: ("证件号码", "身份证号", "身份证号码", "身份证明号码", "统一社会信用代码"),
    Field.APPLICANT_TYPE: ("申请人类型", "申请人类别", "申请人性质", "申请主体类型"),
    Field.CHANNEL: ("渠道", "申请渠道", "申请方式", "提交方式", "受理方式", "来源"),
    Field.RECEIVED_ON: ("申请日期", "收到日期", "收件日期", "受理日期", "登记日期", "申请时间"),
    Field.DESCRIPTION: ("申请内容", "申请公开内容", "所需信息", "申请事项", "信息名称"),
    Field.PHONE: ("联系电话", "电话", "联系方式"),
    Field.ADDRESS: ("通信地址", "地址", "联系地址"),
    Field.RESULT: ("办理结果", "答复结果", "处理结果", "答复类型", "办理情况"),
    Field.REPLIED_ON: ("答复日期", "办结日期", "答复时间", "回复日期"),
    Field.DELIVERY: ("送达方式", "答复方式", "送达"),
}
# Ledger words for channels, checked in this order (平信 before 信函, 电子邮件 before 邮件…).
# A plain "信函/邮寄" is taken as mail that was signed for, the usual way letters reach an office.
CHANNEL_WORDS: Final[tuple[tuple[str, Channel], ...]] = (
    ("平信", Channel.ORDINARY_MAIL),
    ("电子邮件", Channel.EMAIL),
    ("邮箱", Channel.EMAIL),
    ("EMAIL", Channel.EMAIL),
    ("传真", Channel.FAX),
    ("口头", Channel.ORAL),
    ("挂号", Channel.REGISTERED_MAIL),
    ("EMS", Channel.REGISTERED_MAIL),
    ("快递", Channel.REGISTERED_MAIL),
    ("邮寄", Channel.REGISTERED_MAIL),
    ("信函", Channel.REGISTERED_MAIL),
    ("当面", Channel.IN_PERSON),
    ("现场", Channel.IN_PERSON),
    ("窗口", Channel.IN_PERSON),
    ("网", Channel.ONLINE),
    ("在线", Channel.ONLINE),
    ("平台", Channel.ONLINE),
)
APPLICANT_TYPE_WORDS: Final[dict[str, str]] = {
    **{column.label: column.code for column in APPLICANT_COLUMNS},
    "个人": "natural_person",
    "公民": "natural_person",
    "企业": "commercial",
    "公司": "commercial",
    "其他组织": "other_org",
}


class LedgerError(GongkaiError):
    """The workbook cannot be read at all (type, size, rows, no header), in Chinese."""


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
class Preview:
    sheet: str
    header_row: int  # Excel row number
    headers: list[str]
    mapping: dict[Field, int]  # field → 0-based column index
    rows: list[list[str]]  # the first data rows as text
    data_rows: int  # non-blank rows below the header
    missing: list[Field] = field(default_factory=list)  # required fields without a column


@dataclass(frozen=True, slots=True)
class ImportResult:
    applications: list[Application]
    decided: int
    open: int


# ---------------------------------------------------------------------------------------------
# Reading the workbook
# ---------------------------------------------------------------------------------------------


def _read(data: bytes, filename: str) -> tuple[str, list[tuple[Any, ...]]]:
    """The first worksheet's rows, after the type, size and row limits are checked."""
    if not filename.lower().endswith(".xlsx"):
        raise LedgerError(
            f"文件“{filename}”不是 Excel 工作簿（.xlsx）；旧版 .xls 或 WPS 表格请先另存为 .xlsx"
        )
    if len(data) > MAX_BYTES:
        raise LedgerError(
            f"文件“{filename}”大小为 {len(data) / 1024 / 1024:.1f} MB，"
            f"超过上限 {MAX_BYTES // 1024 // 1024} MB，请拆分后分批导入"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise LedgerError(f"文件“{filename}”不是有效的 .xlsx 文件（内容不是 Excel 工作簿格式）")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged package
        raise LedgerError(f"无法打开 Excel 文件“{filename}”：{error}") from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[tuple[Any, ...]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(tuple(row))
            if len(rows) > MAX_ROWS + HEADER_SCAN_ROWS:
                raise LedgerError(f"工作表“{sheet.title}”超过 {MAX_ROWS} 行，请拆分后分批导入")
        title = sheet.title
    finally:
        workbook.close()
    while rows and _blank(rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise LedgerError(f"工作表“{title}”共 {len(rows)} 行，超过 {MAX_ROWS} 行，请拆分后分批导入")
    return title, rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _blank(row: Sequence[Any]) -> bool:
    return all(_text(v) == "" for v in row)


_SPACE: Final = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _SPACE.sub("", text).upper()


def _field_of(header: str) -> Field | None:
    text = _norm(header)
    best: tuple[int, Field] | None = None
    for candidate, words in HEADER_WORDS.items():
        for word in words:
            if word in text and (best is None or len(word) > best[0]):
                best = (len(word), candidate)
    return best[1] if best else None


def _propose(headers: Sequence[str]) -> dict[Field, int]:
    mapping: dict[Field, int] = {}
    for index, header in enumerate(headers):
        found = _field_of(header)
        if found is not None and found not in mapping:
            mapping[found] = index
    return mapping


def _header_row(rows: Sequence[Sequence[Any]]) -> int:
    """0-based index of the row naming the most fields among the first rows."""
    best, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = len(_propose([_text(v) for v in row]))
        if score > best_score:
            best, best_score = index, score
    if best_score < 3:
        raise LedgerError(
            f"在前 {HEADER_SCAN_ROWS} 行中没有找到表头行"
            "（至少应有“申请人”“申请日期”“申请内容”等列名）"
        )
    return best


def ledger_preview(*, user: Any, unit: Unit, data: bytes, filename: str) -> Preview:
    """The detected header, the proposed column mapping and the first rows of a ledger."""
    require(user, Action.REGISTER, unit)
    sheet, rows = _read(data, filename)
    header = _header_row(rows)
    headers = [_text(v) for v in rows[header]]
    mapping = _propose(headers)
    body = [r for r in rows[header + 1 :] if not _blank(r)]
    return Preview(
        sheet=sheet,
        header_row=header + 1,
        headers=headers,
        mapping=mapping,
        rows=[[_text(v) for v in r] for r in body[:PREVIEW_ROWS]],
        data_rows=len(body),
        missing=[f for f in REQUIRED if f not in mapping],
    )


# ---------------------------------------------------------------------------------------------
# Reading one row
# ---------------------------------------------------------------------------------------------

_DATE_PATTERNS: Final = (
    re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
DATE_FORMATS_HINT: Final = "可用格式：2024年3月5日、2024.3.5、2024-03-05、2024/3/5"


def parse_date(value: Any) -> dt.date:
    """A ledger date: an Excel date cell, an Excel serial number or common Chinese writings."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:  # an Excel serial date (1954–2119) stored as a number
            converted = from_excel(value)
            if isinstance(converted, dt.datetime):
                return converted.date()
        raise ValueError(f"数字 {_text(value)} 不是日期；{DATE_FORMATS_HINT}")
    text = _SPACE.sub("", str(value or "")).replace("．", ".").replace("－", "-")
    text = re.sub(r"(\d)(号)$", r"\1", text)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"{year}年{month}月{day}日不是有效日期") from None
    raise ValueError(f"日期无法识别；{DATE_FORMATS_HINT}")


def parse_channel(value: str) -> Channel:
    text = _norm(value)
    for channel, label in CHANNEL_LABELS.items():
        if text == _norm(label) or text == channel.value.upper():
            return channel
    for word, channel in CHANNEL_WORDS:
        if word in text:
            return channel
    allowed = "、".join(CHANNEL_LABELS.values())
    raise ValueError(f"未知的申请渠道；可选：{allowed}")


def parse_applicant_type(value: str) -> str:
    text = _norm(value)
    if text in APPLICANT_TYPE_WORDS:
        return APPLICANT_TYPE_WORDS[text]
    if text in ("法人或其他组织", "法人"):
        raise ValueError("“法人或其他组织”不是表三的一列，请写明商业企业、科研机构等具体类别")
    allowed = "、".join(c.label for c in APPLICANT_COLUMNS)
    raise ValueError(f"申请人类型不是表三的申请人列；可选：{allowed}")


_NUMBERING: Final = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
_PUNCT: Final = re.compile(r"[\s“”\"'‘’：:、，,。．.（）()\-—_/]+")


def _result_key(text: str) -> str:
    text = _SPACE.sub("", text)
    text = _NUMBERING.sub("", text)
    return _PUNCT.sub("", text)


def _result_index(year: int) -> tuple[dict[str, str], dict[str, str]]:
    """Ledger spelling → result code, and group names → their rows' labels (for messages)."""
    index: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for row, group in result_rows(format_for_year(year).table3):
        names = {row.label, row.name, result_label(row, group)}
        if group is not None:
            bare = _NUMBERING.sub("", row.label)
            names |= {bare, f"{group.name}{bare}", f"{group.name}-{bare}"}
            groups.setdefault(_result_key(group.name), []).append(result_label(row, group))
        for name in names:
            index[_result_key(name)] = row.code
    return index, {k: "、".join(v) for k, v in groups.items()}


_NOT_FROM_LEDGER: Final = {
    "other.no_correction": "须有补正告知和补正期限的记录",
    "other.fee_unpaid": "须有收费通知的记录",
}


def parse_result(value: str, year: int) -> str:
    index, groups = _result_index(year)
    key = _result_key(value)
    if key in groups:
        raise ValueError(f"“{value}”只写了类别，请写明具体情形，可选：{groups[key]}")
    code = index.get(key)
    if code is None:
        raise ValueError(f"办理结果不是{year}年适用的年度报告格式表三中的办理结果行")
    if code in _NOT_FROM_LEDGER:
        raise ValueError(
            f"该结果{_NOT_FROM_LEDGER[code]}，无法仅凭台账导入；请删去该行的办理结果，"
            "导入后在系统中办理“逾期未补正”或“逾期未缴费”"
        )
    return code


def parse_delivery(value: str) -> str:
    text = _norm(value)
    for choice in Delivery:
        if text == _norm(str(choice.label)) or str(choice.label) in text:
            return str(choice.value)
    if "邮" in text and "电子" not in text:
        return str(Delivery.POST.value)
    allowed = "、".join(str(label) for label in Delivery.labels)
    raise ValueError(f"未知的送达方式；可选：{allowed}")


@dataclass(frozen=True, slots=True)
class LedgerRow:
    row: int
    values: dict[Field, Any]
    raw: dict[Field, str]  # the cells as the ledger shows them, for error messages


def _id_document(number: str, applicant_type: str) -> str:
    if re.fullmatch(r"\d{17}[\dX]", number):
        if applicant_type == "natural_person":
            return str(IdDocument.RESIDENT_ID.value)
        return str(IdDocument.CREDIT_CODE.value)
    if re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", number):
        return str(IdDocument.CREDIT_CODE.value)
    return str(IdDocument.OTHER.value)


def _parse_rows(
    rows: Sequence[Sequence[Any]], header: int, headers: Sequence[str], mapping: Mapping[Field, int]
) -> tuple[list[LedgerRow], list[RowError]]:
    parsed: list[LedgerRow] = []
    errors: list[RowError] = []
    for offset, raw in enumerate(rows[header + 1 :]):
        number = header + 2 + offset
        if _blank(raw):
            continue
        cells = {f: (raw[i] if i < len(raw) else None) for f, i in mapping.items()}
        values: dict[Field, Any] = {}

        def fail(
            f: Field, problem: str, *, at: int = number, cells: dict[Field, Any] = cells
        ) -> None:
            errors.append(RowError(at, headers[mapping[f]] or f.label, _text(cells[f]), problem))

        for f in REQUIRED:
            if _text(cells[f]) == "":
                fail(f, f"{f.label}不能为空")
        for f, parse in (
            (Field.CHANNEL, parse_channel),
            (Field.APPLICANT_TYPE, parse_applicant_type),
        ):
            if _text(cells[f]):
                try:
                    values[f] = parse(_text(cells[f]))
                except ValueError as error:
                    fail(f, str(error))
        for f in (Field.RECEIVED_ON, Field.REPLIED_ON):
            if f in cells and _text(cells[f]):
                try:
                    values[f] = parse_date(cells[f])
                except ValueError as error:
                    fail(f, str(error))
        if Field.DELIVERY in cells and _text(cells[Field.DELIVERY]):
            try:
                values[Field.DELIVERY] = parse_delivery(_text(cells[Field.DELIVERY]))
            except ValueError as error:
                fail(Field.DELIVERY, str(error))
        result_text = _text(cells.get(Field.RESULT))
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
            if Field.REPLIED_ON not in cells or not _text(cells[Field.REPLIED_ON]):
                if Field.REPLIED_ON in mapping:
                    fail(Field.REPLIED_ON, "已填写办理结果，但缺少答复日期")
                else:
                    fail(Field.RESULT, "已填写办理结果，但台账没有“答复日期”列")
        elif Field.REPLIED_ON in cells and _text(cells[Field.REPLIED_ON]):
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
                values[f] = _text(cells[f])
        parsed.append(LedgerRow(number, values, {f: _text(c) for f, c in cells.items()}))
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
    _, rows = _read(data, filename)
    header = _header_row(rows) if header_row is None else header_row - 1
    if not 0 <= header < len(rows):
        raise LedgerError(f"表头行号 {header_row} 超出台账范围（共 {len(rows)} 行）")
    headers = [_text(v) for v in rows[header]]
    width = max(len(r) for r in rows)
    headers += [""] * (width - len(headers))
    fields = _check_mapping(mapping if mapping is not None else _propose(headers), width)
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
            id_document_type=_id_document(v[Field.ID_NUMBER].upper(), v[Field.APPLICANT_TYPE]),
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
