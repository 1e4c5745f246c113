"""The staff pages of disclosure applications: thin views over the services and selectors.

Each view parses input with a form from :mod:`gongkai.applications.forms`, asks the gatekeeper
(through a selector or a service) and renders. Every refusal the domain raises — a
:class:`~gongkai.core.errors.GongkaiError` in Chinese — is shown next to the form that caused
it; an object the user may not see is a 404 whose message does not say whether it exists.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    access_application_by_id,
    membership_of,
    units_for,
    visible_units,
)
from gongkai.agencies.models import Unit
from gongkai.applications import forms as f
from gongkai.applications import services, worklists
from gongkai.applications.attachments import application_register_with_attachments, read_upload
from gongkai.applications.exports import (
    XLSX_CONTENT_TYPE,
    applications_workbook,
    open_cases_workbook,
)
from gongkai.applications.forms_files import RegisterAttachmentsForm
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.panels import case_panels, dashboard_panels
from gongkai.applications.selectors import (
    DUE_SOON_WORKING_DAYS,
    application_find_duplicates,
    application_list_open,
    unit_dashboard,
)
from gongkai.applications.worklists import SearchFilters, Step
from gongkai.core.errors import GongkaiError

PAGE_SIZE: Final = 50
STALE_FORM: Final = (
    "此案件已被他人修改：您打开页面时是第 {seen} 版，现在是第 {current} 版。"
    "为避免覆盖他人的办理记录，本次“{step}”未保存。请核对下方最新的办理情况后重新操作。"
)


def staff_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Log-in required; "not allowed" becomes the same 404 as "not found"."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except AccessDeniedError as error:
            raise Http404(str(error)) from None

    return login_required(wrapped)


def _today() -> dt.date:
    return timezone.localdate()


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{filename}"
    )
    return response


def _own_unit(request: HttpRequest) -> Unit:
    membership = membership_of(request.user)
    if membership is None:
        raise AccessDeniedError("您的账号未分配所属单位和角色，请联系系统管理员")
    return membership.unit


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------


@require_GET
@staff_view
def my_cases(request: HttpRequest) -> HttpResponseBase:
    """The open cases of the clerk's unit (a supervisor: of every unit below), most urgent first."""
    today = _today()
    membership = membership_of(request.user)
    unit = membership.unit if membership and membership.role in ("clerk", "head") else None
    rows = application_list_open(user=request.user, unit=unit, today=today)
    if request.GET.get("format") == "xlsx":
        return _xlsx(open_cases_workbook(rows, today=today), f"open-cases-{today.isoformat()}.xlsx")
    return render(
        request,
        "applications/my_cases.html",
        {
            "rows": rows,
            "today": today,
            "due_soon_days": DUE_SOON_WORKING_DAYS,
            "overdue": sum(1 for r in rows if r.overdue),
            "due_soon": sum(1 for r in rows if r.due_soon and not r.overdue),
        },
    )


@require_GET
@staff_view
def search(request: HttpRequest) -> HttpResponseBase:
    """Every case the user may read, filtered; paginated on screen, complete in Excel."""
    units = visible_units(request.user).order_by("path")
    form = f.SearchForm(request.GET or None, units=units)
    queryset = Application.objects.none()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = SearchFilters(
            unit=data["unit"],
            status=data["status"],
            applicant_type=data["applicant_type"],
            channel=data["channel"],
            received_from=data["received_from"],
            received_to=data["received_to"],
            text=data["q"],
        )
        queryset = worklists.application_search(user=request.user, filters=filters)
    elif not form.is_bound:
        queryset = worklists.application_search(user=request.user, filters=SearchFilters())
    if request.GET.get("format") == "xlsx" and (not form.is_bound or form.is_valid()):
        today = _today()
        return _xlsx(
            applications_workbook(queryset.iterator(chunk_size=2000), title="查询结果"),
            f"cases-{today.isoformat()}.xlsx",
        )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop("format", None)
    return render(
        request,
        "applications/search.html",
        {
            "form": form,
            "page": page,
            "query": params.urlencode(),
            "export_query": urlencode([*params.lists(), ("format", "xlsx")], doseq=True),
        },
    )


@require_GET
@staff_view
def dashboard(request: HttpRequest, unit_id: int) -> HttpResponseBase:
    """A unit's counts; ``?all=1`` adds every unit below it (for a supervising office)."""
    unit = units_for(request.user, Action.VIEW_DASHBOARD).filter(pk=unit_id).first()
    if unit is None:
        raise AccessDeniedError(f"未找到单位（内部编号 {unit_id}），或您无权查看该单位的统计")
    include = request.GET.get("all") == "1"
    today = _today()
    board = unit_dashboard(user=request.user, unit=unit, include_subunits=include, today=today)
    panels = dashboard_panels(request.user, unit, today=today, include_subunits=include)
    return render(
        request, "applications/dashboard.html", {"board": board, "include": include, **panels}
    )


