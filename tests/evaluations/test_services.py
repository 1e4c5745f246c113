"""Upload, re-run, judge and coverage through the real services, on real published reports."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.evaluations import services
from gongkai.evaluations.models import (
    EvaluatedReport,
    EvaluationEvent,
    EventKind,
    FindingJudgement,
    Verdict,
)
from gongkai.evaluations.services import EvaluationError
from gongkai.evaluations.uploads import UploadError

from .conftest import FakeUpload, World, audit_all, create_audited, zipped

pytestmark = pytest.mark.django_db


def upload(user: Any, report_bytes: dict[str, bytes]) -> services.Created:
    folder = zipped(
        {"江苏/022.pdf": report_bytes["022.pdf"], "江苏/023.pdf": report_bytes["023.pdf"]}
    )
    return create_audited(
        acting_user=user,
        title="江苏与上海",
        files=[FakeUpload("江苏.zip", folder), FakeUpload("017.html", report_bytes["017.html"])],
    )


def by_file(batch: Any) -> dict[str, EvaluatedReport]:
    return {r.file_name: r for r in batch.reports.all()}


def test_an_upload_stores_each_report_with_what_the_auditor_read(
    world: World, evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    created = upload(evaluator, report_bytes)

    batch = created.batch
    assert created.reports == 3
    assert batch.unit == world.district
    reports = by_file(batch)
    assert set(reports) == {"江苏.zip!江苏/022.pdf", "江苏.zip!江苏/023.pdf", "017.html"}
    hongze = reports["江苏.zip!江苏/022.pdf"]
    assert (hongze.unit_name, hongze.year, hongze.report_kind) == (
        "洪泽区人民政府",
        2023,
        "government",
    )
    assert (hongze.input_kind, hongze.format_version, hongze.readable) == ("pdf", "2021", True)
    assert len(hongze.sha256) == 64
    # 022's two real table 四 errors, with their cells
    errors = [f for f in hongze.findings if f["severity"] == "error"]
    assert hongze.errors == len(errors) == 2
    assert {f["rule"] for f in errors} == {"t4.group_total"}
    assert all(f["cells"] and f["fingerprint"] for f in errors)
    assert hongze.tables["t4"]["reconsideration"]["upheld"] == 10
    # the batch pairs years of one unit, as the command does
    later = reports["江苏.zip!江苏/023.pdf"]
    assert any(f["rule"] == "cross_year.paired" for f in later.findings)
    shanghai = reports["017.html"]
    assert shanghai.region == "上海市"
    assert any(f["excerpt"] for f in shanghai.findings if f["rule"].startswith("narrative"))
    uploaded, audited = EvaluationEvent.objects.filter(batch=batch).order_by("pk")
    assert (uploaded.kind, uploaded.actor, uploaded.data) == (
        EventKind.UPLOADED, evaluator, {"reports": 3, "errors": None, "warnings": None},
    )  # fmt: skip
    assert (audited.kind, audited.actor, audited.data["reports"]) == (
        EventKind.AUDITED, evaluator, 3,
    )  # fmt: skip


def test_a_dismissed_finding_stays_dismissed_after_a_rerun(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    batch = upload(evaluator, report_bytes).batch
    report = by_file(batch)["江苏.zip!江苏/022.pdf"]
    error = next(f for f in report.findings if f["severity"] == "error")
    services.finding_judge(
        acting_user=evaluator,
        report_id=report.pk,
        fingerprint=error["fingerprint"],
        verdict="dismissed",
        note="原表四该列为印刷错误，已与单位核实",
    )

    services.batch_rerun(acting_user=evaluator, batch_id=batch.pk)
    audit_all()

    report.refresh_from_db()
    assert error["fingerprint"] in {f["fingerprint"] for f in report.findings}
    judgement = FindingJudgement.objects.get(fingerprint=error["fingerprint"])
    assert judgement.verdict == Verdict.DISMISSED
    assert judgement.note == "原表四该列为印刷错误，已与单位核实"
    kinds = list(batch.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.UPLOADED, EventKind.AUDITED, EventKind.DISMISSED, EventKind.RERUN,
        EventKind.AUDITED,
    ]  # fmt: skip


def test_the_same_report_uploaded_again_keeps_its_verdicts(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    first = upload(evaluator, report_bytes).batch
    report = by_file(first)["017.html"]
    finding = report.findings[0]
    services.finding_judge(
        acting_user=evaluator,
        report_id=report.pk,
        fingerprint=finding["fingerprint"],
        verdict="confirmed",
        note="",
    )

    second = upload(evaluator, report_bytes).batch

    again = by_file(second)["017.html"]
    assert again.pk != report.pk
    assert again.findings[0]["fingerprint"] == finding["fingerprint"]


def test_judging_refuses_a_dismissal_without_a_note_and_an_unknown_finding(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    report = by_file(upload(evaluator, report_bytes).batch)["017.html"]
    fingerprint = report.findings[0]["fingerprint"]

    with pytest.raises(EvaluationError, match="必须写明理由"):
        services.finding_judge(
            acting_user=evaluator, report_id=report.pk, fingerprint=fingerprint,
            verdict="dismissed", note="  ",
        )  # fmt: skip
    with pytest.raises(EvaluationError, match="没有这项审查问题"):
        services.finding_judge(
            acting_user=evaluator, report_id=report.pk, fingerprint="0" * 40,
            verdict="confirmed", note="",
        )  # fmt: skip
    with pytest.raises(EvaluationError, match="请选择"):
        services.finding_judge(
            acting_user=evaluator, report_id=report.pk, fingerprint=fingerprint,
            verdict="maybe", note="",
        )  # fmt: skip
    assert not FindingJudgement.objects.exists()


def test_a_verdict_can_be_withdrawn(evaluator: Any, report_bytes: dict[str, bytes]) -> None:
    report = by_file(upload(evaluator, report_bytes).batch)["017.html"]
    fingerprint = report.findings[0]["fingerprint"]
    for verdict in ("confirmed", "reopen"):
        services.finding_judge(
            acting_user=evaluator, report_id=report.pk, fingerprint=fingerprint,
            verdict=verdict, note="",
        )  # fmt: skip

    assert not FindingJudgement.objects.exists()
    assert EvaluationEvent.objects.filter(kind=EventKind.REOPENED).count() == 1


def test_a_clerk_may_not_upload_and_others_may_not_judge_a_batch(
    world: World, clerk: Any, evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    with pytest.raises(AccessDeniedError):
        upload(clerk, report_bytes)
    report = by_file(upload(evaluator, report_bytes).batch)["017.html"]
    outsider = world.member(Role.EVALUATOR, world.other_district)
    below = world.member(Role.SUPERVISOR, world.township)

    for user in (outsider, below, clerk):
        with pytest.raises(AccessDeniedError):
            services.finding_judge(
                acting_user=user, report_id=report.pk,
                fingerprint=report.findings[0]["fingerprint"], verdict="confirmed", note="",
            )  # fmt: skip
        with pytest.raises(AccessDeniedError):
            services.batch_rerun(acting_user=user, batch_id=report.batch_id)


def test_the_office_above_reads_but_does_not_judge_a_batch_from_below(
    world: World, report_bytes: dict[str, bytes]
) -> None:
    below = world.member(Role.EVALUATOR, world.township)
    above = world.member(Role.SUPERVISOR)
    report = by_file(upload(below, report_bytes).batch)["017.html"]

    with pytest.raises(AccessDeniedError):
        services.finding_judge(
            acting_user=above, report_id=report.pk,
            fingerprint=report.findings[0]["fingerprint"], verdict="confirmed", note="",
        )  # fmt: skip


def test_a_refused_upload_stores_nothing(evaluator: Any) -> None:
    with pytest.raises(UploadError, match="不安全"):
        create_audited(
            acting_user=evaluator,
            title="",
            files=[FakeUpload("x.zip", zipped({"../x.txt": b"abc"}))],
        )

    assert not EvaluatedReport.objects.exists()
    assert not EvaluationEvent.objects.exists()


def test_coverage_list_is_kept_on_the_batch_with_an_event(
    evaluator: Any, report_bytes: dict[str, bytes]
) -> None:
    batch = upload(evaluator, report_bytes).batch

    services.coverage_set(
        acting_user=evaluator,
        batch_id=batch.pk,
        text="淮安市洪泽区人民政府\n盱眙县人民政府",
        year=2024,
    )

    batch.refresh_from_db()
    assert (batch.coverage_names, batch.coverage_year) == (
        ["淮安市洪泽区人民政府", "盱眙县人民政府"],
        2024,
    )
    assert batch.events.filter(kind=EventKind.COVERAGE_SET).count() == 1
    with pytest.raises(EvaluationError, match="没有单位名称"):
        services.coverage_set(acting_user=evaluator, batch_id=batch.pk, text="\n", year=2024)
    with pytest.raises(EvaluationError, match="正确的年度"):
        services.coverage_set(acting_user=evaluator, batch_id=batch.pk, text="甲", year=1900)
