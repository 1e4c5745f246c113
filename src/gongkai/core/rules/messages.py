"""What the rules' messages share: how a figure prints, and the "could not be checked" issue.

Names of tables, rows and cells come from :mod:`gongkai.core.names`, as everywhere else.
"""

from __future__ import annotations

from gongkai.core.findings import Severity
from gongkai.core.names import NAME_LIMIT, Cell, blank_list
from gongkai.core.rules.engine import Issue


def unchecked_issue(what: str, units: list[str], blanks: list[Cell], version: str) -> Issue:
    """One INFO issue for everything a rule could not check because of blank cells."""
    named = "、".join(units[:NAME_LIMIT]) + (
        f"等 {len(units)} 处" if len(units) > NAME_LIMIT else ""
    )
    return Issue(
        f"{named}：因单元格空白，无法核对{what}。空白单元格：{blank_list(version, blanks)}",
        tuple(dict.fromkeys(blanks)),
        Severity.INFO,
    )
