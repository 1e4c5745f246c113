"""Which remedies a reply letter states, by result and by the day the letter is served.

Every reply letter tells the applicant how to challenge it ([R] Art 51; LEGAL.md §5.5). Which
route is open depends on the law in force when the letter is served:

* **Served before 2024-01-01** — 《中华人民共和国行政复议法》 (1999): the applicant chooses between
  行政复议 (Art 9: within 60 days) and 行政诉讼 (行政诉讼法 Art 46: within 6 months).
* **Served on or after 2024-01-01** — 行政复议法 (2023 revision) Art 23 ¶1 makes 行政复议 a
  precondition of a suit (复议前置) in item (四), "申请政府信息公开，行政机关不予公开": a 不予公开
  decision, and the withheld part of a 部分公开 (区分处理, [R] Art 37: the withheld part *is* a
  不予公开 decision), must be challenged by 行政复议 first; a suit follows the 复议 decision
  (行政诉讼法 Art 45: within 15 days of receiving it). Other results keep both routes.

:data:`REMEDY_TABLE` is the one place that says so, one row per result group of table 三 (a
result row's group is read from the format declaration, never from its code's spelling). The
readings that practice disputes — whether item (四) also covers 无法提供 and 不予处理 — are
marked ``contested`` with their source, and a deployment that follows its province's reading
changes :class:`RemedyPolicy` rather than this table. Pure Python; the letters word the routes.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Final, assert_never

from gongkai.core import law
from gongkai.core.formats import (
    T3_DISCLOSED,
    T3_NOT_PROCESSED,
    T3_OTHER,
    T3_PARTLY_DISCLOSED,
    T3_UNAVAILABLE,
    T3_WITHHELD,
)
from gongkai.core.reasons import RESULT_CODES, group_of

# 《中华人民共和国行政复议法》 (2023 revision, 主席令第九号) Art 90: in force 2024-01-01.
RECONSIDERATION_LAW_2023_IN_FORCE: Final = dt.date(2024, 1, 1)
RECONSIDERATION_LAW_2023: Final = "《中华人民共和国行政复议法》"
RECONSIDERATION_FIRST_ARTICLE: Final = "第二十三条第一款第（四）项"
# 行政诉讼法 Art 45: a suit after a 复议 decision is brought within 15 days of receiving it.
LITIGATION_AFTER_RECONSIDERATION_DAYS: Final = 15


class Route(enum.StrEnum):
    """How a reply (or a part of it) may be challenged."""

    EITHER = "either"  # 行政复议 or 行政诉讼, as the applicant chooses
    RECONSIDERATION_FIRST = "reconsideration_first"  # 复议前置: 行政复议, then a suit
    # 部分公开: the withheld part 复议前置, the part disclosed either route.
    SPLIT = "split"


@dataclass(frozen=True, slots=True)
class Reading:
    """The route of one result group under the 2023 law, and where that reading comes from."""

    route: Route
    source: str
    contested: bool = False


REMEDY_TABLE: Final[dict[str, Reading]] = {
    T3_DISCLOSED: Reading(Route.EITHER, "行政复议法第二十三条第一款未列入予以公开"),
    T3_PARTLY_DISCLOSED: Reading(
        Route.SPLIT,
        "行政复议法第二十三条第一款第（四）项；《条例》第三十七条：不予公开部分即不予公开决定",
    ),
    T3_WITHHELD: Reading(Route.RECONSIDERATION_FIRST, "行政复议法第二十三条第一款第（四）项"),
    # Contested (LEGAL.md §5.5): practice guides read item (四) broadly for disclosure disputes;
    # 无法提供 (the information does not exist or need not be made) is not "不予公开" on the
    # wording, so the default keeps both routes.
    T3_UNAVAILABLE: Reading(
        Route.EITHER,
        "有争议：行政复议法第二十三条第一款第（四）项是否涵盖无法提供（LEGAL.md §5.5）",
        contested=True,
    ),
    # Contested likewise: 不予处理 (Art 35, 36 (六), 39) refuses to handle, not to disclose.
    T3_NOT_PROCESSED: Reading(
        Route.EITHER,
        "有争议：行政复议法第二十三条第一款第（四）项是否涵盖不予处理（LEGAL.md §5.5）",
        contested=True,
    ),
    T3_OTHER: Reading(Route.EITHER, "行政复议法第二十三条第一款未列入其他处理"),
}

CONTESTED_GROUPS: Final = frozenset(code for code, r in REMEDY_TABLE.items() if r.contested)


@dataclass(frozen=True, slots=True)
class RemedyPolicy:
    """How a deployment reads the contested rows of :data:`REMEDY_TABLE`.

    ``reconsideration_first`` names the contested result groups it reads as 复议前置 (e.g.
    ``frozenset({T3_UNAVAILABLE})`` where the province reads item (四) broadly). Only contested
    groups may be named: the others are settled by the statute's wording. Raises ``ValueError``
    naming the bad code.
    """

    reconsideration_first: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        wrong = sorted(set(self.reconsideration_first) - CONTESTED_GROUPS)
        if wrong:
            raise ValueError(
                f"RemedyPolicy.reconsideration_first: {wrong} are not contested result groups "
                f"(contested: {sorted(CONTESTED_GROUPS)})"
            )


DEFAULT_REMEDY_POLICY: Final = RemedyPolicy()


def _check_table() -> None:
    """Every result group of every format has a row here, so none is lettered by accident."""
    missing = sorted({group_of(code) for code in RESULT_CODES} - set(REMEDY_TABLE))
    if missing:
        raise RuntimeError(f"core.remedy_routes: no remedy reading for result groups {missing}")


_check_table()


def remedy_route(
    result: str, served_on: dt.date, policy: RemedyPolicy = DEFAULT_REMEDY_POLICY
) -> Route:
    """The route a reply with ``result`` (a table 三 result-row code) served on ``served_on``
    states. Raises ``KeyError`` for a code that is no result row."""
    group = group_of(result)
    if served_on < RECONSIDERATION_LAW_2023_IN_FORCE:
        return Route.EITHER
    if group in policy.reconsideration_first:
        return Route.RECONSIDERATION_FIRST
    return REMEDY_TABLE[group].route


def remedies_sentence(route: Route, *, reconsideration_body: str, court: str) -> str:
    """The remedies paragraph of a reply letter for ``route``, naming the bodies given."""
    either = (
        f"可以自收到本答复之日起{law.RECONSIDERATION_PERIOD_DAYS}日内"
        f"向{reconsideration_body}申请行政复议，"
        f"也可以自收到本答复之日起{law.LITIGATION_PERIOD_MONTHS}个月内"
        f"向{court}提起行政诉讼"
    )
    first = (
        f"应当先自收到本答复之日起{law.RECONSIDERATION_PERIOD_DAYS}日内"
        f"向{reconsideration_body}申请行政复议；对行政复议决定不服的，"
        f"可以自收到行政复议决定书之日起{LITIGATION_AFTER_RECONSIDERATION_DAYS}日内"
        f"向{court}提起行政诉讼"
    )
    match route:
        case Route.EITHER:
            return f"如对本答复不服，{either}。"
        case Route.RECONSIDERATION_FIRST:
            return f"如对本答复不服，{first}。"
        case Route.SPLIT:
            return f"如对本答复中不予公开的部分不服，{first}；如对本答复的其他内容不服，{either}。"
        case _:
            assert_never(route)
