"""系统管理: the administrator's pages for units, accounts and the deployment, without /admin/.

Every change goes through a service of :mod:`gongkai.agencies.services` (the gatekeeper's
MANAGE_UNITS over the unit concerned, an administration event); the pages only parse forms and
show refusals next to them. The holiday calendar and the letter templates have their own pages
(``/calendar/``, ``letters:templates``), linked from here rather than rebuilt.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import gongkai
from gongkai.agencies import pages
from gongkai.agencies import services as s
from gongkai.agencies.admin_events import admin_events_for, payload_of
from gongkai.agencies.forms import MemberChangeForm, MemberCreateForm, UnitForm, UnitMoveForm
from gongkai.agencies.gatekeeper import (
    AccessDeniedError,
    Action,
    access_member_by_id,
    access_unit_by_id,
    inactive_members_for,
    may_anywhere,
    move_targets,
    units_where,
)
from gongkai.agencies.pages import staff_view

NOT_ADMIN = "您没有系统管理的权限（仅系统管理员可以）"


def _managed_units(request: HttpRequest) -> Any:
    return units_where(request.user, Action.MANAGE_UNITS, refusal=NOT_ADMIN)


@require_GET
@staff_view
def admin_home(request: HttpRequest) -> HttpResponseBase:
    units = _managed_units(request)
    return render(
        request,
        "agencies/admin_home.html",
        {
            "units": units,
            "may_archive": may_anywhere(request.user, Action.ARCHIVE_CASES),
            "may_templates": may_anywhere(request.user, Action.MANAGE_LETTER_TEMPLATES),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def unit_list(request: HttpRequest) -> HttpResponseBase:
    units = _managed_units(request)
    form = UnitForm(request.POST or None, parents=units, prefix="new")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = s.admin_unit_create(
                acting_user=request.user,
                parent_id=data["parent"].pk,
                name=data["name"],
                short_name=data["short_name"],
                kind=data["kind"],
            )
        except s.AgencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"已新建单位“{unit.name}”。")
            return redirect("agencies:units")
    status = 400 if request.method == "POST" else 200
    # Indented from the administrator's own top: a township's list starts at the left margin.
    listed = list(units)
    top = min((unit.depth for unit in listed), default=0)
    rows = [(unit, range(unit.depth - top)) for unit in listed]
    return render(request, "agencies/units.html", {"rows": rows, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@staff_view
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponseBase:
    unit = access_unit_by_id(request.user, unit_id, Action.MANAGE_UNITS)
    initial = {"name": unit.name, "short_name": unit.short_name, "kind": unit.kind}
    moving = request.POST.get("move") == "1"
    editing = request.method == "POST" and not moving
    form = UnitForm(request.POST if editing else None, initial=initial)
    move_form = UnitMoveForm(
        request.POST if moving else None,
        parents=move_targets(request.user, unit),
        initial={"parent": unit.parent_id},
    )
    if request.method == "POST":
        try:
            if moving and move_form.is_valid():
                s.admin_unit_move(
                    acting_user=request.user,
                    unit_id=unit.pk,
                    parent_id=move_form.cleaned_data["parent"].pk,
                )
                messages.success(request, f"已调整“{unit.name}”的上级单位。")
                return redirect("agencies:units")
            if not moving and form.is_valid():
                data = form.cleaned_data
                s.admin_unit_update(
                    acting_user=request.user,
                    unit_id=unit.pk,
                    name=data["name"],
                    short_name=data["short_name"],
                    kind=data["kind"],
                )
                messages.success(request, "单位信息已保存。")
                return redirect("agencies:units")
        except s.AgencyError as error:
            (move_form if moving else form).add_error(None, str(error))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "agencies/unit_edit.html",
        {"unit": unit, "form": form, "move_form": move_form},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_view
def member_new(request: HttpRequest) -> HttpResponseBase:
    units = _managed_units(request)
    form = MemberCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = s.admin_member_create(
                acting_user=request.user,
                username=data["username"],
                full_name=data["full_name"],
                unit_id=data["unit"].pk,
                role=data["role"],
                password=data["new_password1"],
                email=data["email"],
            )
        except s.AgencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"已新建账号“{membership.user.get_username()}”。请把一次性密码当面或电话告知本人，"
                "首次登录时须改为只有本人知道的密码。",
            )
            return redirect("agencies:members")
    status = 400 if request.method == "POST" else 200
    return render(request, "agencies/member_new.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@staff_view
def member_edit(request: HttpRequest, member_id: int) -> HttpResponseBase:
    membership = access_member_by_id(request.user, member_id)
    units = _managed_units(request)
    form = MemberChangeForm(
        request.POST or None,
        units=units,
        initial={
            "unit": membership.unit_id,
            "role": membership.role,
            "email": membership.user.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            s.admin_member_change(
                acting_user=request.user,
                member_id=membership.pk,
                unit_id=form.cleaned_data["unit"].pk,
                role=form.cleaned_data["role"],
                email=form.cleaned_data["email"],
            )
        except s.AgencyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"已保存“{membership.user.get_username()}”的单位、角色和电子邮箱。"
            )
            return redirect("agencies:members")
    status = 400 if request.method == "POST" else 200
    context = {"membership": membership, "form": form}
    return render(request, "agencies/member_edit.html", context, status=status)


@require_POST
@staff_view
def member_active(request: HttpRequest, member_id: int) -> HttpResponseBase:
    active = request.POST.get("active") == "1"
    try:
        membership = s.admin_member_set_active(
            acting_user=request.user, member_id=member_id, active=active
        )
    except s.AgencyError as error:
        messages.error(request, str(error))
    else:
        verb = "恢复" if active else "停用"
        messages.success(request, f"已{verb}账号“{membership.user.get_username()}”。")
    return redirect("agencies:members")


@require_GET
@staff_view
def deployment(request: HttpRequest) -> HttpResponseBase:
    """What this deployment runs on, read-only and without secrets (no key, no password, no
    database address): what an administrator checks before calling for help."""
    _managed_units(request)
    rows = [
        ("gongkai 版本", gongkai.__version__),
        ("数据库", connection.vendor),
        ("邮件发送方式", settings.EMAIL_BACKEND.rsplit(".", 2)[-2]),
        ("发件人地址", getattr(settings, "DEFAULT_FROM_EMAIL", "")),
        ("附件存储目录", str(settings.MEDIA_ROOT)),
        ("时区", settings.TIME_ZONE),
        ("到期提醒提前工作日数", getattr(settings, "GONGKAI_REMINDER_WORKING_DAYS", "—")),
        ("案件保存期限（年）", getattr(settings, "GONGKAI_RETENTION_YEARS", "—")),
        ("附件大小上限（字节）", getattr(settings, "GONGKAI_ATTACHMENT_MAX_BYTES", "—")),
        ("会话空闲超时（分钟）", settings.SESSION_COOKIE_AGE // 60),
        ("仅限 HTTPS", "是" if getattr(settings, "GONGKAI_HTTPS", False) else "否"),
        ("调试模式", "开启（不应用于正式环境）" if settings.DEBUG else "关闭"),
    ]
    return render(request, "agencies/deployment.html", {"rows": rows})


@require_GET
@staff_view
def admin_history(request: HttpRequest) -> HttpResponseBase:
    _managed_units(request)
    page = pages.page_of(admin_events_for(request.user), request)
    events = [(event, payload_of(event).summary()) for event in page.object_list]
    return render(request, "agencies/admin_history.html", {"page": page, "events": events})


def inactive_members(request: HttpRequest) -> Any:
    if not may_anywhere(request.user, Action.MANAGE_UNITS):
        raise AccessDeniedError(NOT_ADMIN)
    return inactive_members_for(request.user).order_by("unit__path", "user__username")
