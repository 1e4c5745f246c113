"""A result's report, held as read until the result is packed, then as a compressed blob.

An audit does not compress its report (a single audit and a streamed batch never need it);
whatever keeps results packs them (:meth:`AuditResult.pack`) and whatever stores them asks for
the blob (:meth:`AuditResult.blob`). Either form reads, dumps, copies and compares the same as
the form every earlier version had: the blob made at once.
"""

from __future__ import annotations

import pickle
import zlib
from pathlib import Path

import pytest

from gongkai.core import audit_result
from gongkai.core.audit import audit_file, audit_paths
from gongkai.core.audit_result import AuditResult, unreadable
from gongkai.core.model import AnnualReport

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "quangang-2021.txt"


def blob_of(result: AuditResult) -> bytes:
    """The blob as every earlier version made it: the report's JSON at zlib level 1."""
    report = result.report
    assert report is not None
    return zlib.compress(report.model_dump_json().encode("utf-8"), 1)


def stored(result: AuditResult) -> AuditResult:
    """The result rebuilt as a batch's store rebuilds it: its JSON without tables, its blob."""
    return AuditResult.model_validate_json(result.model_dump_json(exclude={"tables"})).with_blob(
        result.blob()
    )


def test_an_audit_compresses_nothing_until_the_result_is_packed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[int] = []
    compress = audit_result._compress

    def counted(report: AnnualReport) -> bytes:
        made.append(1)
        return compress(report)

    monkeypatch.setattr(audit_result, "_compress", counted)
    fresh = audit_file(EXAMPLE)
    fresh.model_dump_json()
    assert fresh.report is not None and fresh.tables
    assert made == []  # the gain: a single audit and its JSON line never compress
    packed = fresh.pack()
    assert made == [1]
    assert packed.pack() is packed and packed.blob() == blob_of(fresh)
    assert made == [1]  # packed once, kept


def test_a_packed_result_reads_and_dumps_as_the_fresh_one() -> None:
    fresh = audit_file(EXAMPLE)
    packed = fresh.pack()
    assert packed is not fresh  # a packed copy: the fresh result is not changed
    assert fresh.blob() == packed.blob() == blob_of(fresh)
    assert fresh.report == packed.report == stored(fresh).report
    assert fresh.model_dump_json() == packed.model_dump_json() == stored(fresh).model_dump_json()
    # The JSON leaves the report out: rebuilt from it alone, a result has none.
    bare = AuditResult.model_validate_json(fresh.model_dump_json())
    assert bare.report is None and bare.blob() is None and bare.tables == {}


def test_a_packed_result_pickles_small_and_round_trips() -> None:
    fresh = audit_file(EXAMPLE)
    packed = fresh.pack()
    sent_fresh = pickle.dumps(fresh)
    sent_packed = pickle.dumps(packed)
    # The report's JSON is about 8 KB, its blob 5 KB; pickled whole, the report costs more.
    assert len(sent_packed) < len(packed.model_dump_json()) + len(blob_of(fresh)) + 1000
    assert len(sent_packed) * 3 < len(sent_fresh) * 2
    for back in (pickle.loads(sent_fresh), pickle.loads(sent_packed)):
        assert back == fresh
        assert back.blob() == blob_of(fresh)
        assert back.model_dump_json() == fresh.model_dump_json()


def test_a_fresh_result_equals_its_packed_sent_and_stored_forms() -> None:
    fresh = audit_file(EXAMPLE)
    forms = [
        audit_file(EXAMPLE),
        fresh.pack(),
        pickle.loads(pickle.dumps(fresh.pack())),
        stored(fresh),
    ]
    for form in forms:
        assert form == fresh and fresh == form
    assert fresh != fresh.model_copy(update={"findings": []})
    assert fresh != AuditResult.model_validate_json(fresh.model_dump_json())  # no report
    report = fresh.report
    assert report is not None
    other = zlib.compress(report.model_copy(update={"narrative": {}}).model_dump_json().encode(), 1)
    assert fresh != fresh.with_blob(other)  # the same fields over another report
    assert fresh != "a result"


def test_a_copy_keeps_the_report_in_either_form() -> None:
    fresh = audit_file(EXAMPLE)
    for result in (fresh, fresh.pack()):
        copied = result.model_copy(update={"findings": [], "previous": "2020.txt"})
        assert copied.findings == [] and copied.previous == "2020.txt"
        assert copied.blob() == blob_of(fresh)
        assert copied.model_copy(deep=True).blob() == blob_of(fresh)


def test_a_blob_given_to_a_fresh_result_is_the_one_it_keeps() -> None:
    fresh = audit_file(EXAMPLE)
    report = fresh.report
    assert report is not None
    given = zlib.compress(report.model_copy(update={"narrative": {}}).model_dump_json().encode(), 1)
    regiven = fresh.with_blob(given)
    assert regiven.report is not None and regiven.report.narrative == {}
    assert regiven.blob() == given and regiven.pack().blob() == given
    assert fresh.report is not None and fresh.report.narrative  # the fresh one unchanged


def test_a_result_without_a_report_has_no_blob() -> None:
    result = unreadable("x.doc", "legacy_word", "无法读取")
    assert result.pack() is result
    assert result.blob() is None and result.report is None and result.tables == {}
    assert pickle.loads(pickle.dumps(result)) == result


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_batch_keeps_its_results_packed(tmp_path: Path, jobs: int) -> None:
    """The batch's list holds packed results, from this process or from a worker's pickle."""
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(EXAMPLE.read_bytes())
    results = audit_paths([tmp_path], jobs=jobs, pair_years=False)
    assert results == [audit_file(tmp_path / name) for name in ("a.txt", "b.txt")]
    for result in results:
        assert result.pack() is result  # packed already
        # As small as a packed result: the report itself is not held.
        assert len(pickle.dumps(result)) < len(pickle.dumps(audit_file(EXAMPLE))) * 2 // 3