@require_GET
@staff_view
def overview(request: HttpRequest) -> HttpResponseBase:
    """The supervising office's table: every unit it oversees, with its counts."""
    data = worklists.unit_overview(user=request.user, today=_today())
    if not data.units:
        raise AccessDeniedError("您没有查看各单位统计的权限")
    return render(request, "agencies/overview.html", {"overview": data})


# ---------------------------------------------------------------------------------------------
# Registering an application
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view
def register(request: HttpRequest) -> HttpResponseBase:
    """Register an application; similar earlier ones are shown before anything is saved."""
    units = units_for(request.user, Action.REGISTER).order_by("path")
    if not units.exists():
        raise AccessDeniedError("您没有登记申请的权限")
    today = _today()
    initial = {"submitted_on": today, "unit": units.first()}
    form = f.RegisterForm(request.POST or None, units=units, initial=initial)
    files = RegisterAttachmentsForm(request.POST or None, request.FILES or None)
    duplicates: list[Any] = []
    error = ""
    if request.method == "POST" and form.is_valid() and files.is_valid():
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirm_duplicate")
        unit = data.pop("unit")
        duplicates = application_find_duplicates(
            user=request.user,
            unit=unit,
            applicant_name=data["applicant_name"],
            id_document_number=data["id_document_number"],
            description=data["description"],
            on=data["submitted_on"],
        )
        if not duplicates or confirmed:
            try:
                application = application_register_with_attachments(
                    acting_user=request.user,
                    unit=unit,
                    uploads=[read_upload(file, kind) for kind, file in files.uploads()],
                    **data,
                )
            except AccessDeniedError:
                raise
            except GongkaiError as exc:
                error = str(exc)
            else:
                messages.success(
                    request,
                    f"已登记申请，受理编号 {application.tracking_number}；"
                    f"答复期限 {application.due_date.isoformat() if application.due_date else '—'}",
                )
                return redirect("applications:case", application.pk)
    status = 400 if request.method == "POST" and (error or form.errors or files.errors) else 200
    return render(
        request,
        "applications/register.html",
        {"form": form, "files": files, "duplicates": duplicates, "error": error},
        status=status,
    )


# ---------------------------------------------------------------------------------------------
# The case page and its steps
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    title: str
    form: type[f.StepForm]
    call: Callable[[Any, int, int, Any], Application]  # (user, id, version, form) → service
    button: str = "保存"


def _run(service: Callable[..., Application], **fields: str) -> Callable[..., Application]:
    """A StepSpec call that passes the named cleaned fields (and the date) to ``service``."""

    def call(user: Any, application_id: int, version: int, form: Any) -> Application:
        data = form.cleaned_data
        kwargs = {name: data[source] for name, source in fields.items()}
        return service(
            acting_user=user,
            application_id=application_id,
            expected_version=version,
            on=data["on"],
            **kwargs,
        )

    return call


def _answer_consultation(user: Any, application_id: int, version: int, form: Any) -> Application:
    kind, party = form.split()
    return services.application_answer_consultation(
        acting_user=user,
        application_id=application_id,
        expected_version=version,
        consultation=kind,
        party=party,
        agrees=form.agrees_value(),
        note=form.cleaned_data["note"],
        on=form.cleaned_data["on"],
    )


def _fee_notice(user: Any, application_id: int, version: int, form: Any) -> Application:
    data = form.cleaned_data
    return services.application_send_fee_notice(
        acting_user=user,
        application_id=application_id,
        expected_version=version,
        method=data["method"],
        requests=data["requests"] or 1,
        pages=data["pages"],
        electronic=data["electronic"],
        on=data["on"],
    )


# In the order the page offers them.
STEPS: Final[dict[str, StepSpec]] = {
    Step.CORRECTION: StepSpec(
        "发出补正告知",
        f.CorrectionForm,
        _run(
            services.application_request_correction,
            items="items",
            supplement_deadline="supplement_deadline",
        ),
    ),
    Step.SUPPLEMENT: StepSpec(
        "收到补正材料（重新计算答复期限）",
        f.NoteForm,
        _run(services.application_receive_supplement, note="note"),
    ),
    Step.ABANDON: StepSpec(
        "逾期未补正（视为放弃申请，结案）",
        f.DateOnlyForm,
        _run(services.application_abandon_correction),
    ),
    Step.CONSULT: StepSpec(
        "发出征求意见函（暂停计时）",
        f.ConsultForm,
        _run(services.application_start_consultation, consultation="consultation", party="party"),
    ),
    Step.CONSULT_ANSWER: StepSpec("收到征求意见答复", f.ConsultAnswerForm, _answer_consultation),
    Step.EXTENSION: StepSpec(
        "申请延期答复（报负责人批准）",
        f.ExtensionForm,
        _run(services.application_request_extension, working_days="working_days", reason="reason"),
    ),
    Step.EXTENSION_APPROVE: StepSpec(
        "批准延期答复", f.DateOnlyForm, _run(services.application_approve_extension), "批准"
    ),
    Step.EXTENSION_REFUSE: StepSpec(
        "驳回延期申请",
        f.ReasonForm,
        _run(services.application_refuse_extension, reason="reason"),
        "驳回",
    ),
    Step.FEE_NOTICE: StepSpec("发出收费通知", f.FeeNoticeForm, _fee_notice),
    Step.FEE_PAID: StepSpec("申请人已缴费", f.DateOnlyForm, _run(services.application_fee_paid)),
    Step.FEE_NOT_PAID: StepSpec(
        "逾期未缴费（不再处理，结案）", f.DateOnlyForm, _run(services.application_fee_not_paid)
    ),
    Step.DECIDE: StepSpec(
        "作出答复决定",
        f.DecideForm,
        _run(services.application_decide, result="result", legal_basis="legal_basis"),
    ),
    Step.REPLY: StepSpec(
        "送达答复",
        f.ReplyForm,
        _run(services.application_send_reply, delivery="delivery", note="note"),
    ),
    Step.WITHDRAW: StepSpec(
        "申请人撤回申请（结案）", f.NoteForm, _run(services.application_withdraw, note="note")
    ),
}


