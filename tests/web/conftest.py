"""A small district for the web tests, built through the real services (never raw ORM rows).

泉港区人民政府 (government) with one street office and one department below it, and 惠安县人民政府,
an unrelated district, so that every permission test has an own, a child and an unrelated unit.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.agencies import pages
from gongkai.agencies.models import Role, Unit
from gongkai.agencies.services import member_create, unit_create
from gongkai.applications import services as application_services
from gongkai.applications.models import Application
from gongkai.letters import services as letter_services
from gongkai.letters.models import SentLetter

# What every test application is unless a test says otherwise: a person's request in person.
APPLICATION_FIELDS: dict[str, Any] = {
    "channel": "in_person",
    "applicant_type": "natural_person",
    "applicant_name": "张三",
    "id_document_type": "resident_id",
    "id_document_number": "350505199001011234",
    "description": "2023年泉港区城区道路改造工程的立项批复文件",
    "submitted_on": dt.date(2024, 3, 4),  # a Monday
}


def register(user: Any, unit: Unit, **overrides: Any) -> Application:
    """Register an application through the real service, with :data:`APPLICATION_FIELDS`."""
    fields = {**APPLICATION_FIELDS, **overrides}
    return application_services.application_register(acting_user=user, unit=unit, **fields)


def correction_letter(
    user: Any, unit: Unit, day: dt.date, *, serial: int | None = None, **fields: Any
) -> SentLetter:
    """A case registered with ``fields`` (a fresh ID number unless given) whose 补正告知书 is
    sent on ``day``: the print pages' case with one letter. ``serial`` is the 文号's number as
    it stood on paper; without it, a letter dated before today is numbered on entry (补录)."""
    fields.setdefault("id_document_number", f"35050519900101{Application.objects.count():04d}")
    app = register(user, unit, **fields)
    app = application_services.application_request_correction(
        acting_user=user,
        application_id=app.pk,
        expected_version=app.version,
        items="请写明所需信息的文号",
        supplement_deadline=day + dt.timedelta(days=15),
        on=day,
    )
    letter: SentLetter = letter_services.letter_send(
        acting_user=user,
        application_id=app.pk,
        expected_version=app.version,
        kind="correction",
        on=day,
        serial=serial,
    )
    return letter


def client_for(user: Any) -> Client:
    """A test client logged in as ``user`` that answers a view's error as a 500 page."""
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def html(response: Any, status: int = 200) -> str:
    """The page of ``response``, which must have answered ``status``."""
    assert response.status_code == status, response.content.decode()[:500]
    text: str = response.content.decode()
    return text


@dataclass(frozen=True)
class World:
    district: Unit
    township: Unit
    department: Unit
    other_district: Unit

    def member(self, role: Role, unit: Unit | None = None, username: str | None = None) -> Any:
        unit = unit or self.district
        return member_create(
            username=username or f"{role.value}_{unit.pk}",
            password=None,
            unit=unit,
            role=role,
        )


@pytest.fixture
def world(db: None) -> World:
    district = unit_create(
        name="泉州市泉港区人民政府", short_name="泉港区政府办", kind="government"
    )
    return World(
        district=district,
        township=unit_create(
            name="泉港区山腰街道办事处", short_name="山腰街道", kind="township", parent=district
        ),
        department=unit_create(
            name="泉港区教育局", short_name="泉港区教育局", kind="department", parent=district
        ),
        other_district=unit_create(
            name="泉州市惠安县人民政府", short_name="惠安县政府办", kind="government"
        ),
    )


@pytest.fixture
def clerk(world: World) -> Any:
    """The 经办人 of the district."""
    return world.member(Role.CLERK)


@pytest.fixture
def head(world: World) -> Any:
    """The 负责人 of the district's disclosure office."""
    return world.member(Role.HEAD)


TodayIs = Callable[[dt.date], None]


@pytest.fixture
def today_is() -> Iterator[TodayIs]:
    """``today_is(day)`` moves every source of "today" to ``day`` for the rest of the test.

    The sources: the pages (:func:`gongkai.agencies.pages.today`), the application services
    (``services._today``), the selectors' and worklists' defaults (through the pages), Django's
    ``timezone.localdate`` (letters, remedies, the ledger import, the calendar pages), the
    core's today (the calendar's horizon and provisional years, the CLI, the demo runner) and
    the case clock's own default. The calendars are told to re-read, before and after.
    """
    from gongkai.applications import services
    from gongkai.core import calendar as core_calendar

    real_localdate = timezone.localdate

    with pytest.MonkeyPatch.context() as patch:

        def pin(day: dt.date) -> None:
            def localdate(value: Any = None, timezone: Any = None) -> dt.date:
                return day if value is None else real_localdate(value, timezone)

            patch.setattr(pages, "today", lambda: day)
            patch.setattr(services, "_today", lambda: day)
            patch.setattr(timezone, "localdate", localdate)
            patch.setattr(core_calendar, "today_in_china", lambda: day)
            # The case clock's default "today" (in gongkai.core.clock or, once it is a
            # package, whichever of its modules defines it).
            for name, module in list(sys.modules.items()):
                if name.startswith("gongkai.core.clock") and hasattr(module, "_today_in_china"):
                    patch.setattr(module, "_today_in_china", lambda: day)
            core_calendar.invalidate_calendars()

        yield pin
    core_calendar.invalidate_calendars()
