"""What the rules' messages share: how a figure prints, and the "could not be checked" issue.

Names of tables, rows and cells come from :mod:`gongkai.core.names`, as everywhere else.
"""

from __future__ import annotations

from collections.abc import Collection

from gongkai.core.findings import Severity
from gongkai.core.names import NAME_LIMIT, Cell, blank_list
from gongkai.core.rules.engine import Issue


def unchecked_issue(
    what: str,
    units: list[str],
    blanks: list[Cell],
    version: str,
    unread: Collection[Cell] = frozenset(),
) -> Issue:
    """One INFO issue for everything a rule could not check because of blank cells.

    Cells in ``unread`` (the rule's ``Context.unread``: not read, rather than printed blank)
    are named as such, not as blank; why each was not read is the parser's finding.
    """
    named = "、".join(units[:NAME_LIMIT]) + (
        f"等 {len(units)} 处" if len(units) > NAME_LIMIT else ""
    )
    cells = tuple(dict.fromkeys(blanks))
    unplaced = [c for c in cells if c in unread] if unread else []
    if not unplaced:
        return Issue(
            f"{named}：因单元格空白，无法核对{what}。空白单元格：{blank_list(version, blanks)}",
            cells,
            Severity.INFO,
        )
    empty = [c for c in cells if c not in unread]
    why = "空白或未读出" if empty else "未读出"
    listed = f"空白单元格：{blank_list(version, empty)}；" if empty else ""
    return Issue(
        f"{named}：因单元格{why}，无法核对{what}。{listed}未读出的单元格（原因见解析提示）："
        f"{blank_list(version, unplaced)}",
        cells,
        Severity.INFO,
    )
