"""Charts for the annual report, where people would rather look than read (matplotlib).

Three charts, each drawn only when there is something to draw:

* 本年各月新收申请 — applications received in each month (the counts are not in the report:
  the caller passes them, from the unit's cases);
* 本年度办理结果 — table 三's result groups （一）–（六）, from the 总计 column;
* 与上年对比 — the key figures of tables 三 and 四 beside last year's (when last year's report
  is given).

The charts are pictures and nothing else: every word and number in them is drawn as outlines
(``svg.fonttype = "path"``), so a chart adds no text that the auditor's parsers could read as part
of the report, and a machine without the font shows the same picture. The font is a CJK font
found on the machine (Noto CJK first, which the PDF renderer embeds as well); without one the
charts are left out rather than drawn with empty boxes for every character.

The output is deterministic — no date, no random ids (``svg.hashsalt``), no software version —
so the same report gives the same bytes, which the tests and any cache rely on. matplotlib is
imported when a chart is drawn, not before, and only through its object interface (no pyplot
global state), with the Agg backend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from io import BytesIO
from typing import TYPE_CHECKING, Any, Final, Literal

from gongkai.core.formats import (
    COL_TOTAL,
    T3,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    T3_NEW,
    T3_RESULT_GROUPS,
    T3_RESULTS_TOTAL,
    T4,
    T4_LITIGATION_ROWS,
    T4_RECONSIDERATION,
)
from gongkai.core.model import AnnualReport

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.ticker import Locator

ChartKind = Literal["svg", "png"]

MEDIA_TYPES: Final[dict[str, str]] = {"svg": "image/svg+xml", "png": "image/png"}
# Fonts with the simplified Chinese characters, best first (as matplotlib names them).
CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
)
# 16 × 7.5 cm: the text width of an A4 page with the margins of official documents.
FIGURE_SIZE: Final = (6.3, 2.95)
PNG_DPI: Final = 200
THIS_YEAR_COLOUR: Final = "#a61b1b"
LAST_YEAR_COLOUR: Final = "#9e9e9e"
MONTHS: Final = 12


@dataclass(frozen=True, slots=True)
class ChartInputs:
    """What the charts need beyond the report itself.

    ``monthly`` is the number of applications received in each month of the year, January
    first (twelve counts), or ``None`` when not known — a published version, say, whose cases
    may have changed since; ``previous`` is last year's report, or ``None``.
    """

    monthly: tuple[int, ...] | None = None
    previous: AnnualReport | None = None

    def __post_init__(self) -> None:
        if self.monthly is not None and (
            len(self.monthly) != MONTHS or any(n < 0 for n in self.monthly)
        ):
            raise ValueError("monthly must hold twelve non-negative counts")


@dataclass(frozen=True, slots=True)
class Chart:
    """One drawn chart: ``key`` names it (monthly, results, years), ``title`` says what it
    shows (the alternative text of the picture), ``data`` is the SVG or PNG file."""

    key: str
    title: str
    kind: ChartKind
    data: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


@cache
def cjk_font() -> str | None:
    """The first font of :data:`CJK_FONTS` that matplotlib finds on this machine, if any."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


# --------------------------------------------------------------------------------------------
# The figures
# --------------------------------------------------------------------------------------------


def _count(value: int | Decimal | None) -> int:
    return int(value) if value is not None else 0


def _label(value: int | Decimal | None) -> str:
    return f"{int(value):,}" if value is not None else "空白"


def _new_figure() -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGURE_SIZE, layout="constrained")
    axes = figure.add_subplot()
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=8)
    return figure, axes


def _bar_labels(axes: Axes, bars: object, labels: Sequence[str]) -> None:
    axes.bar_label(bars, labels=list(labels), fontsize=7, padding=2)  # type: ignore[arg-type]


