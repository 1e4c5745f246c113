"""The import service: preview a ledger, then import every row through the real services, or
nothing."""

from __future__ import annotations

import datetime as dt
import difflib
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any, Final

from django.db import transaction

from gongkai.agencies.gatekeeper import Action, applications_for, require
from gongkai.agencies.models import Unit
from gongkai.applications import services
from gongkai.applications.clock import deployment_clock_policy
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
from gongkai.applications.selectors import (
    DUPLICATE_SIMILARITY,
    DUPLICATE_WINDOW_DAYS,
    _normalise,
)
from gongkai.core.errors import GongkaiError
from gongkai.core.law import Channel, ReceiptRule, receipt_rule
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
class Duplicate:
    """A ledger row that repeats an existing case of the unit or an earlier row of the ledger."""

    row: int
    applicant: str
    description: str
    similarity: float
    existing: Application | None = None  # the case it repeats, or
    earlier_row: int | None = None  # the earlier row of the same ledger

    @property
    def repeats(self) -> str:
        if self.existing is not None:
            return f"已有案件 {self.existing.tracking_number}"
        return f"本台账第 {self.earlier_row} 行"

    def __str__(self) -> str:
        how = "相同" if self.similarity >= 1 else f"相似（相似度 {self.similarity:.0%}）"
        return f"第 {self.row} 行（{self.applicant}）与{self.repeats}{how}"


class OnDuplicate(enum.StrEnum):
    """What the clerk chose to do with :class:`Duplicate` rows."""

    SKIP = "skip"  # import none of them: not the rows of existing cases, each repeat row once
    IMPORT = "import"  # import them as new cases all the same


ON_DUPLICATE_LABELS: Final = {
    OnDuplicate.SKIP: "跳过重复的行：与已有案件重复的不导入，台账内重复的只导入第一行",
    OnDuplicate.IMPORT: "仍然全部作为新申请导入（确属同一申请人的不同申请时选择）",
}


@dataclass(frozen=True, slots=True)
class ImportResult:
    applications: list[Application]
    decided: int
    open: int
    skipped: list[Duplicate] = dataclass_field(default_factory=list)


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
    today = services._today()
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
            year = (values.get(Field.REPLIED_ON) or values.get(Field.RECEIVED_ON) or today).year
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
        for f, model_field in _TEXT_FIELDS.items():
            if f in cells:
                values[f] = cell_text(cells[f])
                limit = getattr(Application._meta.get_field(model_field), "max_length", None)
                if limit is not None and len(values[f]) > limit:
                    fail(f, f"{f.label}最多 {limit} 个字符，这里有 {len(values[f])} 个")
        _check_dates(values, fail, today)
        parsed.append(LedgerRow(number, values, {f: cell_text(c) for f, c in cells.items()}))
    return parsed, errors


# The ledger's text fields and the case fields they fill (whose length limits they must keep).
_TEXT_FIELDS: Final = {
    Field.APPLICANT_NAME: "applicant_name",
    Field.ID_NUMBER: "id_document_number",
    Field.DESCRIPTION: "description",
    Field.PHONE: "phone",
    Field.ADDRESS: "address",
}


