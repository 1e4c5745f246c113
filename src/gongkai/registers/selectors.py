"""Reads of the registers, and section 二's cells derived from them.

:func:`section2_cells` is what the report builder calls: it returns section 二's tables for a
unit and year in exactly the shape of :attr:`gongkai.core.model.AnnualReport.tables`
(table code → row code → column code → value), keyed by the constants of
:mod:`gongkai.core.formats` for the format in force that year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import Count, Q, QuerySet, Sum

from gongkai.agencies.gatekeeper import Action, records_for, units_for
from gongkai.agencies.models import Unit
from gongkai.applications.clock import deployment_calendar
from gongkai.core import law
from gongkai.core.calendar import CalendarRangeError
from gongkai.core.formats import (
    S2_ADMIN_FEES,
    S2_ART20_5,
    S2_ART20_6,
    S2_ART20_8,
    S2_DECISIONS,
    S2_FEE_AMOUNT,
    S2_IN_FORCE,
    S2_ISSUED,
    S2_MADE,
    S2_NORMATIVE,
    S2_REPEALED,
    format_for_year,
)
from gongkai.core.model import TableCells
from gongkai.registers import events as register_events
from gongkai.registers.models import (
    CATEGORY_CHOICES,
    CHANGE_CHOICES,
    COERCION,
    DECISION_KIND_CHOICES,
    DOCUMENT_KIND_CHOICES,
    LICENSING,
    NORMATIVE_DOCUMENT,
    PENALTY,
    PROACTIVE_ITEM,
    QUANTITY_LABELS,
    WORK_KIND_CHOICES,
    WORK_RECORD,
    AdminFeeTotal,
    DecisionCount,
    NormativeDocument,
    ProactiveItem,
    RegisterEvent,
    RegisterEventKind,
    WorkRecord,
    wan_yuan,
)

# Which section 二 block each decision kind (a row code) is counted in.
_DECISION_TABLE: Final = {LICENSING: S2_ART20_5, PENALTY: S2_ART20_6, COERCION: S2_ART20_6}


def document_counts(*, unit: Unit, year: int) -> dict[str, tuple[int, int, int]]:
    """Per document kind: (issued in ``year``, repealed in ``year``, in force at its end).

    In force at the end of the year: issued on or before 31 December and not repealed on or
    before it — so in_force(year) = in_force(year − 1) + issued − repealed, the cross-year rule.
    """
    end = dt.date(year, 12, 31)
    rows = (
        NormativeDocument.objects.filter(unit=unit)
        .values("kind")
        .annotate(
            issued=Count("pk", filter=Q(issued_on__year=year)),
            repealed=Count("pk", filter=Q(repealed_on__year=year)),
            current=Count(
                "pk",
                filter=Q(issued_on__lte=end)
                & (Q(repealed_on__isnull=True) | Q(repealed_on__gt=end)),
            ),
        )
    )
    counts = {kind: (0, 0, 0) for kind, _ in DOCUMENT_KIND_CHOICES}
    for row in rows:
        counts[row["kind"]] = (row["issued"], row["repealed"], row["current"])
    return counts


def decision_totals(*, unit: Unit, year: int) -> dict[str, int | None]:
    """Per decision kind, the year's total; ``None`` where no month of the year was entered.

    A kind with no entry at all is blank, not zero: the report then shows a blank cell that the
    rules flag, instead of a zero nobody stated.
    """
    rows = (
        DecisionCount.objects.filter(unit=unit, year=year)
        .values("kind")
        .annotate(total=Sum("quantity"))
    )
    totals: dict[str, int | None] = {kind: None for kind, _ in DECISION_KIND_CHOICES}
    for row in rows:
        totals[row["kind"]] = int(row["total"])
    return totals


def section2_cells(*, unit: Unit, year: int) -> dict[str, TableCells]:
    """Section 二's cells for ``unit``'s report on ``year``, from the registers.

    Every cell of every section 二 table of ``format_for_year(year)`` is present; a cell the
    registers cannot state is ``None`` (blank). Derived, never typed:

    * (一) 本年制发件数 / 本年废止件数 / 现行有效件数 (2021 format) from the documents' dates; in
      the 2019 trial format only 本年新制作数量 (the documents issued that year) is derived;
    * (五)(六) 本年处理决定数量 (2021) / 处理决定数量 (2019): the sum of the months entered;
    * (八) 本年收费金额 in 万元 (2021 only) as a :class:`~decimal.Decimal`.

    The caller has checked that the user may read ``unit``'s registers
    (:data:`~gongkai.agencies.gatekeeper.Action.VIEW_REGISTERS`) or is building its report.
    Raises :class:`gongkai.core.formats.FormatError` for a year before 2019.
    """
    fmt = format_for_year(year)
    cells: dict[str, TableCells] = {
        table.code: {
            row.code: {column.code: None for column in table.columns} for row in table.cell_rows
        }
        for table in fmt.section2
    }
    documents = cells[S2_NORMATIVE]
    for kind, (issued, repealed, in_force) in document_counts(unit=unit, year=year).items():
        if fmt.has_in_force_column:
            documents[kind][S2_ISSUED] = issued
            documents[kind][S2_REPEALED] = repealed
            documents[kind][S2_IN_FORCE] = in_force
        else:
            documents[kind][S2_MADE] = issued
    for kind, total in decision_totals(unit=unit, year=year).items():
        cells[_DECISION_TABLE[kind]][kind][S2_DECISIONS] = total
    if fmt.has_wan_yuan_cells:
        fee = AdminFeeTotal.objects.filter(unit=unit, year=year).first()
        cells[S2_ART20_8][S2_ADMIN_FEES][S2_FEE_AMOUNT] = wan_yuan(fee.amount) if fee else None
    return cells


def register_units(*, user: Any) -> QuerySet[Unit]:
    """The units whose registers ``user`` may read, by path."""
    return units_for(user, Action.VIEW_REGISTERS).order_by("path")


def normative_documents(*, user: Any, unit: Unit) -> QuerySet[NormativeDocument]:
    """``unit``'s registered documents, newest first (empty where the user may not read)."""
    return records_for(NORMATIVE_DOCUMENT, user, Action.VIEW_REGISTERS).filter(unit=unit)


