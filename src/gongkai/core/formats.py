"""The statutory annual-report formats, declared as data.

One :class:`ReportFormat` per version of the national format. The declaration is the single
source of truth for section headings, table shells, official labels, stable English codes,
row order, which rows are totals of which, and how to recognise the version in a published
report. The parser, the renderer, the validator, the database aggregation, the demo data and
the tests all read it; adding a row is one edit here.

Sources (keys of ``shared/LEGAL.md``): [F21] 国办公开办函〔2021〕30号 for reports on 2021 onward;
[F19] 国办公开办函〔2019〕60号 (试行) for reports on 2019 and 2020. Labels are exactly as in
LEGAL.md §2.2–2.5 and §3.1.

Every table, including section 二's blocks and table 四, is a grid of rows × columns, so a
cell is always addressed as ``(table code, row code, column code)``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Final

from gongkai.core.errors import GongkaiError


class ValueKind(enum.StrEnum):
    """What a cell holds; decides parsing and the non-negativity rule."""

    COUNT = "count"  # a non-negative integer
    SIGNED = "signed"  # an integer that may carry a sign (2019: 本年增/减)
    WAN_YUAN = "wan_yuan"  # a non-negative decimal amount in 10,000 yuan (2021: 本年收费金额)
    MONEY = (
        "money"  # a non-negative decimal amount whose unit the report chooses (2019: 采购总金额)
    )


@dataclass(frozen=True, slots=True)
class Column:
    code: str
    label: str
    kind: ValueKind = ValueKind.COUNT
    # A total column is the sum of these columns of the same row.
    sum_of: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Row:
    code: str
    label: str
    # A header row (e.g. "（三）不予公开") has no cells of its own in the published table; it
    # still names the group, so that a narrative "不予公开 N 件" can be checked against its sum.
    has_cells: bool = True
    # A total row is the sum of these rows of the same column (per column).
    sum_of: tuple[str, ...] = ()
    # Short name used in messages and narratives ("予以公开"), where the label is long.
    short: str = ""
    aliases: tuple[str, ...] = ()
    level: int = 0

    @property
    def name(self) -> str:
        return self.short or self.label


@dataclass(frozen=True, slots=True)
class Table:
    code: str
    title: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...]
    # Header of a section 二 block ("第二十条第（一）项"); empty for tables 三 and 四.
    header: str = ""
    # Derived once: the rules, parsers and the model ask for these for every report they touch.
    cell_rows: tuple[Row, ...] = field(init=False, repr=False, compare=False)
    _rows_by_code: dict[str, Row] = field(init=False, repr=False, compare=False)
    _columns_by_code: dict[str, Column] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Rows that carry cells, in table order (header rows like （三）不予公开 carry none).
        object.__setattr__(self, "cell_rows", tuple(r for r in self.rows if r.has_cells))
        object.__setattr__(self, "_rows_by_code", {r.code: r for r in self.rows})
        object.__setattr__(self, "_columns_by_code", {c.code: c for c in self.columns})

    def row(self, code: str) -> Row:
        try:
            return self._rows_by_code[code]
        except KeyError:
            raise KeyError(f"{self.code}: no row {code!r}") from None

    def column(self, code: str) -> Column:
        try:
            return self._columns_by_code[code]
        except KeyError:
            raise KeyError(f"{self.code}: no column {code!r}") from None

    def cells(self) -> Iterator[tuple[Row, Column]]:
        for row in self.cell_rows:
            for column in self.columns:
                yield row, column


@dataclass(frozen=True, slots=True)
class Section:
    code: str
    number: str  # 一 … 六
    heading: str
    aliases: tuple[str, ...] = ()
    # Sections 二–四 are the statutory tables; what text they hold is mostly the tables' own
    # labels, identical in every report, so prose checks (copy-paste) look only at the others.
    holds_tables: bool = False


@dataclass(frozen=True, slots=True)
class ReportFormat:
    version: str  # "2019" or "2021"
    name: str
    document: str
    first_year: int
    last_year: int | None
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    # Strings whose presence in a published report marks this version (LEGAL.md §3.2).
    markers: tuple[str, ...] = ()
    note: str = ""
    _by_code: dict[str, Table] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({table.code: table for table in self.tables})

    def table(self, code: str) -> Table:
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"format {self.version}: no table {code!r}") from None

    @property
    def section2(self) -> tuple[Table, ...]:
        return tuple(t for t in self.tables if t.code.startswith("s2."))

    @property
    def table3(self) -> Table:
        return self.table(T3)

    @property
    def table4(self) -> Table:
        return self.table(T4)

    @property
    def has_fee_unpaid_row(self) -> bool:
        """Whether table 三 counts applications closed for an unpaid fee ((六)2, 2021 on)."""
        return any(r.code == "other.fee_unpaid" for r in self.table3.rows)

    @property
    def has_in_force_column(self) -> bool:
        """Whether section 二 (一) states the documents in force (现行有效件数, 2021 on)."""
        return any(c.code == "in_force" for c in self.table(S2_ART20_1).columns)

    @property
    def has_item_changes(self) -> bool:
        """Whether section 二 states last year's items and this year's change (2019 trial)."""
        return any(c.kind is ValueKind.SIGNED for t in self.section2 for c in t.columns)

    @property
    def has_wan_yuan_cells(self) -> bool:
        """Whether some cell holds an amount in 万元 (2021: 本年收费金额)."""
        return any(c.kind is ValueKind.WAN_YUAN for t in self.tables for c in t.columns)

    def applies_to(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


T3: Final = "t3"
T4: Final = "t4"
# Section 二's blocks, named by the article item they report on (第二十条第（N）项).
S2_ART20_1: Final = "s2.art20_1"
S2_ART20_5: Final = "s2.art20_5"
S2_ART20_6: Final = "s2.art20_6"
S2_ART20_8: Final = "s2.art20_8"
S2_ART20_9: Final = "s2.art20_9"

# --------------------------------------------------------------------------------------------
# Shared pieces: the six sections, table 三's columns, table 四 (identical in both versions).
# --------------------------------------------------------------------------------------------

SECTIONS: Final = (
    Section("overview", "一", "总体情况"),
    Section(
        "proactive",
        "二",
        "主动公开政府信息情况",
        aliases=("行政机关主动公开政府信息情况",),
        holds_tables=True,
    ),
    Section("requests", "三", "收到和处理政府信息公开申请情况", holds_tables=True),
    Section("remedies", "四", "政府信息公开行政复议、行政诉讼情况", holds_tables=True),
    Section(
        "problems",
        "五",
        "存在的主要问题及改进情况",
        aliases=("政府信息公开工作存在的主要问题及改进情况",),
    ),
    Section("other", "六", "其他需要报告的事项"),
)

APPLICANT_COLUMNS: Final = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("public_interest", "社会公益组织"),
    Column("legal_services", "法律服务机构"),
    Column("other_org", "其他"),
)
T3_TOTAL_COLUMN: Final = Column("total", "总计", sum_of=tuple(c.code for c in APPLICANT_COLUMNS))
T3_COLUMNS: Final = (*APPLICANT_COLUMNS, T3_TOTAL_COLUMN)
# The column group above the five organisation columns; a header, not a column ([F21]).
ORGANISATION_GROUP_LABEL: Final = "法人或其他组织"
APPLICANT_GROUP_LABEL: Final = "申请人情况"
# The official rule, printed in the table's top-left cell ([F21], [SEED]).
T3_BALANCE_NOTE: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_RESULTS_HEADER: Final = "三、本年度办理结果"
# Every section 二 block repeats a header row whose first cell is this ([F21], LEGAL.md §2.2).
S2_CONTENT_HEADER: Final = "信息内容"

WITHHELD_ROWS: Final = (
    Row("withheld.state_secret", "1.属于国家秘密", level=2),
    Row("withheld.prohibited_by_law", "2.其他法律行政法规禁止公开", level=2),
    Row("withheld.three_safety", "3.危及“三安全一稳定”", level=2),
    Row("withheld.third_party", "4.保护第三方合法权益", level=2),
    Row("withheld.internal_affairs", "5.属于三类内部事务信息", level=2),
    Row("withheld.process_info", "6.属于四类过程性信息", level=2),
    Row("withheld.enforcement_file", "7.属于行政执法案卷", level=2),
    Row("withheld.query_matter", "8.属于行政查询事项", level=2),
)
UNAVAILABLE_ROWS: Final = (
    Row("unavailable.not_held", "1.本机关不掌握相关政府信息", level=2),
    Row("unavailable.needs_creation", "2.没有现成信息需要另行制作", level=2),
    Row("unavailable.unclear", "3.补正后申请内容仍不明确", level=2),
)
NOT_PROCESSED_ROWS: Final = (
    Row("not_processed.petition", "1.信访举报投诉类申请", level=2),
    Row("not_processed.repeat", "2.重复申请", level=2),
    Row("not_processed.publication", "3.要求提供公开出版物", level=2),
    Row("not_processed.excessive", "4.无正当理由大量反复申请", level=2),
    Row("not_processed.confirmation", "5.要求行政机关确认或重新出具已获取信息", level=2),
)
OTHER_ROWS_2021: Final = (
    Row(
        "other.no_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        short="逾期不补正",
        level=2,
    ),
    Row(
        "other.fee_unpaid",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        short="逾期未缴费",
        level=2,
    ),
    Row("other.other", "3.其他", short="其他", level=2),
)


def _codes(rows: tuple[Row, ...]) -> tuple[str, ...]:
    return tuple(r.code for r in rows)


def _table3(other_rows: tuple[Row, ...]) -> Table:
    """Table 三; the versions differ only in (六)其他处理 (one row in 2019, three in 2021)."""
    other_group = (
        (Row("other", "（六）其他处理", short="其他处理", level=1),)
        if len(other_rows) == 1 and other_rows[0].code == "other"
        else (
            Row(
                "other",
                "（六）其他处理",
                has_cells=False,
                sum_of=_codes(other_rows),
                short="其他处理",
                level=1,
            ),
            *other_rows,
        )
    )
    result_rows: tuple[Row, ...] = (
        Row("disclosed", "（一）予以公开", short="予以公开", level=1),
        Row(
            "partly_disclosed",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            short="部分公开",
            level=1,
        ),
        Row(
            "withheld",
            "（三）不予公开",
            has_cells=False,
            sum_of=_codes(WITHHELD_ROWS),
            short="不予公开",
            level=1,
        ),
        *WITHHELD_ROWS,
        Row(
            "unavailable",
            "（四）无法提供",
            has_cells=False,
            sum_of=_codes(UNAVAILABLE_ROWS),
            short="无法提供",
            level=1,
        ),
        *UNAVAILABLE_ROWS,
        Row(
            "not_processed",
            "（五）不予处理",
            has_cells=False,
            sum_of=_codes(NOT_PROCESSED_ROWS),
            short="不予处理",
            level=1,
        ),
        *NOT_PROCESSED_ROWS,
        *other_group,
    )
    leaves = tuple(r.code for r in result_rows if r.has_cells)
    return Table(
        code=T3,
        title="收到和处理政府信息公开申请情况",
        rows=(
            Row("new", "一、本年新收政府信息公开申请数量", short="本年新收"),
            Row("carried_in", "二、上年结转政府信息公开申请数量", short="上年结转"),
            Row("results", T3_RESULTS_HEADER, has_cells=False, short="本年度办理结果"),
            *result_rows,
            Row("results_total", "（七）总计", sum_of=leaves, short="办理结果总计", level=1),
            Row("carried_out", "四、结转下年度继续办理", short="结转下年度"),
        ),
        columns=T3_COLUMNS,
    )


T4_COLUMNS: Final = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
    Column("total", "总计", sum_of=("upheld", "corrected", "other", "pending")),
)
TABLE4: Final = Table(
    code=T4,
    title="政府信息公开行政复议、行政诉讼情况",
    rows=(
        Row("reconsideration", "行政复议"),
        Row("litigation_direct", "未经复议直接起诉", short="行政诉讼（未经复议直接起诉）"),
        Row("litigation_after", "复议后起诉", short="行政诉讼（复议后起诉）"),
    ),
    columns=T4_COLUMNS,
)
LITIGATION_GROUP_LABEL: Final = "行政诉讼"

# --------------------------------------------------------------------------------------------
# 2021 format (国办公开办函〔2021〕30号), reports on 2021 onward. LEGAL.md §2.
# --------------------------------------------------------------------------------------------

_DECISIONS_2021: Final = (Column("decisions", "本年处理决定数量"),)

FORMAT_2021: Final = ReportFormat(
    version="2021",
    name="中华人民共和国政府信息公开工作年度报告格式",
    document="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    sections=SECTIONS,
    tables=(
        Table(
            code=S2_ART20_1,
            title="规章和行政规范性文件",
            header="第二十条第（一）项",
            rows=(
                Row("rules", "规章"),
                Row("normative_documents", "行政规范性文件", aliases=("规范性文件",)),
            ),
            columns=(
                Column("issued", "本年制发件数"),
                Column("repealed", "本年废止件数", aliases=("本年废纸件数",)),
                Column("in_force", "现行有效件数"),
            ),
        ),
        Table(
            code=S2_ART20_5,
            title="行政许可",
            header="第二十条第（五）项",
            rows=(Row("licensing", "行政许可"),),
            columns=_DECISIONS_2021,
        ),
        Table(
            code=S2_ART20_6,
            title="行政处罚和行政强制",
            header="第二十条第（六）项",
            rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
            columns=_DECISIONS_2021,
        ),
        Table(
            code=S2_ART20_8,
            title="行政事业性收费",
            header="第二十条第（八）项",
            rows=(Row("admin_fees", "行政事业性收费"),),
            columns=(Column("amount", "本年收费金额（单位：万元）", kind=ValueKind.WAN_YUAN),),
        ),
        _table3(OTHER_ROWS_2021),
        TABLE4,
    ),
    markers=(
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年收费金额",
        "逾期不补正",
        "收费通知",
    ),
)

# --------------------------------------------------------------------------------------------
# 2019 trial format (国办公开办函〔2019〕60号), reports on 2019 and 2020. LEGAL.md §3.
# --------------------------------------------------------------------------------------------

_ITEM_COLUMNS_2019: Final = (
    Column("items_last_year", "上一年项目数量"),
    Column("items_change", "本年增/减", kind=ValueKind.SIGNED, aliases=("本年增/ 减", "本年增减")),
    Column("decisions", "处理决定数量"),
)

FORMAT_2019: Final = ReportFormat(
    version="2019",
    name="中华人民共和国政府信息公开工作年度报告格式（试行）",
    document="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    sections=SECTIONS,
    tables=(
        Table(
            code=S2_ART20_1,
            title="规章和规范性文件",
            header="第二十条第（一）项",
            rows=(Row("rules", "规章"), Row("normative_documents", "规范性文件")),
            columns=(
                Column("made", "本年新制作数量"),
                Column("published", "本年新公开数量"),
                Column("total_public", "对外公开总数量"),
            ),
        ),
        Table(
            code=S2_ART20_5,
            title="行政许可和其他对外管理服务事项",
            header="第二十条第（五）项",
            rows=(Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
            columns=_ITEM_COLUMNS_2019,
        ),
        Table(
            code=S2_ART20_6,
            title="行政处罚和行政强制",
            header="第二十条第（六）项",
            rows=(Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
            columns=_ITEM_COLUMNS_2019,
        ),
        Table(
            code=S2_ART20_8,
            title="行政事业性收费",
            header="第二十条第（八）项",
            rows=(Row("admin_fees", "行政事业性收费"),),
            columns=_ITEM_COLUMNS_2019[:2],
        ),
        Table(
            code=S2_ART20_9,
            title="政府集中采购",
            header="第二十条第（九）项",
            rows=(Row("procurement", "政府集中采购"),),
            columns=(
                Column("count", "采购项目数量"),
                # [OLD]: no fixed unit; reports write "251000元", "2792220.8元".
                Column("amount", "采购总金额", kind=ValueKind.MONEY),
            ),
        ),
        _table3((Row("other", "（六）其他处理", short="其他处理", level=1),)),
        TABLE4,
    ),
    markers=(
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "第二十条第（九）项",
        "采购总金额",
    ),
)

FORMATS: Final[dict[str, ReportFormat]] = {f.version: f for f in (FORMAT_2019, FORMAT_2021)}
# The format of the newest reports: what a caller gets when it names no version.
LATEST_FORMAT: Final = max(FORMATS.values(), key=lambda f: f.first_year)
# Reports before the 2019 revision used free-form formats (LEGAL.md §3.2): out of scope.
FIRST_REPORT_YEAR: Final = FORMAT_2019.first_year


class FormatError(GongkaiError):
    """No statutory format applies, or an unknown version was named."""


def format_for_year(year: int) -> ReportFormat:
    """The national format in force for a report on ``year`` (2019/2020 → 试行, 2021+ → 30号)."""
    for fmt in FORMATS.values():
        if fmt.applies_to(year):
            return fmt
    raise FormatError(
        f"{year} 年度没有适用的全国统一年度报告格式："
        f"gongkai 支持 {FIRST_REPORT_YEAR} 年度及以后的报告（2019 年修订后的《条例》）"
    )


def get_format(version: str) -> ReportFormat:
    try:
        return FORMATS[version]
    except KeyError:
        known = "、".join(FORMATS)
        raise FormatError(f"未知的报告格式版本 {version!r}，可选：{known}") from None


# --------------------------------------------------------------------------------------------
# Codes for code. Everything outside this module names a table, row or column through these
# constants, never by a string of its own (tests/test_format_codes.py): each is looked up in
# the declaration here, so a renamed or removed row fails at import, not in a report months
# later.
# --------------------------------------------------------------------------------------------


def _row(table: str, code: str, *formats: ReportFormat) -> str:
    """``code`` after checking that each of ``formats`` (default: all) declares that row."""
    for fmt in formats or tuple(FORMATS.values()):
        fmt.table(table).row(code)
    return code


def _column(table: str, code: str, *formats: ReportFormat) -> str:
    for fmt in formats or tuple(FORMATS.values()):
        fmt.table(table).column(code)
    return code


# Table 三: the four items of the balance, and the result rows.
T3_NEW: Final = _row(T3, "new")
T3_CARRIED_IN: Final = _row(T3, "carried_in")
T3_RESULTS: Final = _row(T3, "results")
T3_DISCLOSED: Final = _row(T3, "disclosed")
T3_PARTLY_DISCLOSED: Final = _row(T3, "partly_disclosed")
T3_WITHHELD: Final = _row(T3, "withheld")
T3_WITHHELD_STATE_SECRET: Final = _row(T3, "withheld.state_secret")
T3_WITHHELD_PROHIBITED_BY_LAW: Final = _row(T3, "withheld.prohibited_by_law")
T3_WITHHELD_THREE_SAFETY: Final = _row(T3, "withheld.three_safety")
T3_WITHHELD_THIRD_PARTY: Final = _row(T3, "withheld.third_party")
T3_WITHHELD_INTERNAL_AFFAIRS: Final = _row(T3, "withheld.internal_affairs")
T3_WITHHELD_PROCESS_INFO: Final = _row(T3, "withheld.process_info")
T3_WITHHELD_ENFORCEMENT_FILE: Final = _row(T3, "withheld.enforcement_file")
T3_WITHHELD_QUERY_MATTER: Final = _row(T3, "withheld.query_matter")
T3_UNAVAILABLE: Final = _row(T3, "unavailable")
T3_UNAVAILABLE_NOT_HELD: Final = _row(T3, "unavailable.not_held")
T3_UNAVAILABLE_NEEDS_CREATION: Final = _row(T3, "unavailable.needs_creation")
T3_UNAVAILABLE_UNCLEAR: Final = _row(T3, "unavailable.unclear")
T3_NOT_PROCESSED: Final = _row(T3, "not_processed")
T3_NOT_PROCESSED_PETITION: Final = _row(T3, "not_processed.petition")
T3_NOT_PROCESSED_REPEAT: Final = _row(T3, "not_processed.repeat")
T3_NOT_PROCESSED_PUBLICATION: Final = _row(T3, "not_processed.publication")
T3_NOT_PROCESSED_EXCESSIVE: Final = _row(T3, "not_processed.excessive")
T3_NOT_PROCESSED_CONFIRMATION: Final = _row(T3, "not_processed.confirmation")
T3_OTHER: Final = _row(T3, "other")
# (六)'s three sub-rows exist from the 2021 format on.
T3_NO_CORRECTION: Final = _row(T3, "other.no_correction", FORMAT_2021)
T3_FEE_UNPAID: Final = _row(T3, "other.fee_unpaid", FORMAT_2021)
T3_OTHER_OTHER: Final = _row(T3, "other.other", FORMAT_2021)
T3_RESULTS_TOTAL: Final = _row(T3, "results_total")
T3_CARRIED_OUT: Final = _row(T3, "carried_out")
# The result groups （一）–（六） in table order.
T3_RESULT_GROUPS: Final = (
    T3_DISCLOSED,
    T3_PARTLY_DISCLOSED,
    T3_WITHHELD,
    T3_UNAVAILABLE,
    T3_NOT_PROCESSED,
    T3_OTHER,
)

# Columns. 总计 is the last column of table 三 and of table 四.
COL_TOTAL: Final = _column(T3, _column(T4, "total"))
COL_NATURAL_PERSON: Final = _column(T3, "natural_person")
COL_COMMERCIAL: Final = _column(T3, "commercial")
COL_RESEARCH: Final = _column(T3, "research")
COL_PUBLIC_INTEREST: Final = _column(T3, "public_interest")
COL_LEGAL_SERVICES: Final = _column(T3, "legal_services")
COL_OTHER_ORG: Final = _column(T3, "other_org")
# The five columns under 法人或其他组织.
ORGANISATION_COLUMNS: Final = (
    COL_COMMERCIAL,
    COL_RESEARCH,
    COL_PUBLIC_INTEREST,
    COL_LEGAL_SERVICES,
    COL_OTHER_ORG,
)

# Table 四.
T4_RECONSIDERATION: Final = _row(T4, "reconsideration")
T4_LITIGATION_DIRECT: Final = _row(T4, "litigation_direct")
T4_LITIGATION_AFTER: Final = _row(T4, "litigation_after")
# The two rows under the 行政诉讼 header.
T4_LITIGATION_ROWS: Final = (T4_LITIGATION_DIRECT, T4_LITIGATION_AFTER)
T4_UPHELD: Final = _column(T4, "upheld")
T4_CORRECTED: Final = _column(T4, "corrected")
T4_OTHER_RESULT: Final = _column(T4, "other")
T4_PENDING: Final = _column(T4, "pending")

# Section 二 (一): rules and normative documents.
S2_NORMATIVE: Final = S2_ART20_1
S2_RULES: Final = _row(S2_NORMATIVE, "rules")
S2_NORMATIVE_DOCUMENTS: Final = _row(S2_NORMATIVE, "normative_documents")
S2_ISSUED: Final = _column(S2_NORMATIVE, "issued", FORMAT_2021)
S2_REPEALED: Final = _column(S2_NORMATIVE, "repealed", FORMAT_2021)
S2_IN_FORCE: Final = _column(S2_NORMATIVE, "in_force", FORMAT_2021)
S2_MADE: Final = _column(S2_NORMATIVE, "made", FORMAT_2019)
S2_PUBLISHED: Final = _column(S2_NORMATIVE, "published", FORMAT_2019)
# 2019 trial format: the item blocks' base column (its SIGNED partner is 本年增/减).
S2_ITEMS_LAST_YEAR: Final = _column(S2_ART20_5, "items_last_year", FORMAT_2019)
# Section 二 (五)(六)(八): administrative decisions and fees (the registers' rows).
S2_LICENSING: Final = _row(S2_ART20_5, "licensing")
S2_PENALTY: Final = _row(S2_ART20_6, "penalty")
S2_COERCION: Final = _row(S2_ART20_6, "coercion")
S2_DECISIONS: Final = _column(S2_ART20_5, _column(S2_ART20_6, "decisions"))
S2_ADMIN_FEES: Final = _row(S2_ART20_8, "admin_fees")
S2_FEE_AMOUNT: Final = _column(S2_ART20_8, "amount", FORMAT_2021)

# The section whose text states the fees (六、其他需要报告的事项).
SECTION_OTHER: Final = next(s.code for s in SECTIONS if s.number == "六")
# The section of the problems found and how they are being fixed (五、存在的主要问题及改进情况).
SECTION_PROBLEMS: Final = next(s.code for s in SECTIONS if s.number == "五")


@dataclass(frozen=True, slots=True)
class Balance:
    """The official rule of table 三, per column: 一 + 二 = 三（七）总计 + 四.

    Written once, read by the rule ``t3.balance`` and by the parsers, which use it to choose
    between readings of a row.
    """

    # (row code, how the note calls it) on each side of the equation.
    left: tuple[tuple[str, str], ...]
    right: tuple[tuple[str, str], ...]
    note: str  # the official wording printed in the table
    statement: str  # the same, short, for messages

    @property
    def rows(self) -> tuple[str, ...]:
        return tuple(code for code, _ in (*self.left, *self.right))

    @property
    def left_rows(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.left)

    @property
    def right_rows(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.right)


T3_BALANCE: Final = Balance(
    left=((T3_NEW, "第一项"), (T3_CARRIED_IN, "第二项")),
    right=((T3_RESULTS_TOTAL, "第三项总计"), (T3_CARRIED_OUT, "第四项")),
    note=T3_BALANCE_NOTE,
    statement="第一项加第二项等于第三项加第四项",
)
