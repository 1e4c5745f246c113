"""The annual report as a typed, immutable value.

An :class:`AnnualReport` holds what a published report states, addressed by the codes of its
format declaration (:mod:`gongkai.core.formats`), never by position. A blank cell is ``None``,
which is different from ``0``: the rules treat "blank where a number is required" as a finding
of its own, and a parser never turns a blank into a zero.

The model is frozen; a changed copy is made with :meth:`AnnualReport.with_cell`. Tables are
stored as nested mappings ``table code → row code → column code → value`` so that the JSON
form is readable by a person and by other tools; the validator guarantees that exactly the
format's cells are present.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from decimal import Decimal
from typing import Annotated, Any, NamedTuple, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from gongkai.core.errors import GongkaiError
from gongkai.core.formats import FORMATS, ReportFormat, Table, ValueKind, get_format
from gongkai.core.law import ReportDeadlineKind

CellValue = int | Decimal | None
TableCells = dict[str, dict[str, CellValue]]


class ReportKind(enum.StrEnum):
    GOVERNMENT = "government"  # 人民政府（含办公室代表政府发布的本级政府报告）
    DEPARTMENT = "department"  # 政府部门
    TOWNSHIP = "township"  # 乡镇人民政府、街道办事处
    ROLLUP = "rollup"  # 汇总报告（区/市本级汇总）

    @property
    def label(self) -> str:
        return REPORT_KIND_LABELS[self]

    @property
    def deadline_kind(self) -> ReportDeadlineKind:
        """Which Article 49 deadline applies; townships and roll-ups count as the county's."""
        if self in (ReportKind.GOVERNMENT, ReportKind.ROLLUP):
            return ReportDeadlineKind.GOVERNMENT
        return ReportDeadlineKind.DEPARTMENT


REPORT_KIND_LABELS = {
    ReportKind.GOVERNMENT: "人民政府",
    ReportKind.DEPARTMENT: "政府部门",
    ReportKind.TOWNSHIP: "乡镇（街道）",
    ReportKind.ROLLUP: "汇总报告",
}


_UNIT_NOISE = re.compile(r"[\s（）()【】\[\]]")


def unit_key(unit: str) -> str:
    """What identifies a unit across years: its name without spacing and bracket variants.

    The one key used both to pair a batch's reports by unit and year and by the cross-year rules
    to accept last year's report; two keys would pair reports the rules then refuse.
    """
    return _UNIT_NOISE.sub("", unit)


def _declared_version(version: str) -> str:
    if version not in FORMATS:
        raise ValueError(f"取值无效 {version!r}，可选：{'、'.join(FORMATS)}")
    return version


# A version of the national format, as declared in formats.FORMATS: a new format version is one
# declaration there, not an edit here.
FormatVersion = Annotated[
    str,
    AfterValidator(_declared_version),
    Field(json_schema_extra={"enum": list(FORMATS)}),
]


