"""The workspace's report page numbers its findings 1… N in list order, each with its own entry
and anchor, even when two are equal in every field (garbage input; see
tests/render/test_finding_numbers.py for the same on the auditor's pages), and a judgement
returns to one anchor of its fingerprint, not to an id printed twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.evaluations.models import Batch, EvaluatedReport
from tests.render.htmltree import parse
from tests.render.test_finding_numbers import assert_numbered, doubled_words_text

from .conftest import FakeUpload, create_audited
from .test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(evaluator: Any, report_bytes: dict[str, bytes]) -> Batch:
    return create_audited(
        acting_user=evaluator,
        title="重复的问题",
        files=[
            FakeUpload("damaged.txt", doubled_words_text().encode("utf-8")),
            FakeUpload("017.html", report_bytes["017.html"]),
        ],
    ).batch


def page_of(client: Client, report: EvaluatedReport) -> str:
    response = client.get(reverse("evaluations:report", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_garbage_doubled_words_each_get_a_number_and_an_anchor(
    evaluator: Any, batch: Batch
) -> None:
    report = batch.reports.get(file_name="damaged.txt")
    prints = [f["fingerprint"] for f in report.findings]
    assert len(set(prints)) < len(prints)  # the case: equal findings

    assert_numbered(parse(page_of(client_for(evaluator), report)), len(prints), "strong")


def test_a_repeated_finding_marks_its_cell_with_both_numbers_and_is_judged_once(
    evaluator: Any, batch: Batch
) -> None:
    client = client_for(evaluator)
    report = batch.reports.get(file_name="017.html")
    named = next(f for f in report.findings if f["cells"] and f["severity"] == "error")
    report.findings = [*report.findings, dict(named)]
    report.save(update_fields=["findings"])

    doc = parse(page_of(client, report))

    assert_numbered(doc, len(report.findings), "strong")
    same = [
        e for e in doc.find_all("li") if e.attrs.get("data-fingerprint") == named["fingerprint"]
    ]
    assert len(same) == 2
    numbers = [int(e.attrs["id"].removeprefix("finding-")) for e in same]
    cell = named["cells"][0]
    td = doc.find("td", **{"data-cell": f"{cell['table']}/{cell['row']}/{cell['column']}"})
    assert set(numbers) <= {int(n) for n in td.attrs["data-findings"].split()}

    response = client.post(
        reverse("evaluations:judge", args=[report.pk]),
        {"fingerprint": named["fingerprint"], "verdict": "dismissed", "note": "重复"},
    )
    assert response.status_code == 302
    jump = response["Location"].rsplit("#", 1)[1]
    doc = parse(page_of(client, report))
    # The judgement returns to the first of the two entries; both carry the verdict.
    assert doc.by_id(jump).parent is doc.by_id(f"finding-{numbers[0]}")
    assert_numbered(doc, len(report.findings), "strong")
    assert all("verdict-dismissed" in doc.by_id(f"finding-{n}").classes for n in numbers)
    # The cell keeps both numbers, now as dismissed ones.
    shown = doc.find("td", **{"data-cell": td.attrs["data-cell"]})
    assert set(numbers) <= {int(n) for n in shown.attrs["data-dismissed"].split()}