def _monthly(report: AnnualReport, counts: Sequence[int]) -> Figure:
    figure, axes = _new_figure()
    months = [f"{m}月" for m in range(1, MONTHS + 1)]
    bars = axes.bar(months, counts, color=THIS_YEAR_COLOUR, width=0.6)
    _bar_labels(axes, bars, [f"{n:,}" for n in counts])
    axes.set_title(f"{report.meta.year}年各月新收政府信息公开申请数量（件）", fontsize=10)
    axes.set_ylim(0, max(max(counts, default=0), 1) * 1.18)
    axes.yaxis.set_major_locator(_integer_locator())
    return figure


def _results(report: AnnualReport) -> Figure | None:
    table = report.format.table3
    values = [report.group_sum(T3, code, COL_TOTAL) for code in T3_RESULT_GROUPS]
    if all(v is None for v in values):
        return None
    names = [table.row(code).name for code in T3_RESULT_GROUPS]
    figure, axes = _new_figure()
    positions = list(range(len(names)))[::-1]  # （一） at the top
    bars = axes.barh(positions, [_count(v) for v in values], color=THIS_YEAR_COLOUR, height=0.6)
    _bar_labels(axes, bars, [_label(v) for v in values])
    axes.set_yticks(positions, names)
    axes.set_title(f"{report.meta.year}年政府信息公开申请办理结果（件）", fontsize=10)
    top = max(_count(v) for v in values)
    axes.set_xlim(0, max(top, 1) * 1.18)
    axes.xaxis.set_major_locator(_integer_locator())
    return figure


# The figures compared year on year: (label, table, rows summed in its 总计 column).
_YEAR_FIGURES: Final = (
    ("本年新收", T3, (T3_NEW,)),
    ("上年结转", T3, (T3_CARRIED_IN,)),
    ("办理结果总计", T3, (T3_RESULTS_TOTAL,)),
    ("结转下年度", T3, (T3_CARRIED_OUT,)),
    ("行政复议", T4, (T4_RECONSIDERATION,)),
    ("行政诉讼", T4, T4_LITIGATION_ROWS),
)


def year_figures(report: AnnualReport) -> list[int | None]:
    """The figures of :data:`_YEAR_FIGURES` for one report (``None`` where a cell is blank)."""
    figures: list[int | None] = []
    for _, table, rows in _YEAR_FIGURES:
        values = [report.cell(table, row, COL_TOTAL) for row in rows]
        figures.append(None if any(v is None for v in values) else sum(_count(v) for v in values))
    return figures


def _years(report: AnnualReport, previous: AnnualReport) -> Figure:
    import numpy as np

    this, last = year_figures(report), year_figures(previous)
    figure, axes = _new_figure()
    x = np.arange(len(_YEAR_FIGURES))
    width = 0.38
    old = axes.bar(
        x - width / 2,
        [_count(v) for v in last],
        width,
        color=LAST_YEAR_COLOUR,
        label=f"{previous.meta.year}年",
    )
    new = axes.bar(
        x + width / 2,
        [_count(v) for v in this],
        width,
        color=THIS_YEAR_COLOUR,
        label=f"{report.meta.year}年",
    )
    _bar_labels(axes, old, [_label(v) for v in last])
    _bar_labels(axes, new, [_label(v) for v in this])
    axes.set_xticks(x, [label for label, _, _ in _YEAR_FIGURES])
    axes.set_title(f"{report.meta.year}年与{previous.meta.year}年主要数据对比（件）", fontsize=10)
    top = max([_count(v) for v in this + last] + [1])
    axes.set_ylim(0, top * 1.22)
    axes.yaxis.set_major_locator(_integer_locator())
    axes.legend(fontsize=8, frameon=False, loc="upper right")
    return figure


def _integer_locator() -> Locator:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True, nbins=5)


# --------------------------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------------------------


def _save(figure: Figure, kind: ChartKind) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = BytesIO()
    if kind == "svg":
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    else:
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()


def report_charts(
    report: AnnualReport, inputs: ChartInputs, *, kind: ChartKind = "svg"
) -> tuple[Chart, ...]:
    """The report's charts in the order they are printed (see the module docstring); empty
    when no CJK font is installed.

    The last few results are kept (keyed by the report's and last year's JSON), so that the
    DOCX and the PDF of one report — both PNG — draw its charts once.
    """
    previous = inputs.previous.to_json(indent=None) if inputs.previous is not None else None
    return _cached_charts(report.to_json(indent=None), inputs.monthly, previous, kind)