class ReportMeta(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    unit: str = Field(description="发布单位名称")
    year: int = Field(ge=2000, le=2100, description="报告年度（统计年度）")
    format_version: FormatVersion = Field(description="年度报告格式版本")
    kind: ReportKind | None = Field(default=None, description="单位类别")
    published: dt.date | None = Field(default=None, description="发布（印发）日期")
    source: str | None = Field(default=None, description="来源（文件路径或网址）")


class AnnualReport(BaseModel):
    """One unit's 政府信息公开工作年度报告 for one year."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    meta: ReportMeta
    tables: dict[str, TableCells] = Field(default_factory=dict)
    # Narrative text by section code ("overview", "proactive", …, "other"); may be empty.
    narrative: dict[str, str] = Field(default_factory=dict)

    @property
    def format(self) -> ReportFormat:
        return get_format(self.meta.format_version)

    @model_validator(mode="after")
    def _cells_match_format(self) -> Self:
        fmt = get_format(self.meta.format_version)
        known = {t.code for t in fmt.tables}
        for code in self.tables:
            if code not in known:
                raise ValueError(f"格式 {fmt.version} 中没有表格 {code!r}")
        for table in fmt.tables:
            layout = _layout(table)
            given = self.tables.get(table.code, {})
            _check_table_keys(table, given, layout)
            # Fill what the input left out: every cell of the format is present, blank = None.
            # (The given keys are the format's, checked above, so an update adds none.)
            filled: TableCells = {}
            for row in layout.rows:
                filled[row] = cells = dict.fromkeys(layout.columns)
                if row in given:
                    cells.update(given[row])
            self.tables[table.code] = filled
            _check_kinds(table, filled, layout)
        sections = {s.code for s in fmt.sections}
        for code in self.narrative:
            if code not in sections:
                raise ValueError(f"格式 {fmt.version} 中没有章节 {code!r}")
        return self

    # -- reading -----------------------------------------------------------------------------

    def cell(self, table: str, row: str, column: str) -> CellValue:
        return self.tables[table][row][column]

    def row_values(self, table: str, row: str) -> dict[str, CellValue]:
        return dict(self.tables[table][row])

    def group_sum(self, table: str, row: str, column: str) -> int | Decimal | None:
        """A row's value, or for a header row the sum of its member rows (None if any blank)."""
        spec = self.format.table(table).row(row)
        if spec.has_cells:
            return self.cell(table, row, column)
        values = [self.cell(table, member, column) for member in spec.sum_of]
        if not values or any(v is None for v in values):
            return None
        return sum(v for v in values if v is not None)

    # -- changing (by copy) ------------------------------------------------------------------

    def with_cell(self, table: str, row: str, column: str, value: CellValue) -> AnnualReport:
        tables = {t: {r: dict(cols) for r, cols in rows.items()} for t, rows in self.tables.items()}
        if row not in tables.get(table, {}) or column not in tables[table][row]:
            raise KeyError(f"no cell {table}/{row}/{column}")
        tables[table][row][column] = value
        return self.model_copy(update={"tables": tables}, deep=False).revalidated()

    def with_meta(self, **changes: Any) -> AnnualReport:
        # Validated, not model_copy(update=…): a string given for an enum must become the enum.
        meta = {**self.meta.model_dump(), **changes}
        return AnnualReport.model_validate(
            {"meta": meta, "tables": self.tables, "narrative": self.narrative}
        )

    def revalidated(self) -> AnnualReport:
        return AnnualReport.model_validate(self.model_dump())

    # -- JSON --------------------------------------------------------------------------------

    def to_json(self, *, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str = "") -> AnnualReport:
        """Parse a report from JSON; every failure becomes a specific Chinese GongkaiError."""
        where = f"{source}：" if source else ""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise GongkaiError(f"{where}不是有效的 JSON 文件（{_json_reason(exc)}）") from None
        if not isinstance(data, dict):
            raise GongkaiError(f"{where}JSON 顶层应为对象（含 meta、tables、narrative）")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise GongkaiError(
                f"{where}年度报告数据不符合格式：{describe_validation(exc)}"
            ) from None

    @classmethod
    def empty(cls, meta: ReportMeta) -> AnnualReport:
        return cls(meta=meta)

    @classmethod
    def from_parsed(
        cls, meta: ReportMeta, tables: dict[str, TableCells], narrative: dict[str, str]
    ) -> AnnualReport:
        """The report a parser read: what validation makes of it, without validating again
        what the parser built from the format itself.

        A parser's tables hold only the format's tables, rows and columns, and its cells only
        whole numbers (``int``), blanks, and ``Decimal`` amounts in money columns: such a report
        is built as :meth:`_cells_match_format` would leave it (every cell of the format, in
        the format's order), at a fraction of pydantic's cost of checking every cell again.
        Anything else (a value of another type, a code the format does not have) is validated
        as any input is, so that the same error says why.
        """
        fmt = get_format(meta.format_version)
        sections = {s.code for s in fmt.sections}
        filled_tables = dict(tables)
        for table in fmt.tables:
            layout = _layout(table)
            given = tables.get(table.code, {})
            filled = _filled(given, layout)
            if filled is None:
                return cls(meta=meta, tables=tables, narrative=narrative)
            filled_tables[table.code] = filled
        if len(filled_tables) != len(fmt.tables) or not sections.issuperset(narrative):
            return cls(meta=meta, tables=tables, narrative=narrative)
        if not _STRINGS.issuperset(map(type, narrative.values())):
            return cls(meta=meta, tables=tables, narrative=narrative)
        return cls.model_construct(meta=meta, tables=filled_tables, narrative=dict(narrative))


class _Layout(NamedTuple):
    """A table's cell rows and columns as codes, worked out once per table: every report built
    (each parse, each audit) checks its cells against them."""

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    row_set: frozenset[str]
    column_set: frozenset[str]
    whole: frozenset[str]  # the columns whose cells hold whole numbers (counts, signed counts)


_LAYOUTS: dict[int, tuple[Table, _Layout]] = {}


def _layout(table: Table) -> _Layout:
    kept = _LAYOUTS.get(id(table))
    if kept is not None and kept[0] is table:
        return kept[1]
    rows = tuple(r.code for r in table.cell_rows)
    columns = tuple(c.code for c in table.columns)
    whole = frozenset(
        c.code for c in table.columns if c.kind in (ValueKind.COUNT, ValueKind.SIGNED)
    )
    layout = _Layout(rows, columns, frozenset(rows), frozenset(columns), whole)
    _LAYOUTS[id(table)] = (table, layout)
    return layout


def _check_table_keys(table: Table, given: TableCells, layout: _Layout) -> None:
    for row_code, cells in given.items():
        if row_code not in layout.row_set:
            raise ValueError(f"表格 {table.code} 中没有行 {row_code!r}")
        if layout.column_set.issuperset(cells):
            continue  # every column known (told without a Python loop)
        for col_code in cells:
            if col_code not in layout.column_set:
                raise ValueError(f"表格 {table.code} 中没有列 {col_code!r}")


_PLAIN: frozenset[type] = frozenset({int, type(None)})
_STRINGS: frozenset[type] = frozenset({str})


def _filled(given: TableCells, layout: _Layout) -> TableCells | None:
    """A parser's cells of one table, every cell of the format present (see
    :meth:`AnnualReport.from_parsed`); None when they need validating."""
    if not layout.row_set.issuperset(given):
        return None
    filled: TableCells = {}
    columns = layout.columns
    for row in layout.rows:
        values = given.get(row)
        if values is None:
            filled[row] = dict.fromkeys(columns)
            continue
        if not _PLAIN.issuperset(map(type, values.values())):
            # Amounts: Decimal in a money column only (a count's whole Decimal would be
            # made an int by validation).
            for column, value in values.items():
                amount = type(value) is Decimal and column not in layout.whole
                if not amount and value is not None and type(value) is not int:
                    return None
        if tuple(values) == columns:
            filled[row] = dict(values)  # every cell, in order (what the parsers build)
            continue
        if not layout.column_set.issuperset(values):
            return None
        filled[row] = cells = dict.fromkeys(columns)
        cells.update(values)
    return filled


def _check_kinds(table: Table, cells: TableCells, layout: _Layout) -> None:
    """Whole numbers where the format wants counts; fractions only in money cells."""
    for row_code, row in cells.items():
        if _PLAIN.issuperset(map(type, row.values())):
            continue  # blanks and whole numbers only (most rows), told without a Python loop
        for col_code, value in row.items():
            if value is None or isinstance(value, int) or col_code not in layout.whole:
                continue
            if value != value.to_integral_value():
                raise ValueError(f"{table.code}/{row_code}/{col_code} 应为整数，实为 {value}")
            row[col_code] = int(value)


def _json_reason(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}"
    return "文件编码不是 UTF-8"


_PYDANTIC_KINDS = {
    "string": "应为文本",
    "dict": "应为对象（{…}）",
    "model": "应为对象（{…}）",
    "list": "应为列表（[…]）",
    "tuple": "应为列表（[…]）",
    "bool": "应为 true 或 false",
    "float": "应为数字",
    "enum": "取值无效",
    "too": "项数不符合要求",
}


def describe_validation(exc: ValidationError) -> str:
    """Pydantic's errors in one Chinese line: where each is, and what was wrong."""
    parts = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error["loc"]) or "（顶层）"
        kind = error["type"]
        if kind == "missing":
            what = "缺少此项"
        elif kind == "extra_forbidden":
            what = "不认识的字段"
        elif kind == "value_error":
            what = str(error.get("ctx", {}).get("error", error["msg"]))
        elif kind.startswith(("int_", "decimal_")):
            what = f"应为数字，实为 {error.get('input')!r}"
        elif kind.startswith("date"):
            what = f"应为日期（YYYY-MM-DD），实为 {error.get('input')!r}"
        elif kind == "literal_error":
            what = f"取值无效 {error.get('input')!r}"
        else:
            # pydantic's own words are English: the kind in Chinese, never its message.
            what = _PYDANTIC_KINDS.get(kind.split("_")[0], "取值不符合要求")
        parts.append(f"{where}：{what}")
    more = len(exc.errors()) - len(parts)
    return "；".join(parts) + (f"；另有 {more} 处错误" if more > 0 else "")


def json_schema() -> dict[str, Any]:
    """The JSON schema of a report file, for other tools and for documentation."""
    return AnnualReport.model_json_schema()
