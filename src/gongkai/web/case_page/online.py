"""Staff side of the online application: the list awaiting confirmation and "确认收到".

[R] Art 31(三): the day both sides confirm is the day of receipt. Confirming registers the case
(channel 网络平台) and opens its case page; the applicant sees the date on the portal.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from gongkai.agencies import pages
from gongkai.agencies.pages import staff_view
from gongkai.applications.services.online import application_confirm_online
from gongkai.core.errors import GongkaiError
from gongkai.core.masking import mask_id_number
from gongkai.portal.apply.selectors import pending_by_id, pending_for


class ConfirmForm(forms.Form):
    confirmed_on = forms.DateField(
        label="确认收到日期（与申请人双方确认之日）",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


@staff_view
def online_pending(request: HttpRequest) -> HttpResponseBase:
    rows = [
        {"submission": s, "id_masked": mask_id_number(s.id_document_number)}
        for s in pending_for(request.user)
    ]
    return render(request, "web/online_pending.html", {"rows": rows})


@staff_view
def online_confirm(request: HttpRequest, submission_id: int) -> HttpResponseBase:
    submission = pending_by_id(request.user, submission_id)
    if submission is None:
        raise Http404("未找到该网上申请，或您无权办理")
    if submission.application is not None:
        return redirect("applications:case", application_id=submission.application.pk)
    if request.method == "POST":
        form = ConfirmForm(request.POST)
        if form.is_valid():
            try:
                application = application_confirm_online(
                    acting_user=request.user,
                    submission_id=submission.pk,
                    confirmed_on=form.cleaned_data["confirmed_on"],
                )
            except GongkaiError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"已确认收到，登记为 {application.tracking_number}，答复期限已开始计算"
                )
                return redirect(reverse("applications:case", args=[application.pk]))
    else:
        form = ConfirmForm(initial={"confirmed_on": pages.today()})
    return render(
        request,
        "web/online_confirm.html",
        {"submission": submission, "form": form, "today": pages.today()},
        status=400 if form.errors else 200,
    )
