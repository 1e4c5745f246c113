"""The registers' page (/registers/): section 二 as derived, and the entries it is derived from.

Thin views: units through the gatekeeper, reads through :mod:`gongkai.registers.selectors`,
writes through :mod:`gongkai.registers.services`; a refused entry re-renders the page with the
service's Chinese message and the form as typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    access_record_by_id,
    access_unit_by_id,
    can,
    default_unit,
    units_where,
)
from gongkai.agencies.models import Unit
from gongkai.agencies.pages import staff_view
from gongkai.core.errors import GongkaiError
from gongkai.core.formats import FIRST_REPORT_YEAR
from gongkai.registers import selectors, services
from gongkai.registers.decisions_import import decision_counts_import
from gongkai.registers.forms import (
    DecisionForm,
    DecisionImportForm,
    DocumentForm,
    FeeForm,
    ItemForm,
    PublishForm,
    RepealForm,
    WorkForm,
)
from gongkai.registers.models import (
    CATEGORY_CHOICES,
    DECISION_KIND_CHOICES,
    NORMATIVE_DOCUMENT,
    PROACTIVE_ITEM,
    WORK_RECORD,
)

REFUSAL = "您没有查看公开工作台账的权限"


def _year(value: str) -> int:
    today = pages.today()
    if value.isdigit() and FIRST_REPORT_YEAR <= int(value) <= today.year:
        return int(value)
    return today.year


def _posted_year(request: HttpRequest) -> int:
    """The year a write is for, as posted: never silently replaced (the service refuses a bad
    one with its message); the page shown beside a refusal uses :func:`_year`."""
    value = request.POST.get("year", "")
    return int(value) if value.isdigit() else 0


def _unit(request: HttpRequest, value: str, action: Action) -> Unit:
    if value:
        return access_unit_by_id(request.user, value, action)
    units = units_where(request.user, action, refusal=REFUSAL)
    return default_unit(request.user, units)


def _url(unit: Unit, year: int) -> str:
    return f"{reverse('registers:overview')}?unit={unit.pk}&year={year}"


def _page(
    request: HttpRequest,
    *,
    unit: Unit,
    year: int,
    status: int = 200,
    bound: dict[str, forms.Form] | None = None,
    error: str = "",
) -> HttpResponseBase:
    units = units_where(request.user, Action.VIEW_REGISTERS, refusal=REFUSAL)
    fee = selectors.admin_fee(unit=unit, year=year)
    grid = selectors.decision_grid(unit=unit, year=year)
    counts = selectors.catalogue_counts(unit=unit, year=year, today=pages.today())
    context: dict[str, Any] = {
        "unit": unit,
        "year": year,
        "years": list(range(pages.today().year, FIRST_REPORT_YEAR - 1, -1)),
        "units": units,
        "may_edit": can(request.user, Action.MANAGE_REGISTERS, unit),
        "section2": selectors.section2_display(unit=unit, year=year),
        "documents": pages.page_of(
            selectors.normative_documents(user=request.user, unit=unit), request
        ),
        "grid": [(label, grid[kind]) for kind, label in DECISION_KIND_CHOICES],
        "months": range(1, 13),
        "fee": fee,
        "catalogue": selectors.catalogue(
            user=request.user, unit=unit, year=year, today=pages.today()
        ),
        "catalogue_counts": [
            (label, *counts[category])
            for category, label in CATEGORY_CHOICES
            if counts[category][0]
        ],
        "item_form": ItemForm(),
        "work_summary": selectors.work_summary(unit=unit, year=year),
        "work_records": selectors.work_records(user=request.user, unit=unit, year=year),
        "work_form": WorkForm(),
        "publish_form": PublishForm(auto_id=False, initial={"published_on": pages.today()}),
        "document_form": DocumentForm(),
        "decision_form": DecisionForm(),
        "import_form": DecisionImportForm(),
        "fee_form": FeeForm(initial={"amount": fee.amount_shown if fee else ""}),
        "repeal_form": RepealForm(auto_id=False, initial={"repealed_on": pages.today()}),
        "error": error,
        **(bound or {}),
    }
    return render(request, "registers/overview.html", context, status=status)


@require_GET
@staff_view
def overview(request: HttpRequest) -> HttpResponseBase:
    unit = _unit(request, request.GET.get("unit", ""), Action.VIEW_REGISTERS)
    return _page(request, unit=unit, year=_year(request.GET.get("year", "")))


def _refused(
    request: HttpRequest, unit: Unit, year: int, name: str, form: forms.Form, error: str
) -> HttpResponseBase:
    return _page(request, unit=unit, year=year, status=400, bound={name: form}, error=error)


@require_POST
@staff_view
def document_create(request: HttpRequest) -> HttpResponseBase:
    unit = _unit(request, request.POST.get("unit", ""), Action.MANAGE_REGISTERS)
    year = _year(request.POST.get("year", ""))
    form = DocumentForm(request.POST)
    if not form.is_valid():
        return _refused(request, unit, year, "document_form", form, "未登记，请按提示修改")
    try:
        document = services.normative_document_create(
            acting_user=request.user, unit=unit, **form.cleaned_data
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return _refused(request, unit, year, "document_form", form, str(exc))
    messages.success(request, f"已登记{document.get_kind_display()}：{document.number}")
    return redirect(_url(unit, year))


@require_POST
@staff_view
def document_repeal(request: HttpRequest, document_id: int) -> HttpResponseBase:
    document = access_record_by_id(
        NORMATIVE_DOCUMENT, request.user, document_id, Action.MANAGE_REGISTERS
    )
    year = _year(request.POST.get("year", ""))
    form = RepealForm(request.POST)
    if not form.is_valid():
        return _refused(request, document.unit, year, "repeal_form", form, "未废止：请填写废止日期")
    try:
        services.normative_document_repeal(
            acting_user=request.user,
            document_id=document.pk,
            repealed_on=form.cleaned_data["repealed_on"],
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return _refused(request, document.unit, year, "repeal_form", form, str(exc))
    messages.success(request, f"已登记废止：{document.number}")
    return redirect(_url(document.unit, year))


@require_POST
@staff_view
def decision_set(request: HttpRequest) -> HttpResponseBase:
    unit = _unit(request, request.POST.get("unit", ""), Action.MANAGE_REGISTERS)
    year = _posted_year(request)
    shown = _year(str(year))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _refused(request, unit, shown, "decision_form", form, "未保存，请按提示修改")
    data = form.cleaned_data
    try:
        services.decision_count_set(
            acting_user=request.user,
            unit=unit,
            year=year,
            month=data["month"],
            kind=data["kind"],
            count=data["count"],
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return _refused(request, unit, shown, "decision_form", form, str(exc))
    label = dict(DECISION_KIND_CHOICES)[data["kind"]]
    messages.success(
        request, f"已保存 {year} 年 {data['month']} 月{label}决定数量：{data['count']}"
    )
    return redirect(_url(unit, year))


@require_POST
@staff_view
def fee_set(request: HttpRequest) -> HttpResponseBase:
    unit = _unit(request, request.POST.get("unit", ""), Action.MANAGE_REGISTERS)
    year = _posted_year(request)
    shown = _year(str(year))
    form = FeeForm(request.POST)
    if not form.is_valid():
        return _refused(request, unit, shown, "fee_form", form, "未保存，请按提示修改")
    try:
        fee = services.admin_fee_set(
            acting_user=request.user, unit=unit, year=year, amount=form.cleaned_data["amount"]
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return _refused(request, unit, shown, "fee_form", form, str(exc))
    messages.success(request, f"已保存 {year} 年行政事业性收费金额：{fee.amount_shown} 万元")
    return redirect(_url(unit, year))


@require_POST
@staff_view
def item_create(request: HttpRequest) -> HttpResponseBase:
    unit = _unit(request, request.POST.get("unit", ""), Action.MANAGE_REGISTERS)
    year = _year(request.POST.get("year", ""))
    form = ItemForm(request.POST)
    if not form.is_valid():
        return _refused(request, unit, year, "item_form", form, "未登记，请按提示修改")
    try:
        item = services.proactive_item_create(
            acting_user=request.user, unit=unit, **form.cleaned_data
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return _refused(request, unit, year, "item_form", form, str(exc))
    messages.success(request, f"已登记主动公开事项：{item.title}")
    return redirect(_url(unit, year))


@require_POST
@staff_view
def item_publish(request: HttpRequest, item_id: int) -> HttpResponseBase:
    item = access_record_by_id(PROACTIVE_ITEM, request.user, item_id, Action.MANAGE_REGISTERS)
    year = _year(request.POST.get("year", ""))
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _refused(request, item.unit, year, "publish_form", form, "未登记：请填写公开日期")
    try:
        services.proactive_item_publish(
            acting_user=request.user,
            item_id=item.pk,
            published_on=form.cleaned_data["published_on"],
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return _refused(request, item.unit, year, "publish_form", form, str(exc))
    messages.success(request, f"已登记公开：{item.title}")
    return redirect(_url(item.unit, year))


@require_POST
@staff_view
def decision_import(request: HttpRequest) -> HttpResponseBase:
    unit = _unit(request, request.POST.get("unit", ""), Action.MANAGE_REGISTERS)
    year = _posted_year(request)
    shown = _year(str(year))
    form = DecisionImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, unit, shown, "import_form", form, "未导入，请按提示修改")
    upload = form.cleaned_data["workbook"]
    try:
        result = decision_counts_import(
            acting_user=request.user,
            unit=unit,
            year=year,
            data=upload.read(),
            filename=upload.name or "",
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return _refused(request, unit, shown, "import_form", form, f"未导入：{exc}")
    months = "、".join(f"{m} 月" for m in result.months)
    messages.success(request, f"已导入 {year} 年 {months}的 {result.saved} 项数量")
    return redirect(_url(unit, year))


@require_POST
@staff_view
def document_delete(request: HttpRequest, document_id: int) -> HttpResponseBase:
    document = access_record_by_id(
        NORMATIVE_DOCUMENT, request.user, document_id, Action.MANAGE_REGISTERS
    )
    number = services.normative_document_delete(acting_user=request.user, document_id=document.pk)
    messages.success(request, f"已删除误登记的文件：{number}")
    return redirect(_url(document.unit, _year(request.POST.get("year", ""))))


@require_POST
@staff_view
def item_delete(request: HttpRequest, item_id: int) -> HttpResponseBase:
    item = access_record_by_id(PROACTIVE_ITEM, request.user, item_id, Action.MANAGE_REGISTERS)
    title = services.proactive_item_delete(acting_user=request.user, item_id=item.pk)
    messages.success(request, f"已删除误登记的主动公开事项：{title}")
    return redirect(_url(item.unit, _year(request.POST.get("year", ""))))


@require_POST
@staff_view
def work_create(request: HttpRequest) -> HttpResponseBase:
    unit = _unit(request, request.POST.get("unit", ""), Action.MANAGE_REGISTERS)
    year = _year(request.POST.get("year", ""))
    form = WorkForm(request.POST)
    if not form.is_valid():
        return _refused(request, unit, year, "work_form", form, "未登记，请按提示修改")
    try:
        record = services.work_record_create(
            acting_user=request.user, unit=unit, **form.cleaned_data
        )
    except AccessDeniedError:
        raise
    except GongkaiError as exc:
        return _refused(request, unit, year, "work_form", form, str(exc))
    messages.success(request, f"已登记{record.get_kind_display()}：{record.name}")
    return redirect(_url(unit, year))


@require_POST
@staff_view
def work_delete(request: HttpRequest, record_id: int) -> HttpResponseBase:
    record = access_record_by_id(WORK_RECORD, request.user, record_id, Action.MANAGE_REGISTERS)
    name = services.work_record_delete(acting_user=request.user, record_id=record.pk)
    messages.success(request, f"已删除误登记的工作记录：{name}")
    return redirect(_url(record.unit, _year(request.POST.get("year", ""))))


@require_GET
@staff_view
def history(request: HttpRequest) -> HttpResponseBase:
    """Who changed which register entry when, with the values before: the unit's whole
    registers, one register (``?register=document``) or one entry (``&entry=12``)."""
    unit = _unit(request, request.GET.get("unit", ""), Action.VIEW_REGISTERS)
    register = request.GET.get("register", "")
    if register not in selectors.HISTORY_REGISTERS:
        register = ""
    entry = request.GET.get("entry", "")
    entry_id = int(entry) if register and entry.isdigit() else None
    lines = selectors.register_history(
        user=request.user, unit=unit, register=register, entry_id=entry_id
    )
    return render(
        request,
        "registers/history.html",
        {
            "unit": unit,
            "year": _year(request.GET.get("year", "")),
            "register": register,
            "register_label": selectors.HISTORY_REGISTERS[register][0] if register else "",
            "registers": [(key, label) for key, (label, _) in selectors.HISTORY_REGISTERS.items()],
            "entry_id": entry_id,
            "page": pages.page_of(lines, request),
        },
    )
