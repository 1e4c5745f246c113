"""Reads for the web pages that :mod:`gongkai.applications.selectors` does not cover.

The search over all of a user's cases, the supervising office's per-unit overview, and the case
page (its clock, its history and which workflow steps the clock allows next). Like the
selectors, every function fetches through the gatekeeper and issues a fixed number of queries.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import Any, Final

from django.db.models import Count, F, Q, QuerySet

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import (
    PERMISSIONS,
    Action,
    access_application_by_id,
    applications_for,
    can,
    membership_of,
    units_for,
)
from gongkai.agencies.models import Membership, Role, Unit
from gongkai.applications import clock
from gongkai.applications import events as ev
from gongkai.applications.carry_over import table3_cell_cases
from gongkai.applications.models import Application, ApplicationEvent, Delivery, EventKind
from gongkai.applications.selectors import (
    DUE_SOON_WORKING_DAYS,
    CaseRow,
    cached_due_is_provisional,
    case_row,
    provisional_due_q,
)
from gongkai.core.clock import CaseStatus, ConsultationParty, ConsultationWindow
from gongkai.core.errors import GongkaiError
from gongkai.core.fees import FeeMethod
from gongkai.core.reasons import ReasonField, missing_reasons

# Status filter values beyond the clock's own statuses.
OPEN: Final = "open"
CLOSED: Final = "closed"
ARCHIVED: Final = "archived"
STATUS_FILTERS: Final[list[tuple[str, str]]] = [
    (OPEN, "未办结（全部）"),
    (CLOSED, "已办结（全部）"),
    *((s.value, s.label) for s in CaseStatus),
    (ARCHIVED, "已归档"),
]


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """What the clerk filters a case list by; ``None``/empty = no filter on that field."""

    unit: Unit | None = None
    status: str = ""
    applicant_type: str = ""
    channel: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    text: str = ""
    provisional: bool = False  # only open cases whose due date is provisional (暂定期限)
    # The cases behind a row of a year's table 三 (the roll-up's drill-down); both or neither.
    table3_year: int | None = None
    table3_row: str = ""


def application_search(*, user: Any, filters: SearchFilters) -> QuerySet[Application]:
    """The cases ``user`` may read that match ``filters``, newest first (lazy: one query).

    ``text`` matches the tracking number, the applicant's name or document number, or the
    request description. Status filters read the cached status column, which the services
    keep in step with every event; ``provisional`` reads the cached due date, which entering a
    year's schedule refreshes (:mod:`gongkai.applications.calendar_refresh`). ``table3_year``
    with ``table3_row`` (and ``applicant_type`` for the column) keeps the cases one cell of that
    year's table 三 counts, by the table's own definition
    (:func:`gongkai.applications.carry_over.table3_cell_cases`).
    """
    queryset = applications_for(user, Action.VIEW_CASES).select_related("unit")
    # Archived cases (past retention, read-only) are out of every list but their own filter.
    if filters.status == ARCHIVED:
        queryset = queryset.filter(archived_on__isnull=False)
    else:
        queryset = queryset.filter(archived_on__isnull=True)
    if filters.provisional:
        queryset = queryset.filter(provisional_due_q())
    if filters.unit is not None:
        queryset = queryset.filter(unit=filters.unit)
    if filters.status == OPEN:
        queryset = queryset.filter(closed_on__isnull=True)
    elif filters.status == CLOSED:
        queryset = queryset.filter(closed_on__isnull=False)
    elif filters.status and filters.status != ARCHIVED:
        queryset = queryset.filter(status=filters.status)
    if filters.applicant_type:
        queryset = queryset.filter(applicant_type=filters.applicant_type)
    if filters.table3_year is not None and filters.table3_row:
        queryset = table3_cell_cases(queryset, year=filters.table3_year, row=filters.table3_row)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.received_from:
        queryset = queryset.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        queryset = queryset.filter(received_on__lte=filters.received_to)
    text = filters.text.strip()
    if text:
        queryset = queryset.filter(
            Q(tracking_number__icontains=text)
            | Q(applicant_name__icontains=text)
            | Q(id_document_number=text.upper())
            | Q(description__icontains=text)
        )
    return queryset.order_by("-received_on", "-pk")


@dataclass(frozen=True, slots=True)
class SearchRow:
    """A case of a list read from the cached columns, with its due date's 暂定 mark."""

    application: Application
    due_provisional: bool


