"""The administrator's calendar pages: the years and their sources, one year, entering a year.

Any staff member may read the calendar (clerks need to know which years are provisional);
entering a year needs :attr:`~gongkai.agencies.gatekeeper.Action.MANAGE_CALENDAR`.
"""

from __future__ import annotations

from typing import Any, Final

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import NO_MEMBERSHIP, Action, may_anywhere, membership_of
from gongkai.calendars import selectors, services
from gongkai.core.calendar import CalendarRangeError
from gongkai.core.holidays import ScheduleError

MAX_UPLOAD_BYTES: Final = 64 * 1024
NOT_ALLOWED: Final = "您无权录入放假安排（需要“管理工作日历”权限）"


def may_manage_calendar(user: Any) -> bool:
    return may_anywhere(user, Action.MANAGE_CALENDAR)


def _member(request: HttpRequest) -> None:
    if membership_of(request.user) is None:
        raise Http404(NO_MEMBERSHIP)


class YearEntryForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2008, max_value=2099)
    source = forms.CharField(
        label="依据（通知文号）", max_length=200, help_text="例如：国办发明电〔2026〕×号"
    )
    text = forms.CharField(
        label="放假和调休上班日期",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="每行写明“放假”或“上班”，例如：放假 2027-02-05至2027-02-12",
    )
    upload = forms.FileField(label="或上传文本/CSV 文件", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "：")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("upload")
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                raise forms.ValidationError("文件过大：放假安排文件应小于 64 KB")
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    "文件不是 UTF-8 编码的文本，请另存为 UTF-8 后再上传"
                ) from None
        if not (data.get("text") or "").strip():
            raise forms.ValidationError("请粘贴放假安排或上传文件")
        return data


@require_GET
@login_required
def calendar_list(request: HttpRequest) -> HttpResponseBase:
    _member(request)
    today = pages.today()
    context = {
        "years": selectors.calendar_year_list(today=today),
        "warnings": selectors.calendar_warnings(today),
        "may_manage": may_manage_calendar(request.user),
    }
    return render(request, "calendars/list.html", context)


@require_GET
@login_required
def calendar_year(request: HttpRequest, year: int) -> HttpResponseBase:
    _member(request)
    try:
        schedule = selectors.calendar_year_get(year)
    except CalendarRangeError as error:
        raise Http404(str(error)) from None
    context = {
        "schedule": schedule,
        "days_off": sorted(schedule.days_off),
        "workdays": sorted(schedule.workdays),
        "versions": selectors.calendar_year_versions(year),
        "may_manage": may_manage_calendar(request.user),
    }
    return render(request, "calendars/year.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def calendar_enter(request: HttpRequest) -> HttpResponseBase:
    _member(request)
    if not may_manage_calendar(request.user):
        return render(request, "calendars/enter.html", {"error": NOT_ALLOWED}, status=403)
    if request.method == "GET":
        initial = {"year": request.GET.get("year") or pages.today().year + 1}
        return render(request, "calendars/enter.html", {"form": YearEntryForm(initial=initial)})
    form = YearEntryForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "calendars/enter.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        entered = services.calendar_year_import(
            year=data["year"], text=data["text"], source=data["source"], acting_user=request.user
        )
    except ScheduleError as error:
        context = {"form": form, "error": str(error)}
        return render(request, "calendars/enter.html", context, status=400)
    messages.success(request, f"已录入 {entered.version.year} 年的放假安排，所有期限即时按此计算")
    for warning in entered.warnings:
        messages.warning(request, warning)
    return redirect(reverse("calendars:year", args=[entered.version.year]))
