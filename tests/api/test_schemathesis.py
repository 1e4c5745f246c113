"""schemathesis against the running server: every operation of the served schema, with
generated valid and invalid requests, answers without a 500 and as its schema says.

One live server (as the browser tests), one token of a unit with every scope, one case, so
that the generated ids sometimes hit a real record; the rate limit is lifted for the run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from gongkai.agencies.models import Role  # noqa: E402
from gongkai.agencies.services import member_create, unit_create  # noqa: E402
from gongkai.api.services import api_token_create  # noqa: E402
from gongkai.applications import services as application_services  # noqa: E402

from .conftest import ALL_SCOPES, APPLICATION_FIELDS  # noqa: E402

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


@pytest.fixture
def token(live_server: Any, settings: Any) -> str:
    settings.GONGKAI_API_REQUESTS_PER_MINUTE = 1_000_000
    unit = unit_create(name="泉州市泉港区人民政府", short_name="泉港区政府办", kind="government")
    clerk = member_create(username="clerk", password=None, unit=unit, role=Role.CLERK)
    application_services.application_register(
        acting_user=clerk, unit=unit, **{**APPLICATION_FIELDS, "submitted_on": dt.date(2024, 3, 4)}
    )
    _, secret = api_token_create(
        acting_user=None, unit=unit, name="schemathesis", scopes=ALL_SCOPES
    )
    return secret


# A schema-valid request may still break a rule of the law the schema cannot state (a date
# after today, a channel without its confirmation date): that is a 400 in the error shape,
# and the positive-data check accepts it. A query parameter the operation does not declare is
# ignored, as OpenAPI leaves query parameters open (the schema forbids none), so requests with
# extra ones are not generated as invalid. Every other check keeps schemathesis' defaults.
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"allow-extra-parameters": False},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", 400, 401, 403, 404, 409, 413, 429]
            }
        },
    }
)

# Examples per operation and mode: 26 operations x 2 modes x this, in well under a minute.
EXAMPLES = 6


def test_the_running_server_honours_its_schema(live_server: Any, token: str) -> None:
    """Each operation, with valid (positive) and invalid (negative) generated requests.

    The pytest plugin of schemathesis does not run under pytest 9's subtests yet, so the
    operations are walked here with Hypothesis directly (schemathesis' documented Python API).
    """
    served = Client().get("/api/openapi.json")
    schema = schemathesis.openapi.from_dict(served.json(), config=CONFIG)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
                derandomize=True,
                database=None,
            )
            def check(case: Any) -> None:
                case.call_and_validate(base_url=live_server.url, headers=headers)

            check()