def search_rows(applications: Iterable[Application]) -> Iterator[SearchRow]:
    """Search results, each marked as it is read (no query: the calendar is in memory), so an
    export of tens of thousands of cases still streams."""
    return (SearchRow(app, cached_due_is_provisional(app)) for app in applications)


@dataclass(frozen=True, slots=True)
class UnitCounts:
    unit: Unit
    open: int = 0
    due_this_week: int = 0
    overdue: int = 0
    awaiting_applicant: int = 0
    received_this_year: int = 0
    decided_this_year: int = 0
    provisional: int = 0  # open cases with a deadline counted over a provisional year (暂定)


@dataclass(frozen=True, slots=True)
class Overview:
    today: dt.date
    units: tuple[UnitCounts, ...]
    totals: UnitCounts
    may_list: bool  # whether the user may open the units' case lists (not the administrator)


def unit_overview(*, user: Any, today: dt.date | None = None) -> Overview:
    """Counts per unit for everything ``user`` may see the dashboard of (a supervisor's subtree).

    Counts only, no applicants' data, so the system administrator may see it too. Four queries
    whatever the number of units: membership, units, open cases' events, yearly counts.
    """
    day = today or pages.today()
    # Tree order: the path's ids as numbers ("/1/10/" after "/1/9/", unlike the string).
    units = sorted(
        units_for(user, Action.VIEW_DASHBOARD),
        key=lambda u: [int(part) for part in u.path.strip("/").split("/") if part],
    )
    cases = Application.objects.filter(unit__in=[u.pk for u in units])
    # The open cases' histories in one joined query, without loading the applications
    # themselves: a district holds thousands of open cases and only their clocks count here.
    histories = (
        ApplicationEvent.objects.filter(
            application__unit__in=[u.pk for u in units], application__closed_on__isnull=True
        )
        .annotate(unit_pk=F("application__unit_id"))
        .only("application_id", "kind", "date", "data")
        .order_by("application_id", "id")
    )
    sunday = day + dt.timedelta(days=6 - day.weekday())
    waiting = {CaseStatus.AWAITING_SUPPLEMENT, CaseStatus.AWAITING_PAYMENT}
    per_unit: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _, group in groupby(histories, key=attrgetter("application_id")):
        events = list(group)
        counts = per_unit[events[0].unit_pk]
        counts["open"] += 1
        try:
            state = clock.evaluate(events, on=day).clock
        except GongkaiError:
            continue
        if state.overdue:
            counts["overdue"] += 1
        elif state.due is not None and day <= state.due <= sunday:
            counts["due_this_week"] += 1
        if state.status in waiting:
            counts["awaiting_applicant"] += 1
        if clock.provisional_deadlines(state).pending:
            counts["provisional"] += 1
    year_start = day.replace(month=1, day=1)
    for row in (
        cases.values("unit_id")
        .annotate(
            received=Count("pk", filter=Q(received_on__gte=year_start, received_on__lte=day)),
            decided=Count(
                "pk", filter=Q(decided_on__gte=year_start, decided_on__lte=day) & ~Q(result="")
            ),
        )
        .order_by()
    ):
        per_unit[row["unit_id"]]["received_this_year"] = row["received"]
        per_unit[row["unit_id"]]["decided_this_year"] = row["decided"]
    rows = tuple(UnitCounts(unit, **per_unit.get(unit.pk, {})) for unit in units)
    names = (
        "open",
        "due_this_week",
        "overdue",
        "awaiting_applicant",
        "received_this_year",
        "decided_this_year",
        "provisional",
    )
    totals = {name: sum(getattr(r, name) for r in rows) for name in names}
    anchor = units[0] if units else Unit(name="—")
    return Overview(
        today=day,
        units=rows,
        totals=UnitCounts(anchor, **totals),
        may_list=bool(units) and can(user, Action.VIEW_CASES, units[0]),
    )


# ---------------------------------------------------------------------------------------------
# The case page
# ---------------------------------------------------------------------------------------------


class Step:
    """The workflow steps a case page can offer, named as in the URLs."""

    CORRECTION = "correction"
    SUPPLEMENT = "supplement"
    ABANDON = "abandon"
    CONSULT = "consult"
    CONSULT_ANSWER = "consult_answer"
    EXTENSION = "extension"
    EXTENSION_APPROVE = "extension_approve"
    EXTENSION_REFUSE = "extension_refuse"
    FEE_NOTICE = "fee_notice"
    FEE_PAID = "fee_paid"
    FEE_NOT_PAID = "fee_not_paid"
    FEE_DELIVERED = "fee_delivered"
    CONSULT_DELIVERED = "consult_delivered"
    DELAYED_REPLY = "delayed_reply"
    DECIDE = "decide"
    REPLY = "reply"
    WITHDRAW = "withdraw"


