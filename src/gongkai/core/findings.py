"""What a check reports: a finding, with its rule, severity, category, place and Chinese message.

Shared by the consistency rules (:mod:`gongkai.core.rules`), the narrative checks and the
auditor, so that every finding looks the same in the terminal, in JSON, in Excel and on the
web page that highlights the wrong cells.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field


class Severity(enum.StrEnum):
    ERROR = "error"  # the report contradicts itself or the law; it must not be published
    WARNING = "warning"  # very likely wrong, or incomplete; a person should look
    INFO = "info"  # worth knowing (e.g. provincial extra rows)

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


class Category(enum.StrEnum):
    TABLE = "table"  # arithmetic inside the tables (勾稽关系)
    NARRATIVE = "narrative"  # the prose against the tables or against itself
    CROSS_YEAR = "cross_year"  # this year's report against last year's
    FORMAT = "format"  # the statutory format: version, sections, rows, cell types
    PUBLICATION = "publication"  # publication date and channel (Art 49)

    @property
    def label(self) -> str:
        return {
            "table": "表格勾稽",
            "narrative": "正文与表格",
            "cross_year": "跨年度",
            "format": "格式",
            "publication": "发布",
        }[self.value]


class CellRef(BaseModel):
    """A cell of a report, by the codes of its format declaration."""

    model_config = ConfigDict(frozen=True)

    table: str
    row: str
    column: str


# The column of a reference to a whole row (the parser could not read a row's label, a group
# was printed as one row): no single cell is meant, and readers show and mark the whole row.
WHOLE_ROW: Final = "*"


# How long a finding's text may get, whatever the report held. A damaged file can hold a table
# label of 60,000 characters, a sentence with no full stop for pages, a number of 4,000 digits,
# and a message quotes them: every finding is bounded here, where it is made, so that no rule
# (present or future) can write one a page, a spreadsheet or a terminal cannot show. The bounds
# are far above anything a real report gives (the corpus: messages up to 390 characters,
# quotes up to 85, numbers up to 11 digits, sentences up to 245 characters).
QUOTE_MAX: Final = 100  # characters inside one 「…」 of a message
NUMBER_MAX: Final = 30  # digits of one number in a message
MESSAGE_MAX: Final = 1_000  # a message or a citation, all told
EXCERPT_MAX: Final = 500  # the sentence a narrative finding quotes
# What stands for the part cut out.
CUT: Final = "…"
# The digits of a long number kept at each end, around its digit count.
_NUMBER_ENDS: Final = 4

# A run of digits and thousands separators that may hold too many digits (the separators are
# counted out by :func:`_short_number`). ASCII only, the fastest search: the rules print their
# numbers so, and other digits can only come in a quotation, which is bounded as a whole.
_LONG_NUMBER: Final = re.compile(rf"[0-9,]{{{NUMBER_MAX + 1},}}")
_GROUPED: Final = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
_LONG_QUOTE: Final = re.compile(rf"「([^「」]{{{QUOTE_MAX + 1},}})」")


def cut_middle(text: str, limit: int) -> str:
    """``text`` whole when it fits in ``limit`` characters, else its head and tail around
    :data:`CUT`: a label is named by its start, a stated total ends with its number."""
    if len(text) <= limit:
        return text
    head = _head_length(limit)
    return text[:head] + CUT + text[len(text) - (limit - head - 1) :]


def quote(text: str) -> str:
    """A part of the report (a sentence, a phrase) to stand in one 「…」 of a message, bounded
    as :func:`bound_message` would bound it. Cut where the message is built, not after: a
    rule that quotes the same long sentence for each of its figures would otherwise build
    each message the sentence's length (8,000 rates in one sentence of 80,000 characters:
    640 million characters, and 11 s in :func:`bound_message`)."""
    return cut_middle(text, QUOTE_MAX)


def _head_length(limit: int) -> int:
    return limit // 2


def _short_number(match: re.Match[str]) -> str:
    run = match.group()
    if "," not in run:
        return _shorten(run)
    number = run.strip(",")
    start = run.index(number)
    if _GROUPED.fullmatch(number):
        middle = _shorten(number)
    else:  # not one number in thousands (「2019,2020,…」): each piece on its own
        middle = ",".join(map(_shorten, number.split(",")))
    return run[:start] + middle + run[start + len(number) :]


def _shorten(number: str) -> str:
    digits = len(number) - number.count(",")
    if digits <= NUMBER_MAX:
        return number
    return f"{number[:_NUMBER_ENDS]}{CUT}{number[-_NUMBER_ENDS:]}（共 {digits} 位数字）"


def _short_quote(match: re.Match[str]) -> str:
    return f"「{cut_middle(match.group(1), QUOTE_MAX)}」"


def bound_message(text: str) -> str:
    """A message (or citation) no longer than :data:`MESSAGE_MAX`, its quotations and numbers
    each bounded, so that what is cut is what the report held, never the message's own words.

    A number longer than :data:`NUMBER_MAX` digits keeps its ends and says its digit count; a
    quotation longer than :data:`QUOTE_MAX` keeps its head and tail; what is still too long
    (many quotations, a quotation with brackets of its own) is cut in the middle. Bounding a
    bounded message changes nothing (a result read back from JSON is the same result).
    """
    if len(text) <= NUMBER_MAX:
        return text
    while True:
        bounded = _LONG_NUMBER.sub(_short_number, text)
        bounded = _LONG_QUOTE.sub(_short_quote, bounded)
        bounded = cut_middle(bounded, MESSAGE_MAX)
        if bounded == text:  # each step only shortens, so this ends
            return text
        text = bounded


def bound_excerpt(text: str) -> str:
    """A quoted sentence no longer than :data:`EXCERPT_MAX`: cut in the middle only, so that
    its head and tail still stand in the report's text (:func:`excerpt_in`)."""
    return cut_middle(text, EXCERPT_MAX)


