"""What every page's navigation needs to know about the person looking at it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gongkai.agencies import pages
from gongkai.agencies.gatekeeper import Action, can, may_anywhere, membership_of
from gongkai.agencies.models import Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The member behind the request and which menu entries they may use.

    The menu only hides what the gatekeeper would refuse anyway; the views still ask it.
    Uses the membership the gatekeeper caches on the user, so it adds no query to a page.
    """
    membership = membership_of(getattr(request, "user", None))
    if membership is None:
        return {"member": None}
    unit = membership.unit
    return {
        "member": membership,
        "member_role": Role(membership.role).label,
        "nav_cases": can(request.user, Action.VIEW_CASES, unit),
        "nav_register": can(request.user, Action.REGISTER, unit),
        "nav_dashboard": can(request.user, Action.VIEW_DASHBOARD, unit),
        "nav_reports": can(request.user, Action.VIEW_REPORTS, unit),
        # The report a unit works on for most of the year: last year's (published by 31 March).
        "nav_report_year": pages.today().year - 1,
        "nav_templates": can(request.user, Action.MANAGE_LETTER_TEMPLATES, unit),
        "nav_registers": can(request.user, Action.VIEW_REGISTERS, unit),
        "nav_overview": membership.role in (Role.SUPERVISOR, Role.ADMIN),
        "nav_members": may_anywhere(request.user, Action.MANAGE_UNITS),
        "nav_evaluations": may_anywhere(request.user, Action.VIEW_EVALUATIONS),
        "nav_api_tokens": may_anywhere(request.user, Action.MANAGE_API_TOKENS),
        "nav_access_log": may_anywhere(request.user, Action.VIEW_ACCESS_LOG),
    }
