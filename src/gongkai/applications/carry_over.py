"""Year-end carry-over and table 三 computed from the applications.

Table 三 of year Y counts, by applicant-type column:

* 一 本年新收 — applications received in Y;
* 二 上年结转 — applications received before Y that had no result when Y began;
* 三 办理结果 — applications whose result was reached in Y, in their result row;
* 四 结转下年度 — applications received by 31 December of Y with no result by then.

The day a result is reached is read from the case history itself (the first decision, deemed
withdrawal, unpaid fee or withdrawal event), not from a stored flag, so row 四 of Y and row 二 of
Y+1 are the same set by construction and the balance 一 + 二 = 三(七) + 四 holds whatever the
data. The ``carried_over`` event the year-end service writes is a note in the case history for
the people reading it; no count depends on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from django.db import transaction
from django.db.models import Case, CharField, Count, OuterRef, Q, QuerySet, Subquery, Value, When

from gongkai.agencies.gatekeeper import Action, require, unit_scope_q
from gongkai.agencies.models import Unit
from gongkai.applications import events as ev
from gongkai.applications.models import (
    RESULT_CHOICES,
    Application,
    ApplicationEvent,
    EventKind,
)
from gongkai.applications.services import application_append_event
from gongkai.core.formats import (
    APPLICANT_COLUMNS,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    T3_NEW,
    T3_RESULTS_TOTAL,
    T3_TOTAL_COLUMN,
    ReportFormat,
    format_for_year,
)
from gongkai.core.results import result_rows

# The events that give a case its table 三 result (see applications.clock: a decision, or the
# workflow ends that are results of their own — 逾期不补正, 逾期未缴费, 撤回).
RESULT_EVENT_KINDS: Final = (
    EventKind.DECIDED,
    EventKind.CORRECTION_ABANDONED,
    EventKind.FEE_NOT_PAID,
    EventKind.WITHDRAWN,
)


def _result_on() -> Subquery:
    """The date of a case's first result event (NULL while it has none)."""
    return Subquery(
        ApplicationEvent.objects.filter(application=OuterRef("pk"), kind__in=RESULT_EVENT_KINDS)
        .order_by("date", "id")
        .values("date")[:1]
    )


def _scope(user: Any, unit: Unit, include_subunits: bool) -> QuerySet[Application]:
    require(user, Action.VIEW_DASHBOARD, unit)
    return Application.objects.filter(unit_scope_q(user, unit, include_subunits=include_subunits))


def open_at_year_end(
    *, user: Any, unit: Unit, year: int, include_subunits: bool = False
) -> QuerySet[Application]:
    """The cases counted in row 四 of ``year`` (and so in row 二 of ``year + 1``)."""
    year_end = dt.date(year, 12, 31)
    return (
        _scope(user, unit, include_subunits)
        .annotate(result_on=_result_on())
        .filter(received_on__lte=year_end)
        .filter(Q(result_on__isnull=True) | Q(result_on__gt=year_end))
        .order_by("received_on", "pk")
    )


def _row_for(result: str, fmt: ReportFormat) -> str:
    """The row of ``fmt`` a stored (2021-coded) result counts in.

    The 2019 trial format has a single (六)其他处理 row where 2021 has three; a 2021 code
    ``other.fee_unpaid`` therefore counts in ``other`` of a 2019/2020 table.
    """
    codes = {row.code for row, _ in result_rows(fmt.table3)}
    if result in codes:
        return result
    group = result.split(".", 1)[0]
    if group in codes:
        return group
    raise ValueError(f"result {result!r} has no row in format {fmt.version}")


def table3_cells(
    *, user: Any, unit: Unit, year: int, include_subunits: bool = False
) -> dict[str, dict[str, int]]:
    """Table 三 of ``unit`` (or its subtree) for ``year``: row code → column code → count.

    Every cell of the format in force for ``year`` is present, zeros included, with the total
    column and the (七)总计 row computed as the format declares them, so the result drops into an
    ``AnnualReport``'s ``tables["t3"]``. One query: a GROUP BY over (new or carried in) ×
    (result row, or carried out) × applicant type.
    """
    return _count_table3(_scope(user, unit, include_subunits), year)


def unit_table3_cells(*, unit: Unit, year: int) -> dict[str, dict[str, int]]:
    """Table 三 of ``unit``'s own cases for ``year``, asking no permission: for the report
    builder, whose callers have already asked the gatekeeper (or are the command line, run by
    whoever holds the database). Same cells and query as :func:`table3_cells`."""
    return _count_table3(Application.objects.filter(unit=unit), year)


