"""The registers, the published reports (JSON, Word, PDF) and the auditor through the API:
each reads the token's own unit only, needs its scope, and answers in the one error shape."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from gongkai.agencies.models import Role
from gongkai.core import audit
from gongkai.registers.models import NORMATIVE, RULE
from gongkai.registers.selectors import section2_cells
from gongkai.registers.services import normative_document_create, proactive_item_create
from gongkai.reports.services import report_publish

from .conftest import Api, Issue, World, error_of, register

D = dt.date
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture(autouse=True)
def _today(today_is: Any) -> None:
    today_is(D(2025, 3, 3))


def _documents(clerk: Any, unit: Any, count: int) -> list[Any]:
    return [
        normative_document_create(
            acting_user=clerk,
            unit=unit,
            kind=RULE if i % 2 else NORMATIVE,
            number=f"泉政规〔2024〕{i}号",
            title=f"文件{i}",
            issued_on=D(2024, 1, 1) + dt.timedelta(days=i),
        )
        for i in range(1, count + 1)
    ]


def test_documents_are_paged_and_the_units_own(world: World, issue: Issue, api: Api) -> None:
    clerk = world.member(Role.CLERK)
    mine = _documents(clerk, world.district, 3)
    _documents(world.member(Role.CLERK, world.other_district), world.other_district, 2)
    secret = issue(world.district, "registers:read")

    first = api.get("/registers/documents", secret, limit=2).json()
    rest = api.get("/registers/documents", secret, limit=2, offset=2).json()

    assert (first["count"], rest["count"]) == (3, 3)
    ids = [d["id"] for d in first["items"] + rest["items"]]
    assert ids == [d.pk for d in reversed(mine)]  # newest first, each once
    assert first["items"][0]["number"] == "泉政规〔2024〕3号"


def test_section2_and_the_catalogue(world: World, issue: Issue, api: Api) -> None:
    clerk = world.member(Role.CLERK)
    _documents(clerk, world.district, 2)
    proactive_item_create(
        acting_user=clerk,
        unit=world.district,
        category="20-1",
        title="机构职能",
        formed_on=D(2024, 2, 1),
        published_on=D(2024, 2, 2),
    )
    secret = issue(world.district, "registers:read")

    section2 = api.get("/registers/2024/section2", secret).json()
    catalogue = api.get("/registers/2024/catalogue", secret).json()

    assert section2["unit"]["id"] == world.district.pk
    expected = section2_cells(unit=world.district, year=2024)
    assert section2["tables"] == json.loads(json.dumps(expected, default=float))
    # the two documents issued in 2024 are counted somewhere in the tables
    empty = section2_cells(unit=world.other_district, year=2024)
    assert section2["tables"] != json.loads(json.dumps(empty, default=float))
    assert [c["title"] for c in catalogue] == ["机构职能"]
    assert catalogue[0]["late_working_days"] == 0


@pytest.mark.parametrize(
    "path",
    ["/registers/documents", "/registers/2024/section2", "/registers/2024/catalogue"],
)
def test_registers_need_their_scope(world: World, issue: Issue, api: Api, path: str) -> None:
    refused = api.get(path, issue(world.district, "applications:read"))

    assert refused.status_code == 403
    assert "registers:read" in error_of(refused)["message"]


@pytest.mark.parametrize("year", [1999, 2101])
def test_a_year_out_of_range_is_a_422(world: World, issue: Issue, api: Api, year: int) -> None:
    response = api.get(f"/registers/{year}/section2", issue(world.district))

    assert response.status_code == 422
    assert "year" in error_of(response)["message"]


@pytest.fixture
def published(world: World) -> Any:
    register(world.member(Role.CLERK), world.district, submitted_on=D(2024, 3, 4))
    return report_publish(acting_user=world.member(Role.HEAD), unit_id=world.district.pk, year=2024)


def test_the_published_report_as_json_word_and_pdf(
    world: World, issue: Issue, api: Api, published: Any
) -> None:
    secret = issue(world.district, "reports:read")

    as_json = api.get("/reports/2024", secret)
    as_docx = api.get("/reports/2024/docx", secret)
    as_pdf = api.get("/reports/2024/pdf", secret)
    versions = api.get("/reports/2024/versions", secret).json()

    assert json.loads(as_json.content) == json.loads(published.content)
    assert as_docx["Content-Type"].endswith("wordprocessingml.document")
    assert as_docx.content[:2] == b"PK"
    from docx import Document as Docx

    text = "\n".join(p.text for p in Docx(io.BytesIO(as_docx.content)).paragraphs)
    assert world.district.name in text
    assert as_pdf.content[:5] == b"%PDF-"
    assert [v["version"] for v in versions] == [1]
    assert versions[0]["sha256"] == published.sha256


def test_reports_of_other_units_and_unpublished_years(
    world: World, issue: Issue, api: Api, published: Any
) -> None:
    other = issue(world.other_district, "reports:read")
    mine = issue(world.district, "reports:read", name="本单位")

    assert api.get("/reports/2024", other).status_code == 404
    unpublished = api.get("/reports/2023", mine)
    assert unpublished.status_code == 404
    assert "尚未发布" in error_of(unpublished)["message"]
    assert api.get("/reports/2024", mine, version=2).status_code == 404
    assert api.get("/reports/2024", issue(world.district, "audit", name="审")).status_code == 403


def test_the_auditor_answers_as_the_command_line(world: World, issue: Issue, api: Api) -> None:
    path = FIXTURES / "rendered" / "seed_2021.docx"
    secret = issue(world.district, "audit")

    with path.open("rb") as handle:
        response = api.client.post(
            "/api/audit", {"file": handle}, headers={"Authorization": f"Bearer {secret}"}
        )

    assert response.status_code == 200
    expected = json.loads(audit.audit_file(path).model_dump_json())
    got = response.json()
    assert got["readable"] is True
    assert got["findings"] == expected["findings"]
    assert got["tables"] == expected["tables"]
    assert got["year"] == expected["year"] == 2021


def test_the_auditor_refuses_big_files_and_needs_its_scope(
    world: World, issue: Issue, api: Api
) -> None:
    secret = issue(world.district, "audit")
    headers = {"Authorization": f"Bearer {secret}"}

    with override_settings(GONGKAI_API_AUDIT_MAX_BYTES=1000):
        big = api.client.post("/api/audit", {"file": io.BytesIO(b"x" * 1001)}, headers=headers)
    empty = api.client.post("/api/audit", {"file": io.BytesIO(b"")}, headers=headers)
    nothing = api.client.post("/api/audit", {}, headers=headers)
    junk = api.client.post("/api/audit", {"file": io.BytesIO(b"\x00\x01junk")}, headers=headers)
    no_scope = api.client.post(
        "/api/audit",
        {"file": io.BytesIO(b"x")},
        headers={"Authorization": f"Bearer {issue(world.district, 'reports:read', name='r')}"},
    )

    assert (big.status_code, error_of(big)["code"]) == (413, "file_too_large")
    assert empty.status_code == 400
    assert nothing.status_code == 422
    error_of(nothing)
    assert junk.status_code == 200 and junk.json()["readable"] is False
    assert no_scope.status_code == 403