# Each step as the event(s) that probe whether the clock allows it today. The values are
# placeholders the clock accepts; the real ones come from the clerk's form.
_PROBE_FEE: Final = ev.FeeNoticeSent(
    method=FeeMethod.PER_REQUEST, units=1, already_this_month=0, yuan=Decimal(0), lines=()
)
_PROBES: Final[dict[str, Callable[[dt.date], tuple[ev.Payload, ...]]]] = {
    Step.CORRECTION: lambda day: (
        ev.CorrectionRequested(items="", supplement_deadline=day + dt.timedelta(days=1)),
    ),
    Step.SUPPLEMENT: lambda day: (ev.SupplementReceived(),),
    Step.ABANDON: lambda day: (ev.CorrectionAbandoned(),),
    Step.CONSULT: lambda day: (
        ev.ConsultationSent(consultation=ConsultationParty.THIRD_PARTY, party="\x00probe"),
    ),
    Step.EXTENSION: lambda day: (
        ev.ExtensionRequested(working_days=1, reason=""),
        ev.ExtensionApproved(),
    ),
    Step.EXTENSION_APPROVE: lambda day: (ev.ExtensionApproved(),),
    Step.EXTENSION_REFUSE: lambda day: (ev.ExtensionRefused(reason=""),),
    Step.FEE_NOTICE: lambda day: (_PROBE_FEE,),
    Step.FEE_PAID: lambda day: (ev.FeePaid(),),
    Step.FEE_NOT_PAID: lambda day: (ev.FeeNotPaid(),),
    Step.FEE_DELIVERED: lambda day: (ev.FeeNoticeDelivered(),),
    # Any date later than the due date will do for the probe: it asks whether Art 35 may still
    # be used today (before the due date, under the 2019 Regulation, not yet decided).
    Step.DELAYED_REPLY: lambda day: (ev.DelayedReply(due=day + dt.timedelta(days=90), reason=""),),
    Step.DECIDE: lambda day: (ev.Decided(result="disclosed"),),
    Step.REPLY: lambda day: (ev.ReplySent(delivery=Delivery.POST),),
    Step.WITHDRAW: lambda day: (ev.Withdrawn(),),
}
_HEAD_STEPS: Final = frozenset({Step.EXTENSION_APPROVE, Step.EXTENSION_REFUSE})


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything the case page shows; ``state`` is ``None`` when the clock failed (``error``)."""

    application: Application
    events: tuple[ApplicationEvent, ...]
    state: clock.CaseState | None
    error: str
    today: dt.date
    steps: frozenset[str]  # the steps this user may take today
    may_handle: bool
    open_consultations: tuple[tuple[str, str], ...] = field(default=())  # (kind, party)
    # Open consultations whose letter's delivery is not recorded (window provisional).
    undelivered_consultations: tuple[tuple[str, str], ...] = field(default=())
    pending_extension: ApplicationEvent | None = None
    provisional: clock.ProvisionalDeadlines = clock.NOT_PROVISIONAL  # the 暂定 marks

    @property
    def row(self) -> CaseRow:
        return CaseRow(self.application, self.state, self.error, self.provisional)

    @property
    def provisional_consultations(self) -> tuple[tuple[ConsultationWindow, bool], ...]:
        """Each consultation window with whether its answer due date is 暂定."""
        if self.provisional.consultations:
            return self.provisional.consultations
        windows = self.state.clock.consultations if self.state else ()
        return tuple((window, False) for window in windows)

    @property
    def reasons_missing(self) -> bool:
        """The decision lacks reasons its reply letter needs (the page offers to add them)."""
        found = ev.decision(self.events)
        if found is None:
            return False
        decided = found[1]
        recorded = {
            ReasonField.FACTS: decided.facts,
            ReasonField.WITHHELD_PART: decided.withheld_part,
            ReasonField.WITHHELD_GROUND: decided.withheld_ground,
        }
        return bool(missing_reasons(decided.result, recorded))

    @property
    def due_soon(self) -> bool:
        left = self.row.days_left
        return left is not None and 0 <= left <= DUE_SOON_WORKING_DAYS


def _allowed(history: list[ApplicationEvent], step: str, day: dt.date) -> bool:
    probe = [ev.new_event(payload, date=day) for payload in _PROBES[step](day)]
    try:
        clock.evaluate([*history, *probe], on=day)
    except GongkaiError:
        return False
    return True


def application_case(*, user: Any, application_id: int, today: dt.date | None = None) -> CaseView:
    """The case page of ``application_id`` as ``user`` sees it (gatekeeper: 404 otherwise).

    Which next steps are offered is decided by asking the clock whether each one would be
    accepted today, so the page can never offer what the service would refuse for the state
    of the case (the service still checks, with the date the clerk enters). Three queries:
    membership, the application, its events with their actors.
    """
    day = today or pages.today()
    application = access_application_by_id(user, application_id)
    events = tuple(application.events.select_related("actor").order_by("id"))
    history = list(events)
    try:
        state: clock.CaseState | None = clock.evaluate(history, on=day)
        error = ""
    except GongkaiError as exc:
        state, error = None, str(exc)
    may_handle = can(user, Action.HANDLE, application.unit)
    may_approve = can(user, Action.APPROVE_EXTENSION, application.unit)
    steps: set[str] = set()
    open_consultations: tuple[tuple[str, str], ...] = ()
    undelivered: tuple[tuple[str, str], ...] = ()
    pending: ApplicationEvent | None = None
    for event in history:
        if event.kind == EventKind.EXTENSION_REQUESTED:
            pending = event
        elif event.kind in (EventKind.EXTENSION_APPROVED, EventKind.EXTENSION_REFUSED):
            pending = None
    if state is not None and may_handle:
        for step in _PROBES:
            if step in _HEAD_STEPS and not may_approve:
                continue
            if _allowed(history, step, day):
                steps.add(step)
        open_consultations = tuple(
            (w.party.value, w.ref) for w in state.clock.consultations if w.answered_on is None
        )
        if open_consultations:
            steps.add(Step.CONSULT_ANSWER)
        undelivered = tuple(
            (w.party.value, w.ref)
            for w in state.clock.consultations
            if w.answered_on is None and w.provisional
        )
        if undelivered:
            steps.add(Step.CONSULT_DELIVERED)
    return CaseView(
        application=application,
        events=events,
        state=state,
        error=error,
        today=day,
        steps=frozenset(steps),
        may_handle=may_handle,
        open_consultations=open_consultations,
        undelivered_consultations=undelivered,
        pending_extension=pending,
        provisional=case_row(application, state).provisional,
    )


# ---------------------------------------------------------------------------------------------
# Who handles what: the clerk's own cases, the unit's queue, the load per clerk
# ---------------------------------------------------------------------------------------------


class Queue(enum.StrEnum):
    """Which open cases a list shows (the ``queue`` parameter of 我的案件)."""

    MINE = "mine"  # assigned to me
    UNASSIGNED = "unassigned"  # the unit's queue: nobody is responsible yet
    ALL = "all"  # every open case I may see

    @property
    def label(self) -> str:
        return QUEUE_LABELS[self]


QUEUE_LABELS: Final[dict[Queue, str]] = {
    Queue.MINE: "我承办的",
    Queue.UNASSIGNED: "待分配",
    Queue.ALL: "全部未办结",
}

# The roles that may handle a case of their own unit, read from the one permission table.
HANDLING_ROLES: Final[tuple[str, ...]] = tuple(
    role.value for role, actions in PERMISSIONS.items() if Action.HANDLE in actions
)


def default_queue(user: Any) -> Queue:
    """A clerk starts on their own cases; a 负责人 or a supervisor on everything."""
    membership = membership_of(user)
    if membership is not None and membership.role == Role.CLERK:
        return Queue.MINE
    return Queue.ALL


def parse_queue(value: str | None, user: Any) -> Queue:
    """The queue named in the URL, or the user's default for a missing or unknown one."""
    try:
        return Queue(value or "")
    except ValueError:
        return default_queue(user)


