"""The OpenAPI schema: served at /api/openapi.json, equal to the checked-in copy, and honoured
by the running server (schemathesis: no 500s, every response conforms to the schema).

To regenerate the checked-in copy after changing the API::

    GONGKAI_UPDATE_OPENAPI=1 PYTHONPATH=src .venv/bin/pytest tests/api/test_openapi.py -k checked_in
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import gongkai.api

from .conftest import Api

CHECKED_IN = Path(gongkai.api.__file__).resolve().parent / "openapi.json"


def test_the_served_schema_is_the_checked_in_one(db: None, api: Api) -> None:
    response = api.get("/openapi.json", None)
    assert response.status_code == 200
    served = response.json()
    if os.environ.get("GONGKAI_UPDATE_OPENAPI") == "1":
        CHECKED_IN.write_text(
            json.dumps(served, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    assert served == json.loads(CHECKED_IN.read_text(encoding="utf-8")), (
        "the API changed: regenerate src/gongkai/api/openapi.json "
        "(GONGKAI_UPDATE_OPENAPI=1, see this module's docstring) and review the diff"
    )


def test_every_operation_is_documented_with_the_error_shape() -> None:
    schema = json.loads(CHECKED_IN.read_text(encoding="utf-8"))
    operations = [op for item in schema["paths"].values() for op in item.values()]
    assert len(operations) >= 18
    for op in operations:
        assert {"401", "403", "404", "422", "429"} <= set(op["responses"]), op["operationId"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
