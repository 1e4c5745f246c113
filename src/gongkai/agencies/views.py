"""The administrator's account pages: the members of the units they manage, and a new password
for one of them (a clerk who forgot theirs, or whose account is locked)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from gongkai.agencies.forms import MemberPasswordForm
from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    access_member_by_id,
    may_anywhere,
    members_for,
)
from gongkai.agencies.pages import staff_view
from gongkai.agencies.services import AgencyError, member_set_password
from gongkai.agencies.views_admin import inactive_members
from gongkai.core.errors import GongkaiError


@staff_view
def member_list(request: HttpRequest) -> HttpResponseBase:
    if not may_anywhere(request.user, Action.MANAGE_UNITS):
        raise AccessDeniedError("您没有管理人员账号的权限")
    members = members_for(request.user).order_by("unit__path", "user__username")
    return render(
        request,
        "agencies/members.html",
        {"members": members, "inactive": inactive_members(request)},
    )


@require_http_methods(["GET", "POST"])
@staff_view
def member_password(request: HttpRequest, member_id: int) -> HttpResponseBase:
    membership = access_member_by_id(request.user, member_id)
    form = MemberPasswordForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            member_set_password(
                acting_user=request.user,
                member_id=membership.pk,
                password=form.cleaned_data["new_password1"],
            )
        except AgencyError as exc:
            form.add_error("new_password1", str(exc))
        except AccessDeniedError:
            raise
        except GongkaiError as exc:  # pragma: no cover - defensive
            error = str(exc)
        else:
            messages.success(
                request,
                f"已为“{membership.user.get_username()}”设置新密码，该账号的登录锁定已解除。"
                "请当面或电话告知本人；这是一次性密码，本人下次登录时须改为只有本人知道的密码。",
            )
            return redirect("agencies:members")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agencies/member_password.html",
        {"membership": membership, "form": form, "error": error},
        status=status,
    )