def _in_table3(cases: QuerySet[Application], year: int) -> QuerySet[Any]:
    # QuerySet[Any]: the annotations (intake, outcome) are fields the model does not declare.
    """The cases that count in ``year``'s table 三, each annotated with its ``intake`` row (new or
    carried in) and its ``outcome`` (its result code, or carried out): the one definition the
    table's counts and the drill-down to a cell's cases share."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (
        cases.annotate(result_on=_result_on())
        .filter(received_on__lte=end)
        .filter(Q(result_on__isnull=True) | Q(result_on__gte=start))
        .annotate(
            intake=Case(
                When(received_on__gte=start, then=Value(T3_NEW)),
                default=Value(T3_CARRIED_IN),
                output_field=CharField(),
            ),
            outcome=Case(
                When(result_on__lte=end, then="result"),
                default=Value(T3_CARRIED_OUT),
                output_field=CharField(),
            ),
        )
    )


TABLE3_CELL_UNKNOWN: Final = "{year} 年度报告的表三没有代码为“{row}”的行"


def table3_cell_cases(
    cases: QuerySet[Application], *, year: int, row: str, column: str = ""
) -> QuerySet[Application]:
    """The cases behind one cell of ``year``'s table 三: row ``row``, applicant column
    ``column`` (empty or the total column: every applicant type).

    Filters the same annotated set :func:`table3_cells` counts, so the number of cases listed
    is the number in the cell. Raises ``ValueError`` (with a Chinese message) for a row the
    year's format does not have.
    """
    fmt = format_for_year(year)
    table = fmt.table3
    if row not in {r.code for r in table.cell_rows}:
        raise ValueError(TABLE3_CELL_UNKNOWN.format(year=year, row=row))
    counted = _in_table3(cases, year)
    if row in (T3_NEW, T3_CARRIED_IN):
        counted = counted.filter(intake=row)
    elif row == T3_CARRIED_OUT:
        counted = counted.filter(outcome=T3_CARRIED_OUT)
    else:
        rows = set(table.row(T3_RESULTS_TOTAL).sum_of) if row == T3_RESULTS_TOTAL else {row}
        stored = [code for code, _ in RESULT_CHOICES if code and _row_for(code, fmt) in rows]
        counted = counted.filter(outcome__in=stored)
    if column and column != T3_TOTAL_COLUMN.code:
        counted = counted.filter(applicant_type=column)
    return counted


def _count_table3(cases: QuerySet[Application], year: int) -> dict[str, dict[str, int]]:
    fmt = format_for_year(year)
    counted = (
        _in_table3(cases, year)
        .values("intake", "outcome", "applicant_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = fmt.table3
    cells = {row.code: {column.code: 0 for column in table.columns} for row in table.cell_rows}
    for entry in counted:
        column, n = entry["applicant_type"], entry["n"]
        cells[entry["intake"]][column] += n
        outcome = entry["outcome"]
        row = T3_CARRIED_OUT if outcome == T3_CARRIED_OUT else _row_for(outcome, fmt)
        cells[row][column] += n
    total_row = table.row(T3_RESULTS_TOTAL)
    for applicant in APPLICANT_COLUMNS:
        cells[total_row.code][applicant.code] = sum(
            cells[r][applicant.code] for r in total_row.sum_of
        )
    for values in cells.values():
        values[T3_TOTAL_COLUMN.code] = sum(values[c] for c in T3_TOTAL_COLUMN.sum_of)
    return cells


@transaction.atomic
def carry_over_year_end(*, acting_user: Any, unit: Unit, year: int) -> list[Application]:
    """Note ``carried_over`` on every case of ``unit`` still open at the end of ``year``.

    Idempotent: a case already noted for ``year`` is skipped, so the service can be run again
    (after a late registration, say) without duplicating events. The event is dated 31 December
    of ``year``, so it can only be written once that day has come. Returns the cases noted now.
    """
    require(acting_user, Action.HANDLE, unit)
    already = ApplicationEvent.objects.filter(ev.having(ev.CarriedOver, year=year)).values(
        "application_id"
    )
    pending = (
        open_at_year_end(user=acting_user, unit=unit, year=year)
        .exclude(pk__in=already)
        .only("pk", "version")
    )
    return [
        application_append_event(
            acting_user=acting_user,
            application_id=application.pk,
            expected_version=application.version,
            payload=ev.CarriedOver(year=year, into=year + 1),
            on=dt.date(year, 12, 31),
        )
        for application in pending
    ]