@lru_cache(maxsize=8)
def _cached_charts(
    report_json: str, monthly: tuple[int, ...] | None, previous_json: str | None, kind: ChartKind
) -> tuple[Chart, ...]:
    report = AnnualReport.from_json(report_json)
    previous = AnnualReport.from_json(previous_json) if previous_json is not None else None
    return _draw(report, ChartInputs(monthly=monthly, previous=previous), kind)


def _draw(report: AnnualReport, inputs: ChartInputs, kind: ChartKind) -> tuple[Chart, ...]:
    font = cjk_font()
    if font is None:
        return ()
    import matplotlib

    year = report.meta.year
    drawn: list[tuple[str, str, Figure | None]] = []
    settings: dict[str, Any] = {
        "font.family": "sans-serif",
        "font.sans-serif": [font, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "gongkai-report-chart",
        "path.simplify": True,
    }
    with matplotlib.rc_context(settings):  # type: ignore[arg-type]
        if inputs.monthly is not None:
            title = f"{year}年各月新收政府信息公开申请数量"
            drawn.append(("monthly", title, _monthly(report, inputs.monthly)))
        drawn.append(("results", f"{year}年政府信息公开申请办理结果", _results(report)))
        if inputs.previous is not None:
            last = inputs.previous.meta.year
            drawn.append(
                ("years", f"{year}年与{last}年主要数据对比", _years(report, inputs.previous))
            )
        return tuple(
            Chart(key=key, title=title, kind=kind, data=_save(figure, kind))
            for key, title, figure in drawn
            if figure is not None
        )


SERIES_COLOURS: Final = ("#a61b1b", "#1f5f9e", "#4e8a3a", "#b8860b", "#6a4c93", "#555555")


@lru_cache(maxsize=64)
def series_chart(
    *,
    key: str,
    title: str,
    years: tuple[int, ...],
    series: tuple[tuple[str, tuple[int | None, ...]], ...],
    kind: ChartKind = "svg",
) -> Chart | None:
    """A few figures of a unit across several years as one line per figure (the public
    pages' 历年数据: 本年新收, 予以公开, 行政复议 …), one point per year, blank cells left as
    gaps rather than drawn as 0. ``None`` without a CJK font or with fewer than two years —
    a single year is a table, not a trend. Cached: published reports do not change."""
    font = cjk_font()
    if font is None or len(years) < 2:
        return None
    import matplotlib

    settings: dict[str, Any] = {
        "font.family": "sans-serif",
        "font.sans-serif": [font, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "gongkai-report-chart",
        "path.simplify": True,
    }
    with matplotlib.rc_context(settings):  # type: ignore[arg-type]
        figure, axes = _new_figure()
        x = list(range(len(years)))
        top = 1
        for index, (label, values) in enumerate(series):
            points = [float("nan") if v is None else float(v) for v in values]
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            axes.plot(x, points, marker="o", color=colour, label=label, linewidth=1.6)
            for xi, v in zip(x, values, strict=True):
                if v is not None:
                    axes.annotate(
                        f"{v:,}",
                        (xi, v),
                        textcoords="offset points",
                        xytext=(0, 4),
                        ha="center",
                        fontsize=7,
                        color=colour,
                    )
            top = max([top, *(v for v in values if v is not None)])
        axes.set_xticks(x, [f"{y}年" for y in years])
        axes.set_ylim(0, top * 1.22)
        axes.yaxis.set_major_locator(_integer_locator())
        axes.set_title(title, fontsize=10)
        axes.legend(fontsize=8, frameon=False, loc="upper left")
        return Chart(key=key, title=title, kind=kind, data=_save(figure, kind))


def clear_chart_cache() -> None:
    """Forget the charts drawn so far (for benchmarks that time the drawing)."""
    _cached_charts.cache_clear()


__all__ = [
    "Chart",
    "ChartInputs",
    "ChartKind",
    "cjk_font",
    "clear_chart_cache",
    "report_charts",
    "series_chart",
    "year_figures",
]
