"""The public report pages (no login): every published annual report and roll-up of every
unit, its downloads, a unit's figures across years, and each unit's disclosure guide.

Reads go through the public selectors of :mod:`gongkai.reports.selectors`, which return only
published snapshots (public by law, Art 49/50), never a draft. A published version never
changes, so its page and files carry an ETag and a long Cache-Control; the "latest version"
pages are cached briefly, since a correction may add a version. Unknown units, years and
versions are a 404 with a Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET

from gongkai.core.errors import GongkaiError
from gongkai.core.render.report_files import MEDIA_TYPES, render_report_file
from gongkai.core.render.report_html import report_title
from gongkai.portal import page_cache
from gongkai.portal import reports_content as content
from gongkai.portal import reports_selectors as light
from gongkai.reports import selectors
from gongkai.reports.downloads import content_disposition
from gongkai.reports.models import PublishedReport

# Offered to the public: Word and PDF to read and print, Excel and JSON to reuse the figures.
PUBLIC_FORMATS: Final = ("docx", "pdf", "xlsx", "json")
FORMAT_LABELS: Final = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel 表格", "json": "JSON 数据"}
UNKNOWN_FORMAT: Final = "不提供“{format}”格式的下载，可选格式：{formats}"
# A version's address shows the same bytes for ever; the latest version may be corrected.
IMMUTABLE: Final = "public, max-age=31536000, immutable"
LATEST: Final = "public, max-age=300"
# A version's page gains a notice and a line when a correction is published; its ETag says so.
VERSION_PAGE: Final = "public, max-age=86400"


def _etag(published: PublishedReport, suffix: str = "") -> str:
    return f'"{published.sha256[:40]}-v{published.version}{suffix}"'


def _cached(response: HttpResponse, etag: str, control: str) -> HttpResponse:
    response["ETag"] = etag
    response["Cache-Control"] = control
    return response


def _apply_url() -> str:
    try:
        return reverse("portal:apply")
    except NoReverseMatch:
        return "/public/apply/"


def _page(
    request: HttpRequest, key: str, etag: str, control: str, render_page: Callable[[], bytes]
) -> HttpResponseBase:
    """The page under ``key`` (rendered once for all processes), with its ETag: a 304 when the
    browser has it already."""
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        unchanged["Cache-Control"] = control
        return unchanged
    return _cached(HttpResponse(page_cache.cached_page(key, render_page)), etag, control)


def _html(template: str, context: dict[str, object]) -> bytes:
    """A public page, rendered without the request: it is the same for every visitor (no
    session, no user, no CSRF token), which is what lets it be kept for all of them."""
    return render_to_string(template, context).encode("utf-8")


def _key_etag(key: str) -> str:
    return f'"{key.rsplit(":", 1)[-1][:32]}"'


@require_GET
def index(request: HttpRequest) -> HttpResponseBase:
    """Every unit with a published report, in hierarchy order, the years as columns."""
    found = selectors.public_reports()
    key = page_cache.page_key(
        "index",
        (
            found.years,
            [
                (page_cache.fields_of(r.unit), sorted(r.years), sorted(r.rollup_years))
                for r in found.rows
            ],
        ),
    )

    def render_page() -> bytes:
        rows = [
            {
                "unit": row.unit,
                "indent": row.unit.depth,
                "cells": [
                    {"year": y, "report": y in row.years, "rollup": y in row.rollup_years}
                    for y in found.years
                ],
            }
            for row in found.rows
        ]
        context = {"years": found.years, "rows": rows}
        return _html("portal/reports/index.html", context)

    return _page(request, key, _key_etag(key), LATEST, render_page)


@require_GET
def unit_page(request: HttpRequest, unit_id: int) -> HttpResponseBase:
    """A unit's published years and its figures across years."""
    try:
        unit = selectors.public_unit(unit_id)
    except GongkaiError as error:
        raise Http404(str(error)) from None
    found = light.unit_publications(unit)
    key = page_cache.page_key("unit", (page_cache.fields_of(unit), found.key()))

    def render_page() -> bytes:
        try:
            reports = light.reports_of(found.reports)
        except GongkaiError as error:  # a stored content no longer has its recorded hash
            raise Http404(str(error)) from None
        series = content.figures_across_years(reports, unit.name) if reports else None
        context = {
            "unit": unit,
            "years": [p.year for p in reversed(found.reports)],
            "rollup_years": [p.year for p in reversed(found.rollups)],
            "series": series,
        }
        return _html("portal/reports/unit.html", context)

    return _page(request, key, _key_etag(key), LATEST, render_page)


