"""Reads of the API, all through the gatekeeper (the caller is a token's service principal).

Lists are ordered and cut in SQL (``count`` and one page), with the related rows each item
shows fetched alongside, so a page costs a fixed number of queries whatever its size.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gongkai.agencies.gatekeeper import (
    Action,
    access_application_by_id,
    applications_for,
    token_grant,
    units_for,
)
from gongkai.agencies.gatekeeper import records_for as gatekeeper_records_for
from gongkai.agencies.models import Unit
from gongkai.api.models import ApiToken
from gongkai.api.services import API_TOKEN
from gongkai.applications.models import Application, ApplicationEvent, OnlineSubmission
from gongkai.registers.models import NormativeDocument, RegisterEvent
from gongkai.registers.selectors import HISTORY_REGISTERS, normative_documents


def application_page(
    *,
    principal: Any,
    year: int | None,
    status: str | None,
    offset: int,
    limit: int,
) -> tuple[int, list[Application]]:
    """The applications the principal may read, newest first, filtered; (total, one page)."""
    queryset = applications_for(principal, Action.VIEW_CASES)
    if year is not None:
        queryset = queryset.filter(year=year)
    if status is not None:
        queryset = queryset.filter(status=status)
    total = queryset.count()
    page = list(
        queryset.select_related("unit").order_by("-received_on", "-pk")[offset : offset + limit]
    )
    return total, page


def application(*, principal: Any, application_id: int) -> Application:
    """One application the principal may read; the gatekeeper's refusal otherwise."""
    found: Application = access_application_by_id(principal, application_id)
    return found


def application_events(*, principal: Any, application_id: int) -> list[ApplicationEvent]:
    """The history of one application the principal may read, oldest first, with actors."""
    found = application(principal=principal, application_id=application_id)
    return list(
        ApplicationEvent.objects.filter(application=found).select_related("actor").order_by("id")
    )


def online_submission_page(
    *, principal: Any, offset: int, limit: int
) -> tuple[int, list[OnlineSubmission]]:
    """The token's unit's online applications awaiting confirmation, oldest first (the order
    the office works them); (total, one page)."""
    queryset = OnlineSubmission.objects.filter(
        unit__in=units_for(principal, Action.VIEW_CASES), application__isnull=True
    )
    total = queryset.count()
    return total, list(queryset.order_by("submitted_at", "pk")[offset : offset + limit])


def online_submission(*, principal: Any, submission_id: int) -> OnlineSubmission | None:
    """One online application of the token's unit, confirmed or not; ``None`` for one that
    does not exist or belongs to another unit (the caller cannot tell which)."""
    return (
        OnlineSubmission.objects.filter(
            unit__in=units_for(principal, Action.REGISTER), pk=submission_id
        )
        .select_related("application")
        .first()
    )


def document_page(
    *, principal: Any, offset: int, limit: int
) -> tuple[int, list[NormativeDocument]]:
    """The token's unit's registered 规章 and 规范性文件, newest first; (total, one page)."""
    grant_unit = principal_unit(principal)
    queryset = normative_documents(user=principal, unit=grant_unit)
    return queryset.count(), list(queryset[offset : offset + limit])


def register_event_page(
    *, principal: Any, register: str | None, entry_id: int | None, offset: int, limit: int
) -> tuple[int, list[RegisterEvent]]:
    """The changes to the token's unit's registers, newest first, as the staff history page
    lists them (``register``: one register's only; ``entry_id``: one entry of it); (total, one
    page), with the actors."""
    queryset = RegisterEvent.objects.filter(
        unit=principal_unit(principal),
        unit__in=units_for(principal, Action.VIEW_REGISTERS),
    )
    if register is not None:
        queryset = queryset.filter(kind__in=HISTORY_REGISTERS[register][1])
        if entry_id is not None:
            queryset = queryset.filter(entry_id=entry_id)
    total = queryset.count()
    page = list(queryset.select_related("actor").order_by("-at", "-id")[offset : offset + limit])
    return total, page


def principal_unit(principal: Any) -> Unit:
    """The unit a token's service principal acts for."""
    grant = token_grant(principal)
    assert grant is not None, "the API's caller is always a token's service principal"
    return grant.unit


def tokens_for(*, user: Any) -> QuerySet[ApiToken]:
    """The tokens of the units where ``user`` manages tokens, newest first."""
    return (
        gatekeeper_records_for(API_TOKEN, user, Action.MANAGE_API_TOKENS)
        .select_related("unit", "created_by")
        .order_by("unit__path", "-created_at")
    )


def all_tokens() -> QuerySet[ApiToken]:
    """Every token, for the command line (which runs as whoever holds the database)."""
    return ApiToken.objects.select_related("unit", "created_by").order_by(
        "unit__path", "-created_at"
    )
