"""The case page: the workflow steps of an application and the panels of the other domains.

The page composes applications (the history and the steps), letters, remedies and attachments,
so it lives in the presentation layer, above every domain it shows (DESIGN.md §2, layering
rules); the views of letters, remedies and attachments that answer on this page (a refused form
is shown again next to its panel) are in the sibling modules of this package and call
:func:`render_case`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import AccessDeniedError, access_application_by_id
from gongkai.agencies.pages import staff_view
from gongkai.applications import forms as f
from gongkai.applications import services, worklists
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.applications.worklists import Step
from gongkai.core.errors import GongkaiError
from gongkai.web.case_page.panels import case_panels
from gongkai.web.case_page.personal_data import personal_data_context

STALE_FORM: Final = (
    "此案件已被他人修改：您打开页面时是第 {seen} 版，现在是第 {current} 版。"
    "为避免覆盖他人的办理记录，本次“{step}”未保存。请核对下方最新的办理情况后重新操作。"
)


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


def _consultation_delivered(user: Any, application_id: int, version: int, form: Any) -> Application:
    kind, party = form.split()
    return services.application_record_consultation_delivery(
        acting_user=user,
        application_id=application_id,
        expected_version=version,
        consultation=kind,
        party=party,
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
    Step.CONSULT_DELIVERED: StepSpec(
        "征求意见函已送达（答复期限自送达之日起算）",
        f.ConsultDeliveredForm,
        _consultation_delivered,
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
    Step.DELAYED_REPLY: StepSpec(
        "告知延迟答复（《条例》第三十五条）",
        f.DelayedReplyForm,
        _run(services.application_notify_delayed_reply, due="due", reason="reason"),
    ),
    Step.FEE_NOTICE: StepSpec("发出收费通知", f.FeeNoticeForm, _fee_notice),
    Step.FEE_DELIVERED: StepSpec(
        "收费通知已送达（缴费期限自送达之日起算）",
        f.FeeDeliveredForm,
        _run(services.application_record_fee_notice_delivery, note="note"),
    ),
    Step.FEE_PAID: StepSpec("申请人已缴费", f.DateOnlyForm, _run(services.application_fee_paid)),
    Step.FEE_NOT_PAID: StepSpec(
        "逾期未缴费（不再处理，结案）", f.DateOnlyForm, _run(services.application_fee_not_paid)
    ),
    Step.DECIDE: StepSpec(
        "作出答复决定",
        f.DecideForm,
        _run(
            services.application_decide,
            result="result",
            legal_basis="legal_basis",
            facts="facts",
            withheld_part="withheld_part",
            withheld_ground="withheld_ground",
        ),
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
    if spec.form is f.ConsultDeliveredForm:
        kwargs["open_consultations"] = case.undelivered_consultations
    return spec.form(data, **kwargs)


def render_case(
    request: HttpRequest,
    case: worklists.CaseView,
    *,
    bound: tuple[str, f.StepForm] | None = None,
    error: str = "",
    status: int = 200,
    panels: dict[str, Any] | None = None,
    assign_error: str = "",
) -> HttpResponse:
    """The case page; ``panels`` carries a submitted letters/remedies/attachments form and its
    error (see :func:`gongkai.web.case_page.panels.case_panels`)."""
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
        "web/case.html",
        {
            "case": case,
            "app": case.application,
            "state": case.state,
            "clock": case.state.clock if case.state else None,
            "step_forms": step_forms,
            "history": [(event, event_summary(event)) for event in case.events],
            "step_error": error,
            "error_step": bound[0] if bound else "",
            "real_today": pages.today(),
            "assignment": worklists.assignment_options(
                user=request.user, application=case.application
            ),
            "assign_error": assign_error,
            **case_panels(request.user, case, bound=panels),
            **personal_data_context(request, case.application),
        },
        status=status,
    )


def event_summary(event: ApplicationEvent) -> str:
    """What a history entry says beyond its kind, in the clerk's words."""
    return event.payload.summary()


def as_of(request: HttpRequest) -> tuple[dt.date, str]:
    """The day the case page is shown for: ``?on=`` (a past day, to type in a paper case: the
    steps offered and the forms' dates follow it), else today; with an error for a bad value.
    A day before the case's latest step shows the case as of that step (see ``case_detail``)."""
    today = pages.today()
    raw = request.GET.get("on", "")
    if not raw:
        return today, ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return today, f"补录日期“{raw}”无效，请按“年-月-日”填写；以下按今天显示"
    if day > today:
        return today, f"补录日期 {day.isoformat()} 晚于今天，以下按今天显示"
    return day, ""


