"""What a check reports: a finding, with its rule, severity, category, place and Chinese message.

Shared by the consistency rules (:mod:`gongkai.core.rules`), the narrative checks and the
auditor, so that every finding looks the same in the terminal, in JSON, in Excel and on the
web page that highlights the wrong cells.
"""

from __future__ import annotations

import enum
from typing import Final

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

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """A stable, meaningful order: errors first, then by rule id, then by message."""
    return sorted(findings, key=lambda f: (f.severity.rank, f.rule, f.message))