def excerpt_in(excerpt: str, text: str) -> bool:
    """Whether a finding's quoted sentence stands in ``text``, also one cut by
    :func:`bound_excerpt` (its head, then its tail)."""
    if excerpt.strip() in text:
        return True
    split = _head_length(EXCERPT_MAX)
    if len(excerpt) != EXCERPT_MAX or excerpt[split] != CUT:
        return False
    head, tail = excerpt[:split].strip(), excerpt[split + 1 :].strip()
    start = text.find(head)
    return start >= 0 and text.find(tail, start + len(head)) >= 0


class Finding(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule: str = Field(description="规则编号，如 t3.balance")
    severity: Severity
    category: Category
    message: str = Field(description="中文说明，写明涉及的单元格和数字")
    citation: str = Field(default="", description="依据：表格注释、格式文件或条文")
    cells: tuple[CellRef, ...] = Field(default=(), description="涉及的单元格（用于高亮）")
    # For narrative findings: the sentence the claim came from.
    excerpt: str | None = None

    def model_post_init(self, context: Any, /) -> None:
        """Bound the text as the finding is made, validated or not (``model_construct`` runs
        this too), so that no rule, however it builds its findings, can bypass it."""
        fields = self.__dict__  # a frozen model: its fields are set here, once, before use
        fields["message"] = bound_message(self.message)
        fields["citation"] = bound_message(self.citation)
        if self.excerpt is not None:
            fields["excerpt"] = bound_excerpt(self.excerpt)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """A stable, meaningful order: errors first, then by rule id, then by message."""
    return sorted(findings, key=lambda f: (f.severity.rank, f.rule, f.message))


# How many findings one prose rule may list for one report. The rules on the tables, the format,
# the year before and publication name cells, rows and sections of the statutory format, so
# their count is bounded by the format, and each must be listed (a table whose every row total
# is wrong has each cell marked). The prose rules' count grows with the prose: a real report
# gives one at most a few (the corpus and its 1,012 damaged copies: 7), but garbage can give
# hundreds (5,000 characters of 「并且」 are 417 doubled words). Past this, the rest are counted
# in one finding, so that a result page, a workbook or a JSON line stays readable and bounded.
RULE_FINDINGS_MAX: Final = 20


def cap_per_rule(findings: list[Finding], *, prose: Collection[str] = ()) -> list[Finding]:
    """``findings`` (sorted) with each prose rule's first :data:`RULE_FINDINGS_MAX` kept and the
    rest counted in one finding of the same rule, as severe as the most severe of those left
    out, so that a filter by rule or by severity still finds it. Prose rules are those of the
    narrative category and those named in ``prose`` (the rules of other categories that read
    the prose: ``rules.engine.prose_rules``). Other rules are untouched."""
    kept: list[Finding] = []
    left_out: dict[str, list[Finding]] = {}
    shown: dict[str, int] = {}
    for finding in findings:
        count = shown.get(finding.rule, 0)
        capped = finding.category is Category.NARRATIVE or finding.rule in prose
        if not capped or count < RULE_FINDINGS_MAX:
            shown[finding.rule] = count + 1
            kept.append(finding)
        else:
            left_out.setdefault(finding.rule, []).append(finding)
    if not left_out:
        return findings
    for rule, rest in left_out.items():
        first = rest[0]
        kept.append(
            Finding(
                rule=rule,
                severity=min((f.severity for f in rest), key=lambda s: s.rank),
                category=first.category,
                # Said so that it reads the same above or below the findings it counts.
                message=(
                    f"本规则共发现 {RULE_FINDINGS_MAX + len(rest)} 处，"
                    f"只逐一列出其中 {RULE_FINDINGS_MAX} 处，"
                    f"其余 {len(rest)} 处请对照原文逐处核对"
                ),
                citation=first.citation,
            )
        )
    return sort_findings(kept)
