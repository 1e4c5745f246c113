"""The page where a unit imports its published report of an earlier year (issue 11 §6): the
upload, and the imports kept for the year with the auditor's findings on each file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.agencies.gatekeeper import Action, can
from gongkai.agencies.pages import staff_view
from gongkai.applications.views_attachments import request_too_large
from gongkai.core.errors import GongkaiError
from gongkai.core.inputs import MAX_DOCUMENT_BYTES
from gongkai.reports.imports import SUPERSEDED, imports_for, report_import

TOO_LARGE = "文件过大，单份年度报告不能超过 64 MB"


class ImportForm(forms.Form):
    file = forms.FileField(
        label="已发布的年度报告文件",
        help_text="Word（.docx/.doc）、PDF、OFD、网页（.html）或文本文件",
        error_messages={"required": "请选择要导入的年度报告文件", "empty": "所选文件为空"},
    )
    rollup = forms.BooleanField(label="这是本单位的汇总年度报告", required=False)

    def __init__(self, *args: Any, may_import_rollup: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_import_rollup:
            del self.fields["rollup"]


@require_http_methods(["GET", "POST"])
@staff_view
def import_page(request: HttpRequest, unit_id: int, year: int) -> HttpResponseBase:
    unit, imported = imports_for(user=request.user, unit_id=unit_id, year=year)
    may_import = can(request.user, Action.PUBLISH_REPORT, unit)
    may_import_rollup = can(request.user, Action.PUBLISH_ROLLUP, unit)
    form = ImportForm(may_import_rollup=may_import_rollup)
    if request.method == "POST":
        if request_too_large(request, MAX_DOCUMENT_BYTES):
            messages.error(request, TOO_LARGE)
            return redirect("reports:import", unit_id=unit_id, year=year)
        form = ImportForm(request.POST, request.FILES, may_import_rollup=may_import_rollup)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                done = report_import(
                    acting_user=request.user,
                    unit_id=unit_id,
                    year=year,
                    name=upload.name or "未命名文件",
                    data=upload.read(),
                    rollup=bool(form.cleaned_data.get("rollup")),
                )
            except GongkaiError as error:
                messages.error(request, str(error))
            else:
                errors = sum(1 for f in done.findings if f.is_error)
                note = f"，审查发现 {errors} 处错误（已记录，见下表）" if errors else ""
                messages.success(request, f"已导入 {year} 年度报告“{upload.name}”{note}")
                if done.superseded:
                    messages.warning(request, SUPERSEDED)
                return redirect("reports:import", unit_id=unit_id, year=year)
    return render(
        request,
        "reports/import.html",
        {
            "unit": unit,
            "year": year,
            "imported": imported,
            "form": form if may_import or may_import_rollup else None,
        },
    )