def _step_form(name: str, case: worklists.CaseView, data: Any = None) -> f.StepForm:
    spec = STEPS[name]
    kwargs: dict[str, Any] = {
        "today": case.today,
        "initial": {"version": case.application.version},
        "prefix": name,
    }
    if spec.form is f.ConsultAnswerForm:
        kwargs["open_consultations"] = case.open_consultations
    return spec.form(data, **kwargs)


def _render_case(
    request: HttpRequest,
    case: worklists.CaseView,
    *,
    bound: tuple[str, f.StepForm] | None = None,
    error: str = "",
    status: int = 200,
    panels: dict[str, Any] | None = None,
) -> HttpResponse:
    """The case page; ``panels`` carries a submitted letters/remedies/attachments form and its
    error (see :func:`gongkai.applications.panels.case_panels`)."""
    step_forms = []
    for name, spec in STEPS.items():
        if name not in case.steps and not (bound and bound[0] == name):
            continue
        form = bound[1] if bound and bound[0] == name else _step_form(name, case)
        step_forms.append(
            {"name": name, "spec": spec, "form": form, "open": bool(bound and bound[0] == name)}
        )
    return render(
        request,
        "applications/case.html",
        {
            "case": case,
            "app": case.application,
            "state": case.state,
            "clock": case.state.clock if case.state else None,
            "step_forms": step_forms,
            "history": [(event, event_summary(event)) for event in case.events],
            "step_error": error,
            "error_step": bound[0] if bound else "",
            **case_panels(request.user, case, bound=panels),
        },
        status=status,
    )


def event_summary(event: ApplicationEvent) -> str:
    """What a history entry says beyond its kind, in the clerk's words."""
    return event.payload.summary()


@require_GET
@staff_view
def case_detail(request: HttpRequest, application_id: int) -> HttpResponseBase:
    case = worklists.application_case(
        user=request.user, application_id=application_id, today=_today()
    )
    return _render_case(request, case)


@require_POST
@staff_view
def case_step(request: HttpRequest, application_id: int, step: str) -> HttpResponseBase:
    """Take one workflow step; on refusal, show the case again with the message by the form."""
    if step not in STEPS:
        raise Http404(f"没有“{step}”这个办理事项")
    today = _today()
    case = worklists.application_case(user=request.user, application_id=application_id, today=today)
    spec = STEPS[step]
    form = _step_form(step, case, request.POST)
    if not case.may_handle:
        error = f"您可以查看申请 {case.application.tracking_number}，但无权办理（{spec.title}）"
        return _render_case(request, case, bound=(step, form), error=error, status=403)
    if not form.is_valid():
        return _render_case(request, case, bound=(step, form), status=400)
    seen = form.cleaned_data["version"]
    if seen != case.application.version:
        error = STALE_FORM.format(seen=seen, current=case.application.version, step=spec.title)
        fresh = _step_form(step, case)
        return _render_case(request, case, bound=(step, fresh), error=error, status=409)
    try:
        spec.call(request.user, application_id, seen, form)
    except AccessDeniedError as exc:
        return _render_case(request, case, bound=(step, form), error=str(exc), status=403)
    except services.ApplicationError as exc:
        # A version race lost between our check and the service's UPDATE reads the same.
        current = access_application_by_id(request.user, application_id).version
        if current != seen:
            case = worklists.application_case(
                user=request.user, application_id=application_id, today=today
            )
            stale = STALE_FORM.format(seen=seen, current=current, step=spec.title)
            fresh = _step_form(step, case)
            return _render_case(request, case, bound=(step, fresh), error=stale, status=409)
        return _render_case(request, case, bound=(step, form), error=str(exc), status=400)
    except GongkaiError as exc:
        return _render_case(request, case, bound=(step, form), error=str(exc), status=400)
    messages.success(request, f"已保存：{spec.title}")
    return redirect("applications:case", application_id)
