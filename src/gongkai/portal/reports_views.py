"""The public report pages (no login): every published annual report and roll-up of every
unit, its downloads, a unit's figures across years, and each unit's disclosure guide.

Reads go through the public selectors of :mod:`gongkai.reports.selectors`, which return only
published snapshots (public by law, Art 49/50), never a draft. A published version never
changes, so its page and files carry an ETag and a long Cache-Control; the "latest version"
pages are cached briefly, since a correction may add a version. Unknown units, years and
versions are a 404 with a Chinese message.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Final

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import get_conditional_response
from django.views.decorators.http import require_GET

from gongkai.core.errors import GongkaiError
from gongkai.core.render.report_files import MEDIA_TYPES, render_report_file
from gongkai.core.render.report_html import report_title
from gongkai.portal import reports_content as content
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


class _PageCache:
    """Rendered report pages by ETag (which names the version and the latest version), kept
    per process: a published page is the same bytes until a correction changes its ETag."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[str, bytes] = OrderedDict()
        self.lock = Lock()

    def get(self, key: str) -> bytes | None:
        with self.lock:
            found = self.pages.get(key)
            if found is not None:
                self.pages.move_to_end(key)
            return found

    def put(self, key: str, body: bytes) -> None:
        with self.lock:
            self.pages[key] = body
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


_page_cache: Final = _PageCache(256)


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


@require_GET
def index(request: HttpRequest) -> HttpResponseBase:
    """Every unit with a published report, in hierarchy order, the years as columns."""
    found = selectors.public_reports()
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
    response = render(request, "portal/reports/index.html", {"years": found.years, "rows": rows})
    response["Cache-Control"] = LATEST
    return response


@require_GET
def unit_page(request: HttpRequest, unit_id: int) -> HttpResponseBase:
    """A unit's published years and its figures across years."""
    try:
        unit = selectors.public_unit(unit_id)
        reports = selectors.public_series(unit_id=unit_id)
        rollups = selectors.public_series(unit_id=unit_id, rollup=True)
    except GongkaiError as error:
        raise Http404(str(error)) from None
    series = content.figures_across_years(reports, unit.name) if reports else None
    response = render(
        request,
        "portal/reports/unit.html",
        {
            "unit": unit,
            "years": [r.meta.year for r in reversed(reports)],
            "rollup_years": [r.meta.year for r in reversed(rollups)],
            "series": series,
        },
    )
    response["Cache-Control"] = LATEST
    return response


def _report_page(
    request: HttpRequest, unit_id: int, year: int, version: int | None, rollup: bool
) -> HttpResponseBase:
    try:
        versions = selectors.public_versions(unit_id=unit_id, year=year, rollup=rollup)
    except GongkaiError as error:
        raise Http404(str(error)) from None
    latest = versions[-1]
    published = latest if version is None else _pick(versions, version, rollup)
    # The page shows the version and the list of versions, so it changes only when a
    # correction adds a version: the ETag names both.
    etag = _etag(published, f"-of{latest.version}" + ("-latest" if version is None else ""))
    control = LATEST if version is None else VERSION_PAGE
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        unchanged["Cache-Control"] = control
        return unchanged
    key = f"{published.unit_id}/{int(rollup)}/{etag}"
    body = _page_cache.get(key)
    if body is None:
        body = _render_report(request, published, versions, rollup)
        _page_cache.put(key, body)
    return _cached(HttpResponse(body), etag, control)


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
    request: HttpRequest, published: PublishedReport, versions: list[PublishedReport], rollup: bool
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
    return render(request, "portal/reports/report.html", context).content


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
    response = render(
        request,
        "portal/reports/guide.html",
        {
            "unit": unit,
            "apply_url": _apply_url(),
            "fees": content.fee_rules(),
            "deadlines": content.deadlines(),
            "receipt": content.receipt_days(),
            "remedies": content.remedies(),
        },
    )
    response["Cache-Control"] = LATEST
    return response