def decision_grid(*, unit: Unit, year: int) -> dict[str, list[int | None]]:
    """Per decision kind, the twelve months' entered counts (``None`` where not entered)."""
    grid: dict[str, list[int | None]] = {kind: [None] * 12 for kind, _ in DECISION_KIND_CHOICES}
    for entry in DecisionCount.objects.filter(unit=unit, year=year):
        grid[entry.kind][entry.month - 1] = entry.quantity
    return grid


def admin_fee(*, unit: Unit, year: int) -> AdminFeeTotal | None:
    return AdminFeeTotal.objects.filter(unit=unit, year=year).first()


def section2_display(*, unit: Unit, year: int) -> list[dict[str, Any]]:
    """Section 二 as the page shows it: each block's title, column labels and labelled rows."""
    fmt = format_for_year(year)
    cells = section2_cells(unit=unit, year=year)
    return [
        {
            "header": table.header,
            "title": table.title,
            "columns": [column.label for column in table.columns],
            "rows": [
                (row.label, [cells[table.code][row.code][column.code] for column in table.columns])
                for row in table.cell_rows
            ],
        }
        for table in fmt.section2
    ]


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    """A catalogue item with Art 26's check: published within 20 working days of its formation."""

    item: ProactiveItem
    due_on: dt.date | None  # the last day to publish; None when the calendar does not reach it
    # Working days after the due date it was published (or, unpublished, is now overdue); 0 = on
    # time; None when the calendar cannot say.
    days_late: int | None

    @property
    def late(self) -> bool:
        return bool(self.days_late)


def publication_check(item: ProactiveItem, *, today: dt.date) -> CatalogueEntry:
    """Art 26 for one item, counted on the deployment's working-day calendar."""
    calendar = deployment_calendar()
    period = law.PROACTIVE_PUBLICATION_PERIOD.working_days
    try:
        due = calendar.add_working_days(item.formed_on, period)
        until = item.published_on or today
        late = max(calendar.working_days_between(due, until), 0)
    except CalendarRangeError:
        return CatalogueEntry(item, None, None)
    return CatalogueEntry(item, due, late)


def catalogue(*, user: Any, unit: Unit, year: int, today: dt.date) -> list[CatalogueEntry]:
    """``unit``'s items formed or published in ``year`` (or still unpublished), with the check."""
    items = (
        records_for(PROACTIVE_ITEM, user, Action.VIEW_REGISTERS)
        .filter(unit=unit)
        .filter(Q(formed_on__year=year) | Q(published_on__year=year) | Q(published_on__isnull=True))
    )
    return [publication_check(item, today=today) for item in items]


