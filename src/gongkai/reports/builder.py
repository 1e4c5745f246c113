"""The annual report of one unit and year, computed from the data — never typed.

* table 三 from the applications (:func:`gongkai.applications.carry_over.unit_table3_cells`: the
  same GROUP BY the dashboard shows, carry-in and carry-out included);
* table 四 from the remedies (:func:`gongkai.remedies.selectors.unit_table4_cells`);
* section 六's fee sentence from the fee notices (:mod:`gongkai.reports.fees`);
* the prose of the six sections from the officer's saved drafts
  (:class:`~gongkai.reports.models.NarrativeDraft`), or the default templates
  (:mod:`gongkai.core.narrative.templates`) where nothing is saved, with every placeholder
  resolved from the tables just built; section 六 starts with the generated fee sentence;
* section 二 from the registers (:func:`gongkai.registers.selectors.section2_cells`: counts
  derived from the normative documents' dates, the monthly decision counts and the fees).

:func:`build_report` asks no permission: it is the computation, called by the command line (run by
whoever holds the database) and by :mod:`gongkai.reports.selectors`, which asks the gatekeeper
first.
"""

from __future__ import annotations

from collections.abc import Mapping

from gongkai.agencies.models import Unit
from gongkai.applications.carry_over import unit_table3_cells
from gongkai.core.formats import SECTION_OTHER, T3, T4, format_for_year
from gongkai.core.model import AnnualReport, ReportKind, ReportMeta, TableCells
from gongkai.core.narrative.placeholders import render
from gongkai.core.narrative.templates import default_template
from gongkai.registers.selectors import section2_cells
from gongkai.remedies.selectors import unit_table4_cells
from gongkai.reports.fees import fee_figures
from gongkai.reports.models import NarrativeDraft


def section2_tables(*, unit: Unit, year: int) -> dict[str, TableCells]:
    """Section 二's tables (table code → row → column → value) for ``unit`` and ``year``,
    derived from the unit's registers (normative documents, decisions, fees): never typed."""
    return section2_cells(unit=unit, year=year)


def _cells(counts: dict[str, dict[str, int]]) -> TableCells:
    return {row: dict(columns) for row, columns in counts.items()}


def saved_texts(*, unit: Unit, year: int) -> dict[str, str]:
    """The officer's saved prose of ``unit``'s draft for ``year``, by section (with
    placeholders; sections never saved are absent). No permission asked: see above."""
    return dict(NarrativeDraft.objects.filter(unit=unit, year=year).values_list("section", "text"))


def build_report(*, unit: Unit, year: int, texts: Mapping[str, str] | None = None) -> AnnualReport:
    """The report of ``unit`` for ``year`` in the format in force for that year (unpublished:
    ``meta.published`` stays empty until :mod:`gongkai.reports.services` publishes it).

    ``texts`` (section code → prose with placeholders) stands in for the saved prose of those
    sections: the live check builds the report with the text the officer is typing, before it
    is saved. Raises :class:`~gongkai.core.narrative.placeholders.PlaceholderError` for a text
    with an unknown placeholder (the save service refuses one, so saved prose never has).
    """
    fmt = format_for_year(year)
    meta = ReportMeta(
        unit=unit.name, year=year, format_version=fmt.version, kind=ReportKind(unit.kind)
    )
    tables: dict[str, TableCells] = {
        **section2_tables(unit=unit, year=year),
        T3: _cells(unit_table3_cells(unit=unit, year=year)),
        T4: _cells(unit_table4_cells(unit=unit, year=year)),
    }
    report = AnnualReport(meta=meta, tables=tables)
    # Section 六 states the fees as the fee notices make them: the fee rules read that sentence,
    # and no officer types it.
    fees = fee_figures(unit=unit, year=year).statement()
    return narrated(report, unit=unit, fees=fees, texts=texts)


def narrated(
    report: AnnualReport, *, unit: Unit, fees: str, texts: Mapping[str, str] | None = None
) -> AnnualReport:
    """``report`` with the prose of ``unit``'s draft (saved, or the default templates), its
    placeholders bound to ``report``'s own tables, and ``fees`` opening section 六.

    The roll-up uses it too: a supervising office's prose describes the district, so its
    placeholders are bound to the summed tables there, and never retype a figure.
    """
    fmt = report.format
    written = {**saved_texts(unit=unit, year=report.meta.year), **(texts or {})}
    narrative: dict[str, str] = {}
    for section in fmt.sections:
        text = written.get(section.code) or default_template(fmt, section.code)
        narrative[section.code] = render(text, report).strip()
    narrative[SECTION_OTHER] = "\n".join(filter(None, (fees, narrative[SECTION_OTHER])))
    return report.model_copy(update={"narrative": {k: v for k, v in narrative.items() if v}})
