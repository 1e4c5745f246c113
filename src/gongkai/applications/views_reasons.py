"""The page that adds the reasons to a decision recorded without them.

Reached from the case page's 办理结果 when the decision lacks reasons its reply letter needs;
it shows the decision as recorded and asks only for the reasons still blank. The service
(:func:`gongkai.applications.services.application_add_reasons`) decides what is allowed.
"""

from __future__ import annotations

from typing import Any, Final

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.agencies.gatekeeper import AccessDeniedError, Action, can
from gongkai.agencies.pages import staff_view
from gongkai.applications import selectors, services
from gongkai.applications.models import RESULT_CHOICES
from gongkai.core.errors import GongkaiError
from gongkai.core.reasons import WITHHELD_GROUNDS, ReasonField, required_reasons

_RESULT_LABELS: Final = dict(RESULT_CHOICES)


class AddReasonsForm(forms.Form):
    """The reasons still blank; a field the decision records or does not need is removed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    withheld_part = forms.CharField(
        label="不予公开的部分",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="写明哪些内容不予公开（如“第3至5页中投标人的报价”）",
    )
    withheld_ground = forms.ChoiceField(
        label="不予公开部分的情形",
        required=False,
        choices=[("", "请选择"), *((code, _RESULT_LABELS[code]) for code in WITHHELD_GROUNDS)],
        help_text="答复书据此引用《条例》第十四、十五、十六条或第三十六条的相应条款",
    )
    facts = forms.CharField(
        label="具体理由",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="按纸质答复书或案卷写明本案的具体理由；无法提供的，写明检索了哪些范围",
    )

    def __init__(self, *args: Any, missing: tuple[ReasonField, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ReasonField:
            if name not in missing:
                del self.fields[name.value]
            else:
                self.fields[name.value].required = True


@require_http_methods(["GET", "POST"])
@staff_view
def add_reasons(request: HttpRequest, application_id: int) -> HttpResponseBase:
    view = selectors.decision_reasons(user=request.user, application_id=application_id)
    application = view.application
    if not can(request.user, Action.ADD_REASONS, application.unit):
        raise AccessDeniedError(
            f"您可以查看申请 {application.tracking_number}，但无权{Action.ADD_REASONS.label}"
        )
    missing = tuple(need.field for need in view.missing)
    error = ""
    status = 200
    if request.method == "POST":
        form = AddReasonsForm(request.POST, missing=missing)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.application_add_reasons(
                    acting_user=request.user,
                    application_id=application.pk,
                    expected_version=data["version"],
                    facts=data.get("facts", ""),
                    withheld_part=data.get("withheld_part", ""),
                    withheld_ground=data.get("withheld_ground", ""),
                )
            except AccessDeniedError:
                raise
            except services.StaleVersionError as exc:
                error, status = str(exc), 409
            except GongkaiError as exc:
                error, status = str(exc), 400
            else:
                messages.success(request, f"已补录申请 {application.tracking_number} 的答复理由")
                return redirect("applications:case", application_id=application.pk)
        else:
            status = 400
    else:
        form = AddReasonsForm(initial={"version": application.version}, missing=missing)
    return render(
        request,
        "applications/add_reasons.html",
        {
            "app": application,
            "view": view,
            "result_label": _RESULT_LABELS.get(view.decided.result, view.decided.result)
            if view.decided
            else "",
            "needs_reasons": bool(view.decided and required_reasons(view.decided.result)),
            "form": form,
            "error": error,
        },
        status=status,
    )