def catalogue_counts(*, unit: Unit, year: int, today: dt.date) -> dict[str, tuple[int, int]]:
    """Per category (Art 20 item or Art 21): (items published in ``year``, of which late).

    What the narrative of section 二 reports ("全年主动公开政府信息 N 条……"), derived.
    """
    counts = {category: [0, 0] for category, _ in CATEGORY_CHOICES}
    for item in ProactiveItem.objects.filter(unit=unit, published_on__year=year):
        entry = publication_check(item, today=today)
        counts[item.category][0] += 1
        counts[item.category][1] += int(entry.late)
    return {category: (published, late) for category, (published, late) in counts.items()}


@dataclass(frozen=True, slots=True)
class WorkLine:
    """One kind of work in a year: how many records, by change, and the number they add up to."""

    kind: str
    label: str
    records: int
    by_change: dict[str, int]  # change code → records (platforms only)
    quantity: int | None  # 参训人次 / 追责人数 summed, None where the kind has no number

    @property
    def labelled_changes(self) -> list[tuple[str, int]]:
        """(开设/整合/关停, records) in that order, for the changes that occurred."""
        return [
            (label, self.by_change[code])
            for code, label in CHANGE_CHOICES
            if code in self.by_change
        ]

    @property
    def quantity_label(self) -> str:
        return QUANTITY_LABELS.get(self.kind, "")


def work_records(*, user: Any, unit: Unit, year: int) -> QuerySet[WorkRecord]:
    """``unit``'s work records of ``year``, newest first (empty where the user may not read)."""
    return records_for(WORK_RECORD, user, Action.VIEW_REGISTERS).filter(
        unit=unit, happened_on__year=year
    )


def work_summary(*, unit: Unit, year: int) -> list[WorkLine]:
    """The year's work by kind, in the order the narrative states it (every kind, zeros too)."""
    records = list(WorkRecord.objects.filter(unit=unit, happened_on__year=year))
    lines = []
    for kind, label in WORK_KIND_CHOICES:
        mine = [r for r in records if r.kind == kind]
        by_change: dict[str, int] = {}
        for record in mine:
            if record.change:
                by_change[record.change] = by_change.get(record.change, 0) + 1
        quantity = sum(r.quantity or 0 for r in mine) if kind in QUANTITY_LABELS else None
        lines.append(WorkLine(kind, label, len(mine), by_change, quantity))
    return lines


# The history page's filter by register: the kinds of events each register's entries have.
HISTORY_REGISTERS: Final[dict[str, tuple[str, frozenset[RegisterEventKind]]]] = {
    "document": (
        "规章和规范性文件",
        frozenset(
            {
                RegisterEventKind.DOCUMENT_CREATED,
                RegisterEventKind.DOCUMENT_REPEALED,
                RegisterEventKind.DOCUMENT_DELETED,
            }
        ),
    ),
    "decision": (
        "处理决定数量",
        frozenset(
            {RegisterEventKind.DECISION_COUNT_SET, RegisterEventKind.DECISION_COUNTS_IMPORTED}
        ),
    ),
    "fee": ("行政事业性收费", frozenset({RegisterEventKind.FEE_SET})),
    "item": (
        "主动公开目录",
        frozenset(
            {
                RegisterEventKind.ITEM_CREATED,
                RegisterEventKind.ITEM_PUBLISHED,
                RegisterEventKind.ITEM_DELETED,
            }
        ),
    ),
    "work": (
        "工作记录",
        frozenset({RegisterEventKind.WORK_CREATED, RegisterEventKind.WORK_DELETED}),
    ),
}


@dataclass(frozen=True, slots=True)
class HistoryLine:
    event: RegisterEvent
    summary: str


def register_history(
    *, user: Any, unit: Unit, register: str = "", entry_id: int | None = None
) -> list[HistoryLine]:
    """The changes to ``unit``'s registers, newest first (``register``: one register's only,
    ``entry_id``: one entry's only), each with its line; only units ``user`` may read."""
    events = RegisterEvent.objects.filter(
        unit=unit, unit__in=units_for(user, Action.VIEW_REGISTERS)
    ).select_related("actor")
    if register in HISTORY_REGISTERS:
        events = events.filter(kind__in=HISTORY_REGISTERS[register][1])
        if entry_id is not None:
            events = events.filter(entry_id=entry_id)
    return [HistoryLine(event, register_events.summary(event)) for event in events]
