"""What the public report pages and the disclosure guide show, computed from published
snapshots and from :mod:`gongkai.core.law` (never retyped numbers): the report's sections with
their tables, the figures across years, and the guide's fee, deadline and remedy sentences."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Final

from django.utils.safestring import SafeString, mark_safe

from gongkai.core import law
from gongkai.core.formats import COL_TOTAL, T3, T3_DISCLOSED, T3_NEW, T4, T4_RECONSIDERATION
from gongkai.core.model import AnnualReport
from gongkai.core.render.charts import Chart, ChartInputs, report_charts, series_chart
from gongkai.core.render.report_html import (
    chart_figure,
    charts_section,
    paragraphs,
    section_heading,
    tables_by_section,
)
from gongkai.core.render.tables_html import render_published_part


@dataclass(frozen=True, slots=True)
class SectionView:
    code: str
    heading: str
    paragraphs: list[str]
    # Rendered by core.render (every string escaped there), hence safe to print as is.
    tables: list[SafeString]
    charts: list[SafeString]


def report_sections(report: AnnualReport, charts: ChartInputs) -> list[SectionView]:
    """The report's six sections as the page prints them, with the tables and charts of the
    core HTML renderer (the same markup as the published HTML file)."""
    fmt = report.format
    tables = tables_by_section(report)
    after = charts_section(report)
    drawn = report_charts(report, charts, kind="svg")
    return [
        SectionView(
            code=section.code,
            heading=section_heading(section),
            paragraphs=paragraphs(report.narrative.get(section.code, "")),
            tables=[
                mark_safe(render_published_part(fmt, part, report.tables))  # noqa: S308
                for part in tables.get(section.code, ())
            ],
            charts=[mark_safe(chart_figure(c)) for c in drawn] if section.code == after else [],  # noqa: S308
        )
        for section in fmt.sections
    ]


# Rendered pages kept, at most: a district has a few dozen units, each with a few years.
SECTIONS_CACHED: Final = 256
_sections: OrderedDict[tuple[str, str], list[SectionView]] = OrderedDict()
_sections_lock = Lock()


def published_sections(sha256: str, report: AnnualReport, charts: ChartInputs) -> list[SectionView]:
    """:func:`report_sections` of a published version, kept by its content's SHA-256 and
    that of last year's report its charts compare it with.

    A published version never changes, nor does last year's report as it stood then, so its
    tables and charts are rendered once per process rather than on every visit (drawing the
    charts is most of a page's time, and the chart cache of core.render keeps only a few).
    """
    previous = charts.previous.to_json(indent=None) if charts.previous is not None else ""
    key = (sha256, hashlib.sha256(previous.encode("utf-8")).hexdigest())
    with _sections_lock:
        found = _sections.get(key)
        if found is not None:
            _sections.move_to_end(key)
            return found
    rendered = report_sections(report, charts)
    with _sections_lock:
        _sections[key] = rendered
        while len(_sections) > SECTIONS_CACHED:
            _sections.popitem(last=False)
    return rendered


# The figures followed across years: (label, table, row), each the row's 总计 column.
SERIES_FIGURES: Final = (
    ("本年新收", T3, T3_NEW),
    ("予以公开", T3, T3_DISCLOSED),
    ("行政复议", T4, T4_RECONSIDERATION),
)


@dataclass(frozen=True, slots=True)
class Series:
    years: list[int]
    rows: list[tuple[str, list[int | None]]]
    chart: SafeString | None


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def figures_across_years(reports: list[AnnualReport], unit_name: str) -> Series:
    """The figures of :data:`SERIES_FIGURES` of each year's latest published report, as a table
    and (from two years on) a line chart."""
    years = [r.meta.year for r in reports]
    rows = [
        (label, [_int(r.cell(table, row, COL_TOTAL)) for r in reports])
        for label, table, row in SERIES_FIGURES
    ]
    chart: Chart | None = series_chart(
        key="series",
        title=f"{unit_name}历年主要数据（件）",
        years=tuple(years),
        series=tuple((label, tuple(values)) for label, values in rows),
    )
    return Series(years, rows, mark_safe(chart_figure(chart)) if chart else None)  # noqa: S308


# -- the disclosure guide ------------------------------------------------------------------


def _band(band: law.FeeBand, unit: str) -> str:
    span = f"{band.first}{unit}及以上" if band.last is None else f"{band.first}–{band.last}{unit}"
    price = "免费" if band.yuan == 0 else f"每{unit}{band.yuan:g}元"
    return f"{span}：{price}"


def fee_rules() -> list[str]:
    """The 信息处理费 rules, worded from the bands of :mod:`gongkai.core.law`."""
    first = law.PER_REQUEST_FIRST_PAID_BAND
    per_request = (
        f"按件计收：同一申请人一个自然月内累计申请 {law.PER_REQUEST_FREE} 件以下（含）不收费；"
        f"第 {first.first}–{first.last} 件每件收取 {first.yuan:g} 元；"
        f"第 {first.last + 1 if first.last else first.first} 件起每增加 "
        f"{law.PER_REQUEST_STEP_SIZE} 件，每件收费标准提高 {law.PER_REQUEST_STEP_YUAN:g} 元。"
    )
    per_page = (
        "按量计收：同一申请的信息按页数计，"
        + "；".join(_band(b, "页") for b in law.PER_PAGE_BANDS)
        + "。"
    )
    return [per_request, per_page, f"依据：{law.FEE_ARTICLE}。"]


def deadlines() -> list[str]:
    """The statutory periods an applicant meets, from :mod:`gongkai.core.law`."""
    p = law
    return [
        f"答复期限：自收到申请之日起 {p.REPLY_PERIOD.working_days} 个工作日内答复"
        f"（{p.REPLY_PERIOD.article}）。",
        "延期：需要延长答复期限的，经政府信息公开工作机构负责人同意并告知申请人，"
        "延长期限最长不超过 "
        f"{p.EXTENSION_MAX.working_days} 个工作日（{p.EXTENSION_MAX.article}）。",
        f"补正：申请内容不明确的，自收到申请之日起 {p.CORRECTION_NOTICE_PERIOD.working_days} "
        f"个工作日内一次性告知补正（{p.CORRECTION_NOTICE_PERIOD.article}），"
        "答复期限自收到补正后的申请之日起计算。",
        f"征求第三方意见：所需时间不计算在答复期限内，第三方应自收到征求意见书之日起 "
        f"{p.THIRD_PARTY_CONSULTATION_PERIOD.working_days} 个工作日内提出意见"
        f"（{p.THIRD_PARTY_CONSULTATION_PERIOD.article}）。",
        f"缴费：收到收费通知的次日起 {p.FEE_PAYMENT_PERIOD.working_days} 个工作日内缴纳"
        f"（{p.FEE_PAYMENT_PERIOD.article}），逾期未缴视为放弃申请。",
    ]


def receipt_days() -> list[str]:
    """How the day of receipt is fixed for each channel (Art 31), from the law's table."""
    words = {
        law.ReceiptRule.SUBMITTED: "以提交之日为收到申请之日",
        law.ReceiptRule.SIGNED_FOR: "以本机关签收之日为收到申请之日",
        law.ReceiptRule.CONFIRMED: "以双方确认之日为收到申请之日",
    }
    shown = (
        law.Channel.IN_PERSON,
        law.Channel.REGISTERED_MAIL,
        law.Channel.ORDINARY_MAIL,
        law.Channel.ONLINE,
    )
    return [f"{law.CHANNEL_LABELS[c]}：{words[law.receipt_rule(c)]}" for c in shown] + [
        f"依据：{law.RECEIPT_ARTICLE}。"
    ]


def remedies() -> list[str]:
    """The remedies open to an applicant (LEGAL.md §5.5)."""
    return [
        "申请人认为本机关在政府信息公开工作中侵犯其合法权益的，可以向上一级行政机关或者"
        "政府信息公开工作主管部门投诉、举报（《条例》第五十一条）。",
        f"也可以依法申请行政复议：自知道该行政行为之日起 {law.RECONSIDERATION_PERIOD_DAYS} "
        "日内提出（《中华人民共和国行政复议法》第二十条）。",
        f"或者依法提起行政诉讼：自知道作出行政行为之日起 {law.LITIGATION_PERIOD_MONTHS} "
        "个月内提出（《中华人民共和国行政诉讼法》第四十六条）；对不予公开决定不服的，"
        "应当先申请行政复议（《中华人民共和国行政复议法》第二十三条）。",
    ]
