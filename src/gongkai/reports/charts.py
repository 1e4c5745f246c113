"""What the report's charts need from the cases: the applications received in each month.

Table 三's row 一 (本年新收) counts the unit's own applications received in the year
(:func:`gongkai.applications.carry_over.unit_table3_cells`: ``Application.objects.filter(unit=
unit)``, ``received_on`` within the year); the month chart splits exactly those by month of
receipt, so its twelve bars add up to the table's 本年新收 总计. One GROUP BY, no permission asked:
like :func:`gongkai.reports.builder.build_report`, this is the computation, called by the
selectors (which ask the gatekeeper first) and the command line.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import ExtractMonth

from gongkai.agencies.models import Unit
from gongkai.applications.models import Application
from gongkai.core.render.charts import MONTHS


def monthly_received(*, unit: Unit, year: int) -> tuple[int, ...]:
    """The number of ``unit``'s applications received in each month of ``year``, January
    first (twelve counts, zeros included)."""
    counted = (
        Application.objects.filter(
            unit=unit, received_on__gte=dt.date(year, 1, 1), received_on__lte=dt.date(year, 12, 31)
        )
        .annotate(month=ExtractMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = [0] * MONTHS
    for entry in counted:
        counts[entry["month"] - 1] = entry["n"]
    return tuple(counts)


__all__ = ["monthly_received"]
