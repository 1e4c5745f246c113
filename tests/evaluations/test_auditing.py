"""The batch audit and the fingerprints that carry a verdict across re-runs (no database)."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from gongkai.core.audit_result import AuditResult
from gongkai.core.findings import Category, CellRef, Finding, Severity
from gongkai.evaluations.auditing import (
    audit_fields,
    audit_one,
    fingerprint,
    kept_fields,
    kept_result,
    pair_years,
    tables_of,
)
from gongkai.evaluations.uploads import Upload
from tests.parse.ofd_writer import ofd_from_pdf


def finding(**overrides: object) -> Finding:
    fields: dict[str, object] = {
        "rule": "t4.group_total",
        "severity": Severity.ERROR,
        "category": Category.TABLE,
        "message": "表四「行政复议」：… = 11，但「总计」为 0",
        "cells": (CellRef(table="t4", row="reconsideration", column="total"),),
    }
    return Finding.model_validate({**fields, **overrides})


def test_a_fingerprint_is_the_report_the_rule_and_the_place_not_the_wording() -> None:
    base = fingerprint("unit:洪泽区人民政府|2023", finding())

    assert fingerprint("unit:洪泽区人民政府|2023", finding(message="改写后的说明")) == base
    assert fingerprint("unit:洪泽区人民政府|2024", finding()) != base
    assert fingerprint("unit:洪泽区人民政府|2023", finding(rule="t4.other")) != base
    other_cell = (CellRef(table="t4", row="litigation_after", column="total"),)
    assert fingerprint("unit:洪泽区人民政府|2023", finding(cells=other_cell)) != base
    # a narrative finding's place is its sentence
    said = finding(cells=(), excerpt="共受理申请17件", category=Category.NARRATIVE)
    assert fingerprint("x", said) != fingerprint("x", finding(cells=(), excerpt="共受理申请18件"))


def test_the_batch_pairs_years_and_keeps_the_tables(shared_dir: Path) -> None:
    reports = shared_dir / "reports"
    uploads = [Upload(n, (reports / n).read_bytes()) for n in ("022.pdf", "023.pdf")]

    paired = pair_years([audit_one(u) for u in uploads])
    first, second = (
        audit_fields(r, sha256=hashlib.sha256(u.data).hexdigest(), region=region)
        for u, (r, region) in zip(uploads, paired, strict=True)
    )

    assert (first["unit_name"], second["unit_name"]) == ("洪泽区人民政府", "淮安市洪泽区人民政府")
    assert first["region"] == second["region"] == "淮安市"
    assert any(f["rule"] == "cross_year.paired" for f in second["findings"])
    typed = tables_of(first["tables"])
    assert typed["t4"]["reconsideration"]["upheld"] == 10
    assert str(typed["s2.art20_8"]["admin_fees"]["amount"]) == "7730.28"


def test_a_unit_that_publishes_ofd_one_year_pairs_with_its_pdf_of_the_year_before(
    shared_dir: Path,
) -> None:
    """An evaluator's batch mixes formats: 2023 as PDF, 2024 as OFD (GB/T 33190)."""
    reports = shared_dir / "reports"
    uploads = [
        Upload("022.pdf", (reports / "022.pdf").read_bytes()),
        Upload("023.ofd", ofd_from_pdf((reports / "023.pdf").read_bytes())),
    ]

    _, (second, _) = pair_years([audit_one(u) for u in uploads])

    assert second.readable and second.kind == "ofd" and second.unit == "淮安市洪泽区人民政府"
    assert second.previous == "022.pdf"
    assert any(f.rule == "cross_year.paired" for f in second.findings)


def test_the_pdf_and_the_ofd_of_one_report_are_told_to_be_copies(shared_dir: Path) -> None:
    """Sites publish a report twice (022 as PDF and as OFD) and an evaluator's download keeps
    both: the second says which file came first and that every figure agrees."""
    pdf = (shared_dir / "reports" / "022.pdf").read_bytes()
    uploads = [Upload("022.pdf", pdf), Upload("022.ofd", ofd_from_pdf(pdf))]

    (first, _), (second, _) = pair_years([audit_one(u) for u in uploads])

    assert not [f for f in first.findings if f.rule == "publication.copy"]
    [note] = [f for f in second.findings if f.rule == "publication.copy"]
    assert note.severity is Severity.INFO
    assert "022.pdf" in note.message and "完全一致" in note.message


def test_a_kept_audit_pairs_as_the_audit_itself(shared_dir: Path) -> None:
    """What the database keeps of each report's own audit pairs the batch's years exactly as
    the audits do, once the last report is audited."""
    reports = shared_dir / "reports"
    own = [audit_one(Upload(n, (reports / n).read_bytes())) for n in ("022.pdf", "023.pdf")]

    again = [kept_result(**kept_fields(r)) for r in own]

    assert again == own
    assert pair_years(again) == pair_years(own)


def test_each_document_is_stopped_at_the_per_file_time_limit(shared_dir: Path) -> None:
    pdf = Upload("022.pdf", (shared_dir / "reports" / "022.pdf").read_bytes())

    result = audit_one(pdf, time_limit=0.001)

    assert not result.readable and "处理超时" in (result.reason or "")


def test_a_thread_audits_in_a_child_process_under_the_same_limit(shared_dir: Path) -> None:
    """The worker thread of ``gongkai serve`` cannot take the alarm: a child audits for it,
    with the same result, and is stopped at the limit as the main thread is."""
    pdf = Upload("022.pdf", (shared_dir / "reports" / "022.pdf").read_bytes())
    got: dict[str, AuditResult] = {}

    def work() -> None:
        got["full"] = audit_one(pdf)
        got["late"] = audit_one(pdf, time_limit=0.001)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(timeout=120)

    assert got["full"] == audit_one(pdf)
    assert not got["late"].readable and "处理超时" in (got["late"].reason or "")


def test_a_file_that_is_not_what_its_extension_says_is_told_so(shared_dir: Path) -> None:
    real_pdf = (shared_dir / "reports" / "022.pdf").read_bytes()
    uploads = [
        Upload("病毒.pdf", b"MZ\x90\x00" + bytes(200) + b"This program cannot be run"),
        Upload("batch.zip!年报/网页.doc", b"<html><body>404 Not Found</body></html>"),
        Upload("空.pdf", b""),
        Upload("022.pdf", real_pdf),
        Upload("notes.txt", "会议纪要".encode()),
        Upload("报告.ofd", b"<html><body>404 Not Found</body></html>"),
    ]

    reasons = [audit_one(u).reason or "" for u in uploads]

    assert reasons[0].startswith("文件扩展名为 .pdf，内容却无法识别，不是PDF文件")
    assert reasons[1].startswith("文件扩展名为 .doc，内容却是网页（HTML），不是旧版 Word/WPS文件")
    assert reasons[2] == "文件为空"
    assert reasons[3] == ""
    assert "扩展名" not in reasons[4]
    assert reasons[5].startswith("文件扩展名为 .ofd，内容却是网页（HTML），不是OFD文件")