def _report_page(
    request: HttpRequest, unit_id: int, year: int, version: int | None, rollup: bool
) -> HttpResponseBase:
    try:
        unit, versions = light.version_list(unit_id=unit_id, year=year, rollup=rollup)
    except GongkaiError as error:
        raise Http404(str(error)) from None
    latest = versions[-1]
    published = latest if version is None else _pick(versions, version, rollup)
    # The page shows the version, the list of versions and the unit's name, so it changes only
    # when a correction adds a version or the unit's record changes: the key names them all,
    # and the ETag the version, the latest version and the key.
    key = page_cache.page_key(
        "rollup" if rollup else "report",
        (
            page_cache.fields_of(unit),
            published.sha256,
            published.version,
            [(v.pk, v.version, v.sha256, v.published_at, v.reason) for v in versions],
            # A roll-up lists its source units by name: a renamed or moved one changes the page.
            light.subtree_names(unit) if rollup else (),
        ),
    )
    etag = _etag(
        published,
        f"-of{latest.version}"
        + ("-latest" if version is None else "")
        + f"-{key.rsplit(':', 1)[-1][:8]}",
    )
    control = LATEST if version is None else VERSION_PAGE
    return _page(request, key, etag, control, lambda: _render_report(published, versions, rollup))


def _pick(versions: list[PublishedReport], version: int, rollup: bool) -> PublishedReport:
    for found in versions:
        if found.version == version:
            return found
    raise Http404(
        selectors.PUBLIC_VERSION_NOT_FOUND.format(
            unit=versions[0].unit.name,
            year=versions[0].year,
            what="汇总报告" if rollup else "政府信息公开工作年度报告",
            version=version,
        )
    )


def _render_report(
    published: PublishedReport, versions: list[PublishedReport], rollup: bool
) -> bytes:
    try:
        report = published.report
        charts = selectors.public_charts(published)
        sources = selectors.public_rollup_sources(published) if rollup else []
    except GongkaiError as error:  # the stored content no longer has its recorded hash
        raise Http404(str(error)) from None
    context = {
        "unit": published.unit,
        "year": published.year,
        "published": published,
        "latest": versions[-1],
        "is_latest": published.version == versions[-1].version,
        "versions": list(reversed(versions)),
        "rollup": rollup,
        "sources": sources,
        "title": report_title(report) + ("（汇总）" if rollup else ""),
        "report": report,
        "sections": content.published_sections(published.sha256, report, charts),
        "formats": [(f, FORMAT_LABELS[f]) for f in PUBLIC_FORMATS],
    }
    return _html("portal/reports/report.html", context)


@require_GET
def report(request: HttpRequest, unit_id: int, year: int) -> HttpResponseBase:
    return _report_page(request, unit_id, year, None, False)


@require_GET
def report_version(request: HttpRequest, unit_id: int, year: int, version: int) -> HttpResponseBase:
    return _report_page(request, unit_id, year, version, False)


@require_GET
def rollup(request: HttpRequest, unit_id: int, year: int) -> HttpResponseBase:
    return _report_page(request, unit_id, year, None, True)


@require_GET
def rollup_version(request: HttpRequest, unit_id: int, year: int, version: int) -> HttpResponseBase:
    return _report_page(request, unit_id, year, version, True)


def _download(
    request: HttpRequest, unit_id: int, year: int, version: int, fmt: str, rollup: bool
) -> HttpResponseBase:
    if fmt not in PUBLIC_FORMATS:
        raise Http404(UNKNOWN_FORMAT.format(format=fmt[:20], formats="、".join(PUBLIC_FORMATS)))
    suffix = f".{fmt}"
    try:
        published = selectors.public_version(
            unit_id=unit_id, year=year, version=version, rollup=rollup
        )
        etag = _etag(published, suffix)
        unchanged = get_conditional_response(request, etag=etag)
        if unchanged is not None:
            unchanged["Cache-Control"] = IMMUTABLE
            return unchanged
        download = selectors.public_download(
            unit_id=unit_id, year=year, version=version, rollup=rollup
        )
    except GongkaiError as error:
        raise Http404(str(error)) from None
    body = render_report_file(download.report, f"report{suffix}", charts=download.charts)
    response = HttpResponse(body, content_type=MEDIA_TYPES[suffix])
    what = "rollup" if rollup else "report"
    response["Content-Disposition"] = content_disposition(
        download.name + suffix, fallback=f"{what}-{unit_id}-{year}-v{version}{suffix}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return _cached(response, etag, IMMUTABLE)


@require_GET
def download(
    request: HttpRequest, unit_id: int, year: int, version: int, fmt: str
) -> HttpResponseBase:
    return _download(request, unit_id, year, version, fmt, False)


@require_GET
def rollup_download(
    request: HttpRequest, unit_id: int, year: int, version: int, fmt: str
) -> HttpResponseBase:
    return _download(request, unit_id, year, version, fmt, True)


@require_GET
def guide(request: HttpRequest, unit_id: int) -> HttpResponseBase:
    """The unit's 政府信息公开指南, from its record and the statutory facts of core.law."""
    try:
        unit = selectors.public_unit(unit_id)
    except GongkaiError as error:
        raise Http404(str(error)) from None
    apply_url = _apply_url()
    key = page_cache.page_key("guide", (page_cache.fields_of(unit), apply_url))

    def render_page() -> bytes:
        context = {
            "unit": unit,
            "apply_url": apply_url,
            "fees": content.fee_rules(),
            "deadlines": content.deadlines(),
            "receipt": content.receipt_days(),
            "remedies": content.remedies(),
        }
        return _html("portal/reports/guide.html", context)

    return _page(request, key, _key_etag(key), LATEST, render_page)
