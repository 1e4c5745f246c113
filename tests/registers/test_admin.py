"""The Django admin lists the registers but cannot write to them (the services check entries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from gongkai.registers import services
from gongkai.registers.models import NORMATIVE

from .conftest import World

MODELS = ["normativedocument", "decisioncount", "adminfeetotal", "proactiveitem", "workrecord"]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_render_and_refuse_adding(
    admin_client: Any, world: World, clerk: Any, model: str
) -> None:
    services.normative_document_create(
        acting_user=clerk,
        unit=world.district,
        kind=NORMATIVE,
        number="泉港政〔2021〕1号",
        title="办法",
        issued_on=dt.date(2021, 3, 1),
    )

    assert admin_client.get(f"/admin/registers/{model}/").status_code == 200
    assert admin_client.get(f"/admin/registers/{model}/add/").status_code == 403
