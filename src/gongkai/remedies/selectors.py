"""Table 四 of the annual report, computed from the recorded cases.

A case counts in the year it was filed (申请或立案), in its row (行政复议 / 未经复议直接起诉 /
复议后起诉) and in the column of its result if it was decided by 31 December of that year, else
as 尚未审结 — what a report written after the year end can truthfully say. One GROUP BY query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When

from gongkai.agencies.gatekeeper import Action, remedies_for, require, unit_scope_q
from gongkai.agencies.models import Unit
from gongkai.applications.models import Application
from gongkai.core.formats import TABLE4
from gongkai.remedies.models import PENDING, RECONSIDERATION, TOTAL, Remedy


def table4_cells(
    *, user: Any, unit: Unit, year: int, include_subunits: bool = False
) -> dict[str, dict[str, int]]:
    """Table 四 for ``unit`` (or its subtree) and ``year``: row code → column code → count.

    Every cell of :data:`TABLE4` is present (zeros included), the total column computed as the
    format declares it, so the result drops into an ``AnnualReport``'s ``tables["t4"]``.
    """
    require(user, Action.VIEW_DASHBOARD, unit)
    scope = unit_scope_q(user, unit, include_subunits=include_subunits, via="application__unit")
    return _count_table4(scope, year)


def unit_table4_cells(*, unit: Unit, year: int) -> dict[str, dict[str, int]]:
    """Table 四 of the remedies over ``unit``'s own cases for ``year``, asking no permission:
    for the report builder, whose callers have already asked the gatekeeper (or are the command
    line). Same cells and query as :func:`table4_cells`."""
    return _count_table4(Q(application__unit=unit), year)


def _count_table4(scope: Q, year: int) -> dict[str, dict[str, int]]:
    year_end = dt.date(year, 12, 31)
    outcome = Case(
        When(Q(decided_on__lte=year_end) & ~Q(result=""), then="result"),
        default=Value(PENDING),
        output_field=CharField(),
    )
    counted = (
        Remedy.objects.filter(scope, filed_on__year=year)
        .annotate(outcome=outcome)
        .values("kind", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells = {row.code: {column.code: 0 for column in TABLE4.columns} for row in TABLE4.rows}
    for entry in counted:
        cells[entry["kind"]][entry["outcome"]] += entry["n"]
    total = TABLE4.column(TOTAL)
    for values in cells.values():
        values[total.code] = sum(values[code] for code in total.sum_of)
    return cells


def remedy_list_for_application(*, application: Application) -> list[Remedy]:
    """The remedies over a case already fetched through the gatekeeper, with the reconsideration
    a lawsuit follows (one query; the case page's remedies panel)."""
    return list(Remedy.objects.filter(application=application).select_related("reconsideration"))


def decided_reconsiderations(remedies: Iterable[Remedy]) -> list[Remedy]:
    """The decided reconsiderations among ``remedies``: what a later lawsuit may follow."""
    return [r for r in remedies if r.kind == RECONSIDERATION and r.decided_on is not None]


def remedy_list(*, user: Any, unit_id: int | None = None) -> QuerySet[Remedy]:
    """Every reconsideration and lawsuit over applications ``user`` may read, newest first;
    with ``unit_id``, of that unit's applications only."""
    remedies = (
        remedies_for(user, Action.VIEW_CASES)
        .select_related("application", "application__unit")
        .order_by("-filed_on", "-pk")
    )
    if unit_id is not None:
        remedies = remedies.filter(application__unit_id=unit_id)
    return remedies
