"""audit_file never raises, ends in bounded time, and returns well-formed results.

Real reports are mutated and mixed with the hostile shapes of issue 10 (long digit runs,
309- and 4,301-digit numbers, rich markup, deep nesting, compression bombs, other encodings).
Bounded to well under a minute; ``benchmarks/bench_fuzz.py`` runs the same for many inputs.
"""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.audit import audit_file
from gongkai.core.audit_result import AuditResult
from gongkai.core.findings import RULE_FINDINGS_MAX, Category, Severity
from tests.audit_fuzz_shapes import corpus, hostile_input

# Per file: the limit audit_file is given, and the slack the test allows beyond it.
TIME_LIMIT = 10.0
SLACK = 5.0
# The long fuzz benchmark's process may not grow past this, whatever the inputs (a bomb would
# add gigabytes): bench_fuzz.py checks it in a process that runs nothing else.
MAX_RSS_MB = 1_500

REPORTS = corpus()


def check_result(result: AuditResult, name: str) -> None:
    """A well-formed result: readable with findings, or unreadable with a Chinese reason."""
    assert isinstance(result, AuditResult)
    assert result.file == name
    if result.readable:
        assert result.reason is None
    else:
        assert result.reason
        assert "Traceback" not in result.reason
        assert "内部错误" not in result.reason, result.reason
    for finding in result.findings:
        assert finding.rule and finding.message
        assert isinstance(finding.severity, Severity)
        assert len(finding.message) < 5_000
    rules = Counter(f.rule for f in result.findings if f.category is Category.NARRATIVE)
    assert max(rules.values(), default=0) <= RULE_FINDINGS_MAX + 1, rules.most_common(1)
    json.dumps(result.model_dump(mode="json"), ensure_ascii=False)


def audit_once(path: Path, data: bytes) -> AuditResult:
    path.write_bytes(data)
    started = time.perf_counter()
    result = audit_file(path, time_limit=TIME_LIMIT)
    assert time.perf_counter() - started < TIME_LIMIT + SLACK
    check_result(result, str(path))
    return result


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.randoms(use_true_random=False))
def test_mutated_reports_and_hostile_shapes(scratch: Path, r: random.Random) -> None:
    name, data = hostile_input(r, REPORTS)
    audit_once(scratch / name, data)