def case_url(application_id: int, on: dt.date | None = None) -> str:
    """The case page, shown for ``on`` when that is a past day (back-filling continues there)."""
    url = reverse("applications:case", args=[application_id])
    return f"{url}?on={on.isoformat()}" if on is not None and on < pages.today() else url


@require_GET
@staff_view
def case_detail(request: HttpRequest, application_id: int) -> HttpResponseBase:
    day, error = as_of(request)
    case = worklists.application_case(user=request.user, application_id=application_id, today=day)
    latest = max((event.date for event in case.events), default=day)
    if latest > day:
        # Steps are recorded in date order: back-filling goes on from the latest one recorded.
        case = worklists.application_case(
            user=request.user, application_id=application_id, today=latest
        )
    return render_case(request, case, error=error)


@require_POST
@staff_view
def case_step(request: HttpRequest, application_id: int, step: str) -> HttpResponseBase:
    """Take one workflow step; on refusal, show the case again with the message by the form."""
    if step not in STEPS:
        raise Http404(f"没有“{step}”这个办理事项")
    today = pages.today()
    case = worklists.application_case(user=request.user, application_id=application_id, today=today)
    spec = STEPS[step]
    form = _step_form(step, case, request.POST)
    if not case.may_handle:
        error = f"您可以查看申请 {case.application.tracking_number}，但无权办理（{spec.title}）"
        return render_case(request, case, bound=(step, form), error=error, status=403)
    if not form.is_valid():
        return render_case(request, case, bound=(step, form), status=400)
    seen = form.cleaned_data["version"]
    if seen != case.application.version:
        error = STALE_FORM.format(seen=seen, current=case.application.version, step=spec.title)
        fresh = _step_form(step, case)
        return render_case(request, case, bound=(step, fresh), error=error, status=409)
    try:
        spec.call(request.user, application_id, seen, form)
    except AccessDeniedError as exc:
        return render_case(request, case, bound=(step, form), error=str(exc), status=403)
    except services.ApplicationError as exc:
        # A version race lost between our check and the service's UPDATE reads the same.
        current = access_application_by_id(request.user, application_id).version
        if current != seen:
            case = worklists.application_case(
                user=request.user, application_id=application_id, today=today
            )
            stale = STALE_FORM.format(seen=seen, current=current, step=spec.title)
            fresh = _step_form(step, case)
            return render_case(request, case, bound=(step, fresh), error=stale, status=409)
        return render_case(request, case, bound=(step, form), error=str(exc), status=400)
    except GongkaiError as exc:
        return render_case(request, case, bound=(step, form), error=str(exc), status=400)
    messages.success(request, f"已保存：{spec.title}")
    return redirect(case_url(application_id, form.cleaned_data["on"]))


@require_POST
@staff_view
def case_assign(request: HttpRequest, application_id: int) -> HttpResponseBase:
    """Give the case to a clerk (the 负责人) or take it (a clerk, an unassigned case)."""
    form = f.AssignForm(request.POST)
    if not form.is_valid():
        case = worklists.application_case(user=request.user, application_id=application_id)
        error = "；".join(str(m) for messages_ in form.errors.values() for m in messages_)
        return render_case(request, case, assign_error=error, status=400)
    try:
        application = services.application_assign(
            acting_user=request.user,
            application_id=application_id,
            expected_version=form.cleaned_data["version"],
            assignee_id=form.cleaned_data["assignee"],
            note=form.cleaned_data["note"],
        )
    except GongkaiError as exc:
        # The case may be invisible to this user: the page then is the gatekeeper's 404.
        case = worklists.application_case(user=request.user, application_id=application_id)
        status = 403 if isinstance(exc, AccessDeniedError) else 400
        if isinstance(exc, services.StaleVersionError):
            status = 409
        return render_case(request, case, assign_error=str(exc), status=status)
    assignee: Any = application.assigned_to
    messages.success(
        request, f"已指定承办人：{assignee.get_full_name() or assignee.get_username()}"
    )
    return redirect(case_url(application_id))
