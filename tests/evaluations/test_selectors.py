"""The reads: results with judged counts, the report page's findings, coverage, summary, log."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.evaluations import selectors, services
from gongkai.evaluations.models import Batch
from gongkai.evaluations.selectors import Filters

from .conftest import FakeUpload, World, audit_all, create_audited

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(evaluator: Any, report_bytes: dict[str, bytes]) -> Batch:
    return create_audited(
        acting_user=evaluator,
        title="两份",
        files=[FakeUpload(n, report_bytes[n]) for n in ("022.pdf", "023.pdf")],
    ).batch


def test_a_long_file_name_is_shortened_in_the_middle_keeping_its_end() -> None:
    long = "很长的文件名" * 40 + "-淮安市2024.txt"

    label = selectors.file_label(f"batch.zip!年报/坏文件/{long}")

    assert len(label) == selectors.FILE_LABEL_CHARS
    assert label.startswith("很长的文件名") and label.endswith("-淮安市2024.txt") and "…" in label
    assert selectors.file_label("batch.zip!年报/022.pdf") == "022.pdf"
    assert selectors.file_label("022.pdf") == "022.pdf"


@pytest.fixture
def with_copy(evaluator: Any, report_bytes: dict[str, bytes]) -> Batch:
    """022 twice (a report's page and its attachment, as an evaluator's download holds both),
    023, and an empty file."""
    return create_audited(
        acting_user=evaluator,
        title="重复",
        files=[
            FakeUpload("022.pdf", report_bytes["022.pdf"]),
            FakeUpload("022-又一份.pdf", report_bytes["022.pdf"]),
            FakeUpload("023.pdf", report_bytes["023.pdf"]),
            FakeUpload("空.txt", b""),
        ],
    ).batch


def test_two_reports_of_one_unit_and_year_are_counted_as_copies(with_copy: Batch) -> None:
    rows = {r["file_name"]: r["copies"] for r in selectors.report_rows(batch=with_copy)}

    assert rows == {"022.pdf": 2, "022-又一份.pdf": 2, "023.pdf": 1, "空.txt": 1}


def test_each_report_s_badge_is_the_one_its_status_names(batch: Batch) -> None:
    """The list's badge is read from :data:`selectors.STATUSES`, as the status is, so the two
    cannot drift apart (the template used to work the class out again)."""
    rows = selectors.report_rows(batch=batch)

    assert rows
    assert all(r["status_class"] == selectors.STATUSES[r["status"]] for r in rows)


def test_a_cell_a_finding_names_twice_is_listed_once(evaluator: Any, reports_dir: Any) -> None:
    """004's prose 「收到申请75件」 is compared with 一 and 二 of table 三, naming 一's 总计
    twice; the page and the export list the cell once."""
    batch = create_audited(
        acting_user=evaluator,
        title="004",
        files=[FakeUpload("004.txt", (reports_dir / "004.txt").read_bytes())],
    ).batch
    report = batch.reports.get()
    twice = {
        f["fingerprint"]: len({str(c) for c in f["cells"]})
        for f in report.findings
        if len(f["cells"]) > len({str(c) for c in f["cells"]})
    }
    assert twice  # the case

    page = selectors.report_page(user=evaluator, report_id=report.pk)
    exported = selectors.export_findings(batch=batch)

    for fingerprint, cells in twice.items():
        shown = next(s for s in page.findings if s.fingerprint == fingerprint)
        texts = [p.text for p in shown.places]
        assert len(texts) == len(set(texts)) == cells
        assert next(e for e in exported if e.fingerprint == fingerprint).places == texts


def test_results_count_the_judged_findings(evaluator: Any, batch: Batch) -> None:
    first = batch.reports.get(position=0)
    [one, two, *_] = first.findings
    for finding, verdict in ((one, "dismissed"), (two, "confirmed")):
        services.finding_judge(
            acting_user=evaluator, report_id=first.pk, fingerprint=finding["fingerprint"],
            verdict=verdict, note="理由",
        )  # fmt: skip

    rows = {r["file_name"]: r for r in selectors.report_rows(batch=batch)}

    assert (rows["022.pdf"]["dismissed"], rows["022.pdf"]["confirmed"]) == (1, 1)
    assert (rows["023.pdf"]["dismissed"], rows["023.pdf"]["confirmed"]) == (0, 0)
    assert rows["022.pdf"]["kind_label"] == "人民政府"
    assert [
        r["file_name"] for r in selectors.report_rows(batch=batch, filters=Filters(year=2024))
    ] == ["023.pdf"]


def test_the_report_page_numbers_findings_as_the_table_footnotes_do(
    evaluator: Any, batch: Batch
) -> None:
    report = batch.reports.get(position=0)

    page = selectors.report_page(user=evaluator, report_id=report.pk)

    assert [s.number for s in page.findings] == list(range(1, len(page.findings) + 1))
    assert page.findings[0].finding.severity.value == "error"
    assert "行政复议" in page.findings[0].places[0].text
    collapsed = next(s for s in page.findings if s.finding.rule == "parse.collapsed_group")
    assert [p.text for p in collapsed.places] == ["表三「（六）其他处理」整行"]
    assert 'href="#finding-1"' in page.tables_html
    assert page.format_label.startswith("2021 年版")
    assert all(s.verdict_label == "待评估" for s in page.findings)


def test_a_named_cell_links_to_where_the_tables_drew_it_dismissed_or_not(
    evaluator: Any, batch: Batch
) -> None:
    report = batch.reports.get(position=0)
    first = selectors.report_page(user=evaluator, report_id=report.pk).findings[0]
    [place, *_] = first.places

    assert place.anchor and f'id="{place.anchor}"' in (
        selectors.report_page(user=evaluator, report_id=report.pk).tables_html
    )

    services.finding_judge(
        acting_user=evaluator, report_id=report.pk, fingerprint=first.fingerprint,
        verdict="dismissed", note="原文如此",
    )  # fmt: skip
    again = selectors.report_page(user=evaluator, report_id=report.pk)
    dismissed = next(s for s in again.findings if s.fingerprint == first.fingerprint)

    # A dismissed finding's cells keep its (struck) number, and its links still lead there.
    assert dismissed.places == first.places
    for shown in dismissed.places:
        assert f'id="{shown.anchor}"' in again.tables_html


def test_coverage_uses_the_batch_list_and_pairs_a_renamed_unit(
    evaluator: Any, batch: Batch
) -> None:
    services.coverage_set(
        acting_user=evaluator,
        batch_id=batch.pk,
        text="洪泽区人民政府\n淮安市洪泽区人民政府\n涟水县人民政府",
        year=2024,
    )
    batch.refresh_from_db()

    view = selectors.coverage(batch=batch)

    # 2024's report names the unit 淮安市洪泽区人民政府; the short name is the same unit.
    assert [c.matched for c in view.rows] == ["淮安市洪泽区人民政府", "淮安市洪泽区人民政府", None]
    assert [c.listed for c in view.missing] == ["涟水县人民政府"]
    assert selectors.coverage(batch=batch, year=2023).rows[2].matched is None


def test_summary_groups_by_the_printed_region(batch: Batch) -> None:
    rows = selectors.summary(batch=batch)

    # 2023's 「洪泽区人民政府」 is 2024's 「淮安市洪泽区人民政府」: one unit, one region.
    assert [(r.region, r.kind, r.files, r.reports, r.with_errors, r.errors) for r in rows] == [
        ("淮安市", "人民政府", 2, 2, 1, 2),
    ]


def test_summary_counts_a_units_year_read_from_two_files_as_one_report(with_copy: Batch) -> None:
    """Two files of one report, each audited (and counted as a file), count as one report."""
    rows = selectors.summary(batch=with_copy)
    total = selectors.summary_total(rows)

    assert (total.files, total.reports, total.unreadable) == (4, 3, 1)
    [hongze] = [r for r in rows if r.region == "淮安市"]
    assert (hongze.files, hongze.reports, hongze.with_errors, hongze.errors) == (3, 2, 2, 4)


def dismiss(evaluator: Any, report: Any, findings: list[dict[str, Any]]) -> None:
    for finding in findings:
        services.finding_judge(
            acting_user=evaluator, report_id=report.pk, fingerprint=finding["fingerprint"],
            verdict="dismissed", note="已核实",
        )  # fmt: skip


def test_a_report_whose_errors_are_all_dismissed_is_not_counted_with_errors(
    evaluator: Any, batch: Batch
) -> None:
    report = batch.reports.get(position=0)
    errors = [f for f in report.findings if f["severity"] == "error"]
    assert len(errors) == 2  # 022's two table 四 errors
    dismiss(evaluator, report, errors[:-1])
    [one] = selectors.summary(batch=batch)
    assert (one.with_errors, one.errors, one.dismissed_errors, one.dismissed) == (1, 1, 1, 1)

    dismiss(evaluator, report, errors[-1:])
    [one] = selectors.summary(batch=batch)
    total = selectors.summary_total([one])

    assert (one.with_errors, one.errors, one.dismissed_errors) == (0, 0, 2)
    assert (one.dismissed, one.confirmed) == (2, 0)
    assert total.counts() == one.counts()


def test_dismissed_errors_are_told_apart_in_the_list_its_filter_and_the_batch_list(
    evaluator: Any, batch: Batch
) -> None:
    report = batch.reports.get(position=0)
    errors = [f for f in report.findings if f["severity"] == "error"]

    def listed(**filters: Any) -> dict[str, tuple[Any, ...]]:
        return {
            r["file_name"]: (r["errors"], r["open_errors"], r["dismissed_errors"], r["status"])
            for r in selectors.report_rows(batch=batch, filters=Filters(**filters))
        }

    def batch_list() -> list[tuple[int, int]]:
        rows = selectors.batch_rows(batches=selectors.batches_for(user=evaluator))
        return [(r.open_errors, r.dismissed_errors) for r in rows]

    assert listed()["022.pdf"] == (2, 2, 0, "有错误")
    assert batch_list() == [(2, 0)]
    dismiss(evaluator, report, errors[:1])
    assert listed()["022.pdf"] == (2, 1, 1, "有错误")
    assert list(listed(has_errors=True)) == ["022.pdf"]
    assert batch_list() == [(1, 1)]

    dismiss(evaluator, report, errors[1:])

    # The stored count stays as the auditor found it; nothing else calls these errors.
    assert listed() == {"022.pdf": (2, 0, 2, "错误均已排除"), "023.pdf": (0, 0, 0, "未发现问题")}
    assert listed(has_errors=True) == {}
    assert batch_list() == [(0, 2)]


def test_a_dismissed_finding_of_another_severity_is_no_dismissed_error(
    evaluator: Any, batch: Batch
) -> None:
    report = batch.reports.get(position=1)
    others = [f for f in report.findings if f["severity"] != "error"]
    assert others and report.errors == 0  # 023's notes
    dismiss(evaluator, report, others)

    row = next(r for r in selectors.report_rows(batch=batch) if r["pk"] == report.pk)
    [listed] = selectors.batch_rows(batches=selectors.batches_for(user=evaluator))

    assert (row["dismissed"], row["dismissed_errors"]) == (len(others), 0)
    assert row["status"] == "未发现问题"
    assert (listed.open_errors, listed.dismissed_errors) == (2, 0)


def test_dismissed_warnings_are_told_apart_in_the_list_the_summary_and_the_batch_list(
    evaluator: Any, reports_dir: Any
) -> None:
    """004 has warnings and no error: once every warning is dismissed it no longer says
    「有警告」, nor 「未发现问题」, and no count calls them warnings."""
    batch = create_audited(
        acting_user=evaluator,
        title="004",
        files=[FakeUpload("004.txt", (reports_dir / "004.txt").read_bytes())],
    ).batch
    report = batch.reports.get()
    warnings = [f for f in report.findings if f["severity"] == "warning"]
    assert len(warnings) == 3 and report.errors == 0

    def state() -> tuple[Any, ...]:
        [row] = selectors.report_rows(batch=batch)
        [listed] = selectors.batch_rows(batches=selectors.batches_for(user=evaluator))
        [one] = selectors.summary(batch=batch)
        page = selectors.report_page(user=evaluator, report_id=report.pk)
        return (
            (row["warnings"], row["open_warnings"], row["dismissed_warnings"], row["status"]),
            (listed.open_warnings, listed.dismissed_warnings),
            (one.warnings, one.dismissed_warnings),
            page.warnings,
        )

    assert state() == ((3, 3, 0, "有警告"), (3, 0), (3, 0), {"open": 3, "dismissed": 0})
    dismiss(evaluator, report, warnings[:1])
    assert state() == ((3, 2, 1, "有警告"), (2, 1), (2, 1), {"open": 2, "dismissed": 1})

    dismiss(evaluator, report, warnings[1:])

    assert state() == ((3, 0, 3, "警告均已排除"), (0, 3), (0, 3), {"open": 0, "dismissed": 3})
    assert selectors.STATUSES["警告均已排除"] == "dismissed"


def test_the_report_page_counts_the_errors_left_and_those_dismissed(
    evaluator: Any, batch: Batch
) -> None:
    report = batch.reports.get(position=0)
    dismiss(evaluator, report, [f for f in report.findings if f["severity"] == "error"][:1])

    page = selectors.report_page(user=evaluator, report_id=report.pk)

    assert page.errors == {"open": 1, "dismissed": 1}


def test_the_log_says_who_did_what(evaluator: Any, batch: Batch) -> None:
    services.batch_rerun(acting_user=evaluator, batch_id=batch.pk)
    audit_all()

    log = selectors.batch_events(batch=batch)

    assert [what.split("：")[0].split(" ")[0] for _, _, what in log] == [
        "上传", "审查完成", "重新审查", "审查完成",
    ]  # fmt: skip
    assert all(who == evaluator.username for _, who, _ in log)


def test_batches_are_listed_only_where_the_user_may_see_them(
    world: World, evaluator: Any, clerk: Any, batch: Batch
) -> None:
    from gongkai.agencies.models import Role

    assert [b.report_count for b in selectors.batches_for(user=evaluator)] == [2]
    assert list(selectors.batches_for(user=clerk)) == []
    outsider = world.member(Role.SUPERVISOR, world.other_district)
    with pytest.raises(AccessDeniedError, match="未找到评估批次"):
        selectors.batch_by_id(user=outsider, batch_id=batch.pk)
