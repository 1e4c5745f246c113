"""The evaluator's workspace pages: thin views over the selectors, services and gatekeeper."""

from __future__ import annotations

import re
from typing import Final

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.agencies import gatekeeper, pages
from gongkai.agencies.gatekeeper import Action
from gongkai.agencies.pages import staff_view
from gongkai.core.errors import GongkaiError
from gongkai.evaluations import exports, selectors, services, uploads
from gongkai.evaluations.selectors import Filters

FINGERPRINT: Final = re.compile(r"[0-9a-f]{40}")


@require_http_methods(["GET", "POST"])
@staff_view
def batches(request: HttpRequest) -> HttpResponseBase:
    may_run = gatekeeper.may_anywhere(request.user, Action.RUN_EVALUATIONS)
    if not gatekeeper.may_anywhere(request.user, Action.VIEW_EVALUATIONS):
        raise gatekeeper.AccessDeniedError("您没有查看年度报告评估的权限")
    error = ""
    if request.method == "POST":
        try:
            # Refused before Django reads the body into memory or temporary files.
            uploads.check_request_size(request.META.get("CONTENT_LENGTH"))
            created = services.batch_create(
                acting_user=request.user,
                title=request.POST.get("title", ""),
                files=request.FILES.getlist("files"),
            )
        except GongkaiError as exc:
            error = str(exc)
        else:
            messages.success(request, f"已上传 {created.reports} 份报告，正在后台审查")
            skipped = created.skipped
            if skipped:
                shown = "、".join(skipped[:10]) + ("等" if len(skipped) > 10 else "")
                messages.warning(
                    request, f"压缩包中 {len(skipped)} 个文件不是报告，已跳过：{shown}"
                )
            return redirect("evaluations:batch", batch_id=created.batch.pk)
    listed = pages.page_of(selectors.batches_for(user=request.user), request)
    return render(
        request,
        "evaluations/batches.html",
        {
            "batches": listed,
            "rows": selectors.batch_rows(batches=listed.object_list),
            "may_run": may_run,
            "error": error,
            # A refused upload keeps the title typed; the browser cannot keep the files.
            "title": request.POST.get("title", "") if error else "",
            "limits": {
                "reports": uploads.MAX_REPORTS,
                "file_mb": uploads.MAX_FILE_BYTES // uploads.MB,
                "upload_mb": uploads.MAX_UPLOAD_BYTES // uploads.MB,
                "supported": uploads.SUPPORTED,
            },
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET"])
@staff_view
def batch(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    found = selectors.batch_by_id(user=request.user, batch_id=batch_id)
    filters = Filters.from_query(request.GET)
    return render(
        request,
        "evaluations/batch.html",
        {
            "batch": found,
            "rows": selectors.report_rows(batch=found, filters=filters),
            "filters": filters,
            "choices": selectors.filter_choices(batch=found),
            "coverage": selectors.coverage(batch=found),
            "progress": selectors.progress(batch=found),
            "events": selectors.batch_events(batch=found),
            "may_run": gatekeeper.can(request.user, Action.RUN_EVALUATIONS, found.unit),
        },
    )


@require_POST
@staff_view
def rerun(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    try:
        services.batch_rerun(acting_user=request.user, batch_id=batch_id)
    except GongkaiError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            "已将本批次的报告重新列入审查，正在后台用当前的审查规则审查；已作出的评估结论保留",
        )
    return redirect("evaluations:batch", batch_id=batch_id)


@require_http_methods(["GET"])
@staff_view
def report(request: HttpRequest, report_id: int) -> HttpResponseBase:
    page = selectors.report_page(user=request.user, report_id=report_id)
    return render(
        request,
        "evaluations/report.html",
        {
            "page": page,
            "report": page.report,
            # Escaped by the core renderer: every value from the report passes html.escape.
            "tables_html": mark_safe(page.tables_html),  # noqa: S308
            "may_judge": gatekeeper.can(
                request.user, Action.JUDGE_FINDINGS, page.report.batch.unit
            ),
        },
    )


@require_POST
@staff_view
def judge(request: HttpRequest, report_id: int) -> HttpResponseBase:
    fingerprint = request.POST.get("fingerprint", "")
    try:
        services.finding_judge(
            acting_user=request.user,
            report_id=report_id,
            fingerprint=fingerprint,
            verdict=request.POST.get("verdict", ""),
            note=request.POST.get("note", ""),
        )
    except GongkaiError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已记录评估结论")
    response = redirect("evaluations:report", report_id=report_id)
    if FINGERPRINT.fullmatch(fingerprint):
        response["Location"] += f"#f-{fingerprint[:12]}"
    return response


@require_http_methods(["GET", "POST"])
@staff_view
def coverage(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    found = selectors.batch_by_id(user=request.user, batch_id=batch_id)
    error = ""
    if request.method == "POST":
        try:
            text = request.POST.get("names", "")
            listed = request.FILES.get("list")
            if listed is not None:
                text += "\n" + uploads.unit_list_text(listed)
            year = request.POST.get("year", "").strip()
            if not year.isdigit():
                raise services.EvaluationError("请填写年度（如 2024）")
            services.coverage_set(
                acting_user=request.user, batch_id=batch_id, text=text, year=int(year)
            )
        except GongkaiError as exc:
            error = str(exc)
        else:
            messages.success(request, "已保存应发布报告的单位名单")
            return redirect("evaluations:coverage", batch_id=batch_id)
    return render(
        request,
        "evaluations/coverage.html",
        {
            "batch": found,
            "coverage": selectors.coverage(batch=found),
            "names": "\n".join(found.coverage_names),
            "progress": selectors.progress(batch=found),
            "error": error,
            "may_run": gatekeeper.can(request.user, Action.RUN_EVALUATIONS, found.unit),
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET"])
@staff_view
def summary(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    found = selectors.batch_by_id(user=request.user, batch_id=batch_id)
    rows = selectors.summary(batch=found)
    return render(
        request,
        "evaluations/summary.html",
        {
            "batch": found,
            "rows": rows,
            "total": selectors.summary_total(rows),
            "progress": selectors.progress(batch=found),
        },
    )


@require_http_methods(["GET"])
@staff_view
def export(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    found = selectors.batch_by_id(user=request.user, batch_id=batch_id)
    response = HttpResponse(exports.batch_xlsx(batch=found), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=exports.file_name(batch=found)
    )
    return response
