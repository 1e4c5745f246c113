"""The staff page of API tokens: the 负责人 (own unit) or the 系统管理员 (their units) lists,
issues and revokes them. The secret appears once, on the page that issued it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gongkai.agencies.gatekeeper import Action, default_unit, units_where
from gongkai.agencies.pages import staff_view
from gongkai.api.forms import TokenForm
from gongkai.api.selectors import tokens_for
from gongkai.api.services import SCOPE_LABELS, ApiError, api_token_create, api_token_revoke

NOT_ALLOWED = "您没有管理接口令牌的权限（由单位负责人或系统管理员签发和吊销）"


@require_http_methods(["GET", "POST"])
@staff_view
def token_list(request: HttpRequest) -> HttpResponseBase:
    units = units_where(request.user, Action.MANAGE_API_TOKENS, refusal=NOT_ALLOWED)
    form = TokenForm(
        request.POST or None, units=units, initial={"unit": default_unit(request.user, units)}
    )
    secret = ""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = api_token_create(
                    acting_user=request.user,
                    unit=form.cleaned_data["unit"],
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                )
            except ApiError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(request, f"已签发接口令牌“{token.name}”。")
                form = TokenForm(units=units, initial={"unit": token.unit})
        else:
            status = 400
    context = {
        "tokens": tokens_for(user=request.user),
        "form": form,
        "secret": secret,
        "scope_labels": SCOPE_LABELS,
    }
    return render(request, "api/tokens.html", context, status=status)


@require_POST
@staff_view
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponseBase:
    token = api_token_revoke(acting_user=request.user, token_id=token_id)
    messages.success(request, f"已吊销接口令牌“{token.name}”，其后的调用一律拒绝。")
    return redirect("api:tokens")
