"""Reads for the work views: the clerk's case list, the unit dashboard, duplicate detection.

Every selector fetches through the gatekeeper and issues a fixed number of queries whatever the
number of cases (pinned by ``tests/web/test_application_selectors.py``): the open cases of a unit
are few (tens, at most a few hundred), so their clocks are computed live from their events —
one prefetch query — rather than trusting the cached due date, which goes stale while a
consultation or a fee payment holds the clock. The cached columns serve only the SQL counts over
closed cases and the ordering of long lists.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Count, Prefetch, Q, QuerySet

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import (
    Action,
    access_application_by_id,
    applications_for,
    require,
    unit_scope_q,
)
from gongkai.agencies.models import Unit
from gongkai.applications import clock
from gongkai.applications import events as ev
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.core.clock import CaseStatus
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import format_for_year
from gongkai.core.reasons import ReasonField, Requirement, missing_reasons
from gongkai.core.results import result_label, result_rows

# Work-view choices, not legal facts: a case is "due soon" when this many working days or
# fewer remain, and two applications are "similar" above this ratio of matching characters.
DUE_SOON_WORKING_DAYS: Final = 5
DUPLICATE_WINDOW_DAYS: Final = 90
DUPLICATE_SIMILARITY: Final = 0.6


@dataclass(frozen=True, slots=True)
class CaseRow:
    """One open case as the clerk sees it today.

    ``state`` is ``None`` only when the clock could not be computed (e.g. today lies beyond the
    working-day calendar's data); ``error`` then says why in Chinese, and the row still shows.
    ``provisional`` marks the dates counted over a year whose holiday notice nobody has entered
    (暂定), computed once with the row.
    """

    application: Application
    state: clock.CaseState | None
    error: str = ""
    provisional: clock.ProvisionalDeadlines = clock.NOT_PROVISIONAL

    @property
    def due(self) -> dt.date | None:
        return self.state.due_date if self.state else None

    @property
    def days_left(self) -> int | None:
        return self.state.clock.working_days_left if self.state else None

    @property
    def overdue(self) -> bool:
        return bool(self.state and self.state.clock.overdue)

    @property
    def due_soon(self) -> bool:
        left = self.days_left
        return left is not None and 0 <= left <= DUE_SOON_WORKING_DAYS

    @property
    def status_label(self) -> str:
        return self.state.clock.status.label if self.state else "无法计算期限"

    def sort_key(self) -> tuple[bool, int, dt.date, int]:
        # Cases without a running period (awaiting a supplement) go last, then oldest first.
        left = self.days_left
        return (left is None, left or 0, self.application.received_on, self.application.pk)


def _today(today: dt.date | None) -> dt.date:
    return today or pages.today()


def _with_events(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.select_related("unit", "assigned_to").prefetch_related(
        Prefetch("events", queryset=ApplicationEvent.objects.order_by("id"))
    )


def case_row(application: Application, state: clock.CaseState | None, error: str = "") -> CaseRow:
    """The row of one case whose clock was evaluated, with its 暂定 marks (no query)."""
    if state is None:
        return CaseRow(application, None, error)
    return CaseRow(application, state, error, clock.provisional_deadlines(state.clock))


def _rows(applications: Iterable[Application], today: dt.date) -> list[CaseRow]:
    rows = []
    for application in applications:
        try:
            state = clock.evaluate(list(application.events.all()), on=today)
        except GongkaiError as error:
            rows.append(CaseRow(application, None, str(error)))
        else:
            rows.append(case_row(application, state))
    return rows


def cached_due_is_provisional(application: Application) -> bool:
    """Whether the cached due date of ``application`` counts a provisional day (暂定).

    For lists read from the cached columns (search results and their export): the period is
    taken from the receipt, the earliest day it can start. No query: the calendar is in memory.
    """
    due = application.due_date
    if due is None:
        return False
    return clock.deployment_calendar().provisional_between(application.received_on, due)


def provisional_due_q() -> Q:
    """Open cases whose cached due date counts a provisional day, as a filter (暂定期限).

    The same test as :func:`cached_due_is_provisional`, year by year: (received, due] reaches
    into a provisional year Y when the case was received before Y ends and is due in Y or later.
    """
    years = sorted(clock.deployment_calendar().provisional_years)
    reaches = Q(pk__in=[])
    for year in years:
        reaches |= Q(received_on__lt=dt.date(year, 12, 31), due_date__gte=dt.date(year, 1, 1))
    return Q(closed_on__isnull=True) & reaches


def application_list_open(
    *, user: Any, unit: Unit | None = None, today: dt.date | None = None
) -> list[CaseRow]:
    """The open cases ``user`` may see (optionally of one ``unit``), most urgent first.

    Three queries: the user's membership, the cases, their events.
    """
    queryset = applications_for(user, Action.VIEW_CASES).filter(closed_on__isnull=True)
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    rows = _rows(_with_events(queryset), _today(today))
    return sorted(rows, key=CaseRow.sort_key)


@dataclass(frozen=True, slots=True)
class ResultCount:
    code: str
    label: str
    count: int


@dataclass(frozen=True, slots=True)
class Dashboard:
    unit: Unit
    today: dt.date
    open: int
    due_this_week: int
    overdue: int
    awaiting_applicant: int  # 补正 or payment: the clock waits for the applicant
    clock_errors: int
    provisional: int  # open cases with a deadline counted over a provisional year (暂定)
    received_this_month: int
    results_this_year: tuple[ResultCount, ...]

    @property
    def decided_this_year(self) -> int:
        return sum(r.count for r in self.results_this_year)


def unit_dashboard(
    *,
    user: Any,
    unit: Unit,
    include_subunits: bool = False,
    today: dt.date | None = None,
) -> Dashboard:
    """The counts on a unit's dashboard; with ``include_subunits``, of its whole subtree.

    "Due this week" means due from today to Sunday and not yet overdue. Results are counted by
    decision date in the current year, in table 三 order of the format in force, zeros included.
    Five queries: membership, open cases, their events, received this month, results by row.
    """
    require(user, Action.VIEW_DASHBOARD, unit)
    day = _today(today)
    scope = unit_scope_q(user, unit, include_subunits=include_subunits)
    cases = Application.objects.filter(scope)
    rows = _rows(_with_events(cases.filter(closed_on__isnull=True)), day)
    sunday = day + dt.timedelta(days=6 - day.weekday())
    waiting = {CaseStatus.AWAITING_SUPPLEMENT, CaseStatus.AWAITING_PAYMENT}
    received = cases.filter(received_on__gte=day.replace(day=1), received_on__lte=day).count()
    year_start = day.replace(month=1, day=1)
    by_result = Counter(
        {
            row["result"]: row["n"]
            for row in cases.filter(decided_on__gte=year_start, decided_on__lte=day)
            .exclude(result="")
            .values("result")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )
    results = tuple(
        ResultCount(row.code, result_label(row, group), by_result.get(row.code, 0))
        for row, group in result_rows(format_for_year(day.year).table3)
    )
    return Dashboard(
        unit=unit,
        today=day,
        open=len(rows),
        due_this_week=sum(
            1 for r in rows if r.due is not None and not r.overdue and day <= r.due <= sunday
        ),
        overdue=sum(1 for r in rows if r.overdue),
        awaiting_applicant=sum(1 for r in rows if r.state and r.state.clock.status in waiting),
        clock_errors=sum(1 for r in rows if r.state is None),
        provisional=sum(1 for r in rows if r.provisional.pending),
        received_this_month=received,
        results_this_year=results,
    )


@dataclass(frozen=True, slots=True)
class DuplicateCandidate:
    application: Application
    similarity: float  # 0..1, share of matching characters in the two descriptions
    same_document: bool  # same identity document number (else: same name)


_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def _normalise(text: str) -> str:
    return _NOISE.sub("", text).lower()


def _days_before(day: dt.date, days: int) -> dt.date:
    """``day`` minus ``days``, or the first date there is (a date like 0001-01-01 was typed)."""
    try:
        return day - dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min


def application_find_duplicates(
    *,
    user: Any,
    unit: Unit,
    applicant_name: str,
    id_document_number: str,
    description: str,
    on: dt.date | None = None,
    within_days: int = DUPLICATE_WINDOW_DAYS,
    exclude_id: int | None = None,
) -> list[DuplicateCandidate]:
    """Earlier applications to ``unit`` by the same applicant asking for something similar.

    Offered to the clerk at intake (a repeat may be answered as 不予处理-2, [R] Art 36 (六)),
    never acted on automatically. Same applicant = same identity document number or same name;
    similar = :data:`DUPLICATE_SIMILARITY` of the normalised descriptions. Two queries.
    """
    day = _today(on)
    number = id_document_number.strip().upper()
    name = applicant_name.strip()
    same_person = Q()
    if number:
        same_person |= Q(id_document_number=number)
    if name:
        same_person |= Q(applicant_name=name)
    if not same_person:
        return []
    queryset = (
        applications_for(user, Action.VIEW_CASES)
        .filter(unit=unit, received_on__gte=_days_before(day, within_days))
        .filter(received_on__lte=day)
        .filter(same_person)
        .select_related("unit")
    )
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    wanted = _normalise(description)
    found = []
    for application in queryset:
        ratio = difflib.SequenceMatcher(None, wanted, _normalise(application.description)).ratio()
        if ratio >= DUPLICATE_SIMILARITY:
            found.append(
                DuplicateCandidate(
                    application, round(ratio, 3), application.id_document_number == number
                )
            )
    return sorted(found, key=lambda c: (-c.similarity, -c.application.pk))


# The most cases one bulk action takes: a page of 我的案件 is at most a few hundred rows.
BULK_LIMIT: Final = 500


def applications_selected(*, user: Any, ids: Iterable[int]) -> list[Application]:
    """The cases among ``ids`` that ``user`` may read, in the order given (one query after the
    membership). An id the user may not see is simply absent: the caller reports it as not
    found, the same answer as for an id that does not exist."""
    wanted = list(dict.fromkeys(ids))[:BULK_LIMIT]
    found = {
        app.pk: app
        for app in applications_for(user, Action.VIEW_CASES)
        .filter(pk__in=wanted)
        .select_related("unit", "assigned_to")
    }
    return [found[pk] for pk in wanted if pk in found]


@dataclass(frozen=True, slots=True)
class DecisionReasons:
    """The decision of a case and the reasons it still lacks (the page that adds them).

    ``decided`` is ``None`` before any decision; ``missing`` lists what the reply letter needs
    and the decision lacks; ``recorded`` holds the reasons already there, by field.
    """

    application: Application
    decided: ev.Decided | None
    decided_on: dt.date | None
    missing: tuple[Requirement, ...]
    recorded: dict[ReasonField, str]


def decision_reasons(*, user: Any, application_id: Any) -> DecisionReasons:
    """The decision of ``application_id`` as the reasons page shows it, read through the
    gatekeeper for ``user`` (two queries)."""
    application = access_application_by_id(user, application_id)
    found = ev.decision(application.events.order_by("id"))
    if found is None:
        return DecisionReasons(application, None, None, (), {})
    event, decided = found
    recorded = {
        ReasonField.FACTS: decided.facts,
        ReasonField.WITHHELD_PART: decided.withheld_part,
        ReasonField.WITHHELD_GROUND: decided.withheld_ground,
    }
    missing = missing_reasons(decided.result, recorded)
    return DecisionReasons(application, decided, event.date, missing, recorded)