def rows_in_queue(rows: Iterable[CaseRow], *, user: Any, queue: Queue) -> list[CaseRow]:
    """The rows of ``queue`` among ``rows`` (no query: the column is on the rows)."""
    if queue is Queue.MINE:
        return [r for r in rows if r.application.assigned_to_id == user.pk]
    if queue is Queue.UNASSIGNED:
        return [r for r in rows if r.application.assigned_to_id is None]
    return list(rows)


@dataclass(frozen=True, slots=True)
class ClerkLoad:
    """One clerk's open cases as the 负责人 sees them; ``user_id`` ``None`` is the queue."""

    user_id: int | None
    name: str
    open: int = 0
    due_this_week: int = 0
    overdue: int = 0


def handling_members(unit: Unit) -> list[tuple[int, str]]:
    """The unit's active members who handle cases, as (user id, name), by name (one query)."""
    members = (
        Membership.objects.filter(unit=unit, role__in=HANDLING_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    return [(m.user_id, _display_name(m.user)) for m in members]


def bulk_assignees(*, user: Any, unit: Unit | None) -> list[tuple[int, str]]:
    """Whom the bulk bar of 我的案件 offers as assignee: the 负责人 any handling member (one
    query), a clerk only themself (a clerk may only take unassigned cases), else nobody."""
    if unit is None or not can(user, Action.HANDLE, unit):
        return []
    if can(user, Action.ASSIGN, unit):
        return handling_members(unit)
    return [(user.pk, _display_name(user))]


def _display_name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def clerk_load(
    *,
    unit: Unit,
    rows: Iterable[CaseRow],
    today: dt.date,
    members: list[tuple[int, str]] | None = None,
) -> list[ClerkLoad]:
    """Open cases, those due this week (today to Sunday) and those overdue, per clerk of
    ``unit``, from the rows of its open cases; the unassigned cases last, as the queue.

    Every handling member has a line (a clerk with nothing is a fact the head wants to see);
    a case assigned to someone who has since left the unit still counts, under their name.
    One query (the members, unless the caller passes :func:`handling_members` it already
    read); the counts follow the list's own rows, so they always agree.
    """
    sunday = today + dt.timedelta(days=6 - today.weekday())
    names: dict[int | None, str] = dict(handling_members(unit) if members is None else members)
    counts: dict[int | None, list[int]] = {user_id: [0, 0, 0] for user_id in names}
    for row in rows:
        if row.application.unit_id != unit.pk:
            continue
        user_id = row.application.assigned_to_id
        if user_id not in names:
            assignee = row.application.assigned_to
            names[user_id] = "待分配" if assignee is None else _display_name(assignee)
        line = counts.setdefault(user_id, [0, 0, 0])
        line[0] += 1
        if row.overdue:
            line[2] += 1
        elif row.due is not None and today <= row.due <= sunday:
            line[1] += 1
    order = sorted(counts, key=lambda uid: (uid is None, names[uid]))
    return [ClerkLoad(uid, names[uid], *counts[uid]) for uid in order]


@dataclass(frozen=True, slots=True)
class AssignmentOptions:
    """The assignee block of the case page: who handles it and what this user may change."""

    assignee: str  # "" when nobody
    may_assign: bool  # the 负责人: any handling member
    may_take: bool  # a handler of an unassigned case: take it for themself
    choices: tuple[tuple[int, str], ...] = ()


def assignment_options(*, user: Any, application: Application) -> AssignmentOptions:
    """What the case page offers about the assignee; a members query only for the 负责人."""
    assignee = application.assigned_to
    name = _display_name(assignee) if assignee is not None else ""
    is_open = application.closed_on is None
    may_assign = is_open and can(user, Action.ASSIGN, application.unit)
    may_take = is_open and assignee is None and not may_assign
    may_take = may_take and can(user, Action.HANDLE, application.unit)
    choices = tuple(handling_members(application.unit)) if may_assign else ()
    return AssignmentOptions(name, may_assign, may_take, choices)


# ---------------------------------------------------------------------------------------------
# Finding work: the deadline filters of 我的案件 and the month calendar of due dates
# ---------------------------------------------------------------------------------------------


class DueFilter(enum.StrEnum):
    """The ``due`` parameter of 我的案件: which open cases a clerk wants to see first."""

    OVERDUE = "overdue"  # 已超期: the running deadline has passed
    THIS_WEEK = "week"  # 本周到期: due from today to the last working day of this week
    WAITING = "waiting"  # 等待申请人: 补正 outstanding or the fee unpaid (the clock waits)
    PROVISIONAL = "provisional"  # 暂定期限: a date counted over a year not yet entered

    @property
    def label(self) -> str:
        return DUE_FILTER_LABELS[self]


DUE_FILTER_LABELS: Final[dict[DueFilter, str]] = {
    DueFilter.OVERDUE: "已超期",
    DueFilter.THIS_WEEK: "本周到期",
    DueFilter.WAITING: "等待申请人",
    DueFilter.PROVISIONAL: "暂定期限",
}

# The statuses in which the clock waits for the applicant. A consultation waits for a third
# party or another agency, not the applicant, so it is not among them.
WAITING_FOR_APPLICANT: Final = frozenset(
    {CaseStatus.AWAITING_SUPPLEMENT, CaseStatus.AWAITING_PAYMENT}
)


def parse_due_filter(value: str | None) -> DueFilter | None:
    """The filter named in the URL; ``None`` (no filter) for a missing or unknown one."""
    try:
        return DueFilter(value or "")
    except ValueError:
        return None


def week_end(today: dt.date) -> dt.date:
    """The last working day of ``today``'s week (Monday to Sunday) on the deployment calendar,
    so a 调休 Saturday counts and a holiday Friday does not; ``today``'s Sunday when the rest of
    the week lies beyond the calendar's data or has no working day left."""
    sunday = today + dt.timedelta(days=6 - today.weekday())
    calendar = clock.deployment_calendar()
    day = sunday
    try:
        while day >= today and not calendar.is_workday(day):
            day -= dt.timedelta(days=1)
    except GongkaiError:
        return sunday
    return day if day >= today else sunday


def row_matches(row: CaseRow, due: DueFilter, *, today: dt.date, last_day: dt.date) -> bool:
    """Whether one live row (its clock evaluated today) belongs to ``due``.

    The rows carry clocks computed from the events, not the cached due date (which a
    consultation or a fee payment leaves stale), so each filter reads the live clock.
    ``last_day`` is :func:`week_end` of ``today``, computed once for the list.
    """
    if due is DueFilter.PROVISIONAL:
        return bool(row.provisional.pending)
    if row.state is None:
        return False
    if due is DueFilter.WAITING:
        return row.state.clock.status in WAITING_FOR_APPLICANT
    if due is DueFilter.OVERDUE:
        return row.overdue
    return not row.overdue and row.due is not None and today <= row.due <= last_day


def rows_due(rows: Iterable[CaseRow], due: DueFilter | None, *, today: dt.date) -> list[CaseRow]:
    """The rows ``due`` keeps (all of them for ``None``); no query."""
    if due is None:
        return list(rows)
    last_day = week_end(today)
    return [r for r in rows if row_matches(r, due, today=today, last_day=last_day)]


def due_counts(rows: Iterable[CaseRow], *, today: dt.date) -> dict[str, int]:
    """How many rows each filter keeps, for the filter tabs (no query)."""
    last_day = week_end(today)
    listed = list(rows)
    return {
        due.value: sum(1 for r in listed if row_matches(r, due, today=today, last_day=last_day))
        for due in DueFilter
    }


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """One cell of the month grid: the open cases whose running deadline falls on ``day``."""

    day: dt.date
    in_month: bool
    workday: bool | None  # None beyond the calendar's data
    rows: tuple[CaseRow, ...] = ()


@dataclass(frozen=True, slots=True)
class DeadlineMonth:
    """A month of due dates, Monday-first weeks, with the overdue cases listed apart."""

    month: dt.date  # the first of the month
    today: dt.date
    weeks: tuple[tuple[CalendarDay, ...], ...]
    overdue: tuple[CaseRow, ...]  # due before today and not answered: on no future day
    undated: int  # open cases without a running deadline (awaiting a supplement, clock error)

    @property
    def previous(self) -> dt.date:
        return (self.month - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return (self.month + dt.timedelta(days=32)).replace(day=1)


def deadline_month(*, rows: Iterable[CaseRow], month: dt.date, today: dt.date) -> DeadlineMonth:
    """The month grid of ``month`` for the live rows a list already fetched (no query).

    Each case sits on the day of its running deadline (the reply, extended or paused as the
    clock says); an overdue case also sits on its past due day, and is listed on top.
    """
    first = month.replace(day=1)
    by_day: dict[dt.date, list[CaseRow]] = defaultdict(list)
    overdue: list[CaseRow] = []
    undated = 0
    for row in rows:
        if row.due is None:
            undated += 1
            continue
        by_day[row.due].append(row)
        if row.overdue:
            overdue.append(row)
    calendar = clock.deployment_calendar()

    def workday(day: dt.date) -> bool | None:
        try:
            return calendar.is_workday(day)
        except GongkaiError:
            return None

    weeks = tuple(
        tuple(
            CalendarDay(day, day.month == first.month, workday(day), tuple(by_day.get(day, ())))
            for day in week
        )
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    )
    return DeadlineMonth(first, today, weeks, tuple(overdue), undated)