def _check_dates(values: Mapping[Field, Any], fail: Any, today: dt.date) -> None:
    """The date problems the services would find only after every other error was fixed.

    Checked here, with the parse errors, so that the clerk sees every problem of every row in
    one pass instead of in rounds.
    """
    received: dt.date | None = values.get(Field.RECEIVED_ON)
    replied: dt.date | None = values.get(Field.REPLIED_ON)
    for f, day in ((Field.RECEIVED_ON, received), (Field.REPLIED_ON, replied)):
        if day is not None and day > today:
            fail(f, f"{f.label}（{day.isoformat()}）晚于今天（{today.isoformat()}），不能导入")
    if received is not None and replied is not None and replied < received:
        fail(
            Field.REPLIED_ON,
            f"答复日期（{replied.isoformat()}）早于收到日期（{received.isoformat()}）",
        )


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
    on_duplicate: OnDuplicate = OnDuplicate.SKIP,
) -> ImportResult:
    """Import every row of the ledger into ``unit``, or nothing.

    Rows that repeat an existing case of the unit or an earlier row (:func:`find_duplicates`)
    are skipped unless ``on_duplicate`` says to import them; so importing the same ledger twice
    adds nothing the second time.

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
    skipped: list[Duplicate] = []
    if on_duplicate is OnDuplicate.SKIP:
        skipped = find_duplicates(user=acting_user, unit=unit, rows=parsed)
        skip = {d.row for d in skipped}
        parsed = [r for r in parsed if r.row not in skip]
    result = _write(acting_user, unit, parsed, headers, fields)
    return ImportResult(result.applications, result.decided, result.open, skipped)


def ledger_duplicates(
    *,
    user: Any,
    unit: Unit,
    data: bytes,
    filename: str,
    mapping: Mapping[str, int] | Mapping[Field, int] | None = None,
    header_row: int | None = None,
) -> list[Duplicate]:
    """The rows that repeat a case or an earlier row, for the preview; ``[]`` while the mapping
    is incomplete (the rows cannot be read yet)."""
    require(user, Action.REGISTER, unit)
    _, rows = read_rows(data, filename)
    header = find_header_row(rows) if header_row is None else header_row - 1
    if not 0 <= header < len(rows):
        return []
    headers = [cell_text(v) for v in rows[header]]
    width = max(len(r) for r in rows)
    headers += [""] * (width - len(headers))
    try:
        fields = _check_mapping(mapping if mapping is not None else propose(headers), width)
    except LedgerError:
        return []
    parsed, _ = _parse_rows(rows, header, headers, fields)
    return find_duplicates(user=user, unit=unit, rows=parsed)


_DUPLICATE_FIELDS: Final = (
    "pk",
    "tracking_number",
    "applicant_name",
    "id_document_number",
    "description",
    "received_on",
)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def find_duplicates(*, user: Any, unit: Unit, rows: Sequence[LedgerRow]) -> list[Duplicate]:
    """The rows that repeat an existing case of ``unit`` or an earlier row of the ledger.

    The registration form's rule (``selectors.application_find_duplicates``): the same
    applicant (identity document number or name), received within
    :data:`DUPLICATE_WINDOW_DAYS` days, asking for something at least
    :data:`DUPLICATE_SIMILARITY` alike. The window counts either way here: an old ledger may
    be imported after the same application was registered live. One query for the cases.
    """
    readable = [r for r in rows if isinstance(r.values.get(Field.RECEIVED_ON), dt.date)]
    if not readable:
        return []
    window = dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    days = [r.values[Field.RECEIVED_ON] for r in readable]
    try:
        first, last = min(days) - window, max(days) + window
    except OverflowError:
        first, last = dt.date.min, dt.date.max
    by_person: dict[str, list[tuple[dt.date, str, Application | None, int | None]]] = {}

    def keys(name: str, number: str) -> list[str]:
        return [
            k for k in (f"id:{number.strip().upper()}", f"name:{name.strip()}") if k[3:] and k[5:]
        ]

    for case in (
        applications_for(user, Action.VIEW_CASES)
        .filter(unit=unit, received_on__gte=first, received_on__lte=last)
        .only(
            "pk",
            "tracking_number",
            "applicant_name",
            "id_document_number",
            "description",
            "received_on",
        )
    ):
        entry = (case.received_on, _normalise(case.description), case, None)
        for key in keys(case.applicant_name, case.id_document_number):
            by_person.setdefault(key, []).append(entry)
    found: list[Duplicate] = []
    for r in readable:
        name = str(r.values.get(Field.APPLICANT_NAME, ""))
        received: dt.date = r.values[Field.RECEIVED_ON]
        wanted = _normalise(str(r.values.get(Field.DESCRIPTION, "")))
        best: tuple[float, Application | None, int | None] | None = None
        for key in keys(name, str(r.values.get(Field.ID_NUMBER, ""))):
            for day, description, case, earlier in by_person.get(key, []):
                if abs((day - received).days) > DUPLICATE_WINDOW_DAYS:
                    continue
                ratio = _similarity(wanted, description)
                if ratio >= DUPLICATE_SIMILARITY and (best is None or ratio > best[0]):
                    best = (ratio, case, earlier)
        if best is not None:
            found.append(
                Duplicate(
                    r.row,
                    name,
                    str(r.values.get(Field.DESCRIPTION, "")),
                    round(best[0], 3),
                    existing=best[1],
                    earlier_row=best[2],
                )
            )
            continue  # a skipped row is not the "earlier row" of a later one
        for key in keys(name, str(r.values.get(Field.ID_NUMBER, ""))):
            by_person.setdefault(key, []).append((received, wanted, None, r.row))
    return found


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
    # The deployment's Article 31 reading (e-mail: LEGAL.md §5.6), as the case form reads it.
    rule = receipt_rule(channel, deployment_clock_policy())
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
