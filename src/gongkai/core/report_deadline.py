"""Where a unit's annual report stands against its Article 49 deadline.

The deadlines themselves are legal data in :mod:`gongkai.core.law` (``ANNUAL_REPORT_DEADLINE``,
cited to 《条例》第四十九条): a county-level-and-above department publishes last year's report by
31 January, a county-level-and-above people's government its own report by 31 March, and a
township or street office (乡镇、街道) has no national deadline at all — only the local one a
deployment may set in :class:`~gongkai.core.law.PublicationPolicy`. This module maps the report
kinds onto them and says, for a day, whether a report is published, published late, due soon or
overdue: what the dashboard shows and warns of. It is pure so that the whole table of cases is
tested without a database.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Final

from gongkai.core import law
from gongkai.core.model import ReportKind

# How long before a deadline the dashboard starts warning. Not a legal number: gongkai's choice
# of "in time to finish the report", two working weeks and a little.
WARN_AHEAD_DAYS: Final = 15


@dataclass(frozen=True, slots=True)
class Deadline:
    """The publication deadline of a report of ``kind`` for ``year`` (``day`` None: none)."""

    kind: ReportKind
    year: int
    day: dt.date | None
    basis: str  # the provision or local rule, in Chinese, for the page


def report_deadline(
    kind: ReportKind, year: int, *, policy: law.PublicationPolicy = law.DEFAULT_PUBLICATION_POLICY
) -> Deadline:
    """The deadline for publishing ``year``'s report of a unit of ``kind`` (in ``year + 1``).

    Departments: 31 January; governments and their roll-ups: 31 March (Art 49). Townships and
    streets: the local deadline of ``policy`` if the deployment set one, else none — Art 49
    names only county-level-and-above departments and governments.
    """
    article = law.ANNUAL_REPORT_ARTICLE
    if kind is ReportKind.TOWNSHIP:
        local = policy.township_deadline
        if local is None:
            return Deadline(kind, year, None, f"{article}未规定乡镇（街道）年度报告的公布期限")
        source = policy.township_deadline_source or "本地规定"
        return Deadline(kind, year, local.in_year(year + 1), source)
    day = law.ANNUAL_REPORT_DEADLINE[kind.deadline_kind].in_year(year + 1)
    government = kind.deadline_kind is law.ReportDeadlineKind.GOVERNMENT
    whose = "县级以上人民政府" if government else "政府部门"
    return Deadline(kind, year, day, f"{article}：{whose}于 {day.month} 月 {day.day} 日前公布")


class ReportState(enum.StrEnum):
    PUBLISHED = "published"  # published by the deadline (or with none to meet)
    PUBLISHED_LATE = "published_late"
    NOT_PUBLISHED = "not_published"  # not yet, and the deadline is not near (or there is none)
    DUE_SOON = "due_soon"  # not yet, deadline within WARN_AHEAD_DAYS
    OVERDUE = "overdue"  # not yet, deadline passed

    @property
    def warns(self) -> bool:
        return self in (ReportState.DUE_SOON, ReportState.OVERDUE, ReportState.PUBLISHED_LATE)


@dataclass(frozen=True, slots=True)
class ReportStatus:
    """One report's standing on ``today``: the dashboard's line for a unit."""

    deadline: Deadline
    state: ReportState
    published_on: dt.date | None  # the first version's day: the one Art 49 is about
    version: int | None  # the latest version
    days: int | None  # days left (DUE_SOON, NOT_PUBLISHED) or days late (OVERDUE, LATE)
    # Published before the unit used gongkai and imported from its file (no version of ours;
    # the day is the one the parser read from the file, if any).
    imported: bool = False

    @property
    def text(self) -> str:
        """The status in one Chinese phrase."""
        due = self.deadline.day
        day = self.published_on.isoformat() if self.published_on else ""
        if self.state is ReportState.PUBLISHED and self.imported:
            return f"已导入本单位发布的报告（发布于 {day}）" if day else "已导入本单位发布的报告"
        if self.state is ReportState.PUBLISHED:
            return f"已发布第 {self.version} 版（首次发布 {day}）"
        if self.state is ReportState.PUBLISHED_LATE:
            assert due is not None
            what = "导入的报告" if self.imported else f"第 {self.version} 版，首次"
            return f"逾期发布：{what}发布于 {day}，晚于期限 {due.isoformat()} {self.days} 天"
        if self.state is ReportState.OVERDUE:
            assert due is not None
            return f"已逾期：应于 {due.isoformat()} 前公布，尚未发布，已超过 {self.days} 天"
        if self.state is ReportState.DUE_SOON:
            assert due is not None
            return f"即将到期：尚未发布，距公布期限 {due.isoformat()} 还有 {self.days} 天"
        if due is None:
            return "尚未发布（无全国统一的公布期限）"
        return f"尚未发布（公布期限 {due.isoformat()}）"


def report_status(
    deadline: Deadline,
    *,
    today: dt.date,
    published_on: dt.date | None,
    version: int | None = None,
    imported: bool = False,
    warn_ahead_days: int = WARN_AHEAD_DAYS,
) -> ReportStatus:
    """Where the report stands on ``today`` given the day it was first published (if at all).

    ``imported``: the unit published it before it used gongkai and imported the file; it is
    published, on ``published_on`` if the parser read that day (else its lateness is unknown).
    """
    due = deadline.day
    if published_on is not None:
        if due is not None and published_on > due:
            late = (published_on - due).days
            return ReportStatus(
                deadline, ReportState.PUBLISHED_LATE, published_on, version, late, imported
            )
        return ReportStatus(deadline, ReportState.PUBLISHED, published_on, version, None, imported)
    if imported:
        return ReportStatus(deadline, ReportState.PUBLISHED, None, None, None, imported)
    if due is None:
        return ReportStatus(deadline, ReportState.NOT_PUBLISHED, None, None, None)
    if today > due:
        return ReportStatus(deadline, ReportState.OVERDUE, None, None, (today - due).days)
    left = (due - today).days
    state = ReportState.DUE_SOON if left <= warn_ahead_days else ReportState.NOT_PUBLISHED
    return ReportStatus(deadline, state, None, None, left)
