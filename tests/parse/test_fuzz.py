"""parse_text never raises and always ends quickly, whatever the text."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.core.parse import ParseResult, parse_text

# Characters real reports are made of, so random text reaches the interesting code paths.
_WORDS = [
    "本年新收政府信息公开申请数量",
    "三、收到和处理政府信息公开申请情况",
    "1.属于国家秘密",
    "四、政府信息公开行政复议、行政诉讼情况",
    "行政复议",
    "总计",
    "2021年度",
    "<!--x-->",
]
ALPHABET = st.sampled_from(
    [
        *"0123456789０１２３ \t\n.,-元万件（）()、一二三四五六七总计予以公开结转其他第二十条项",
        *_WORDS,
    ]
)
TIME_LIMIT = 2.0


def _check(text: str) -> ParseResult:
    started = time.perf_counter()
    result = parse_text(text, source="fuzz")
    assert time.perf_counter() - started < TIME_LIMIT
    assert isinstance(result, ParseResult)
    assert result.report is not None or result.reason
    for problem in result.problems:
        assert problem.message
    return result


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_arbitrary_unicode(text: str) -> None:
    _check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=400).map("".join))
def test_report_like_noise(text: str) -> None:
    _check(text)


def _corpus(shared: Path) -> list[str]:
    paths = [*sorted((shared / "reports").glob("*.txt")), *sorted((shared / "seed").glob("*.txt"))]
    return [p.read_text(encoding="utf-8") for p in paths]


mutation = st.tuples(
    st.sampled_from(["delete", "insert", "duplicate", "digits", "truncate"]),
    st.floats(0, 1),
    st.floats(0, 1),
    st.text(alphabet="0123456789 \t元、（", max_size=30),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 100), st.lists(mutation, min_size=1, max_size=4))
def test_mutated_corpus_reports(
    shared_dir: Path, which: int, mutations: list[tuple[str, float, float, str]]
) -> None:
    texts = _corpus(shared_dir)
    text = texts[which % len(texts)]
    for kind, a, b, insert in mutations:
        i, j = sorted((int(a * len(text)), int(b * len(text))))
        if kind == "delete":
            text = text[:i] + text[j:]
        elif kind == "insert":
            text = text[:i] + insert + text[i:]
        elif kind == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif kind == "digits":
            text = text[:i] + "".join("7" if c.isdigit() else c for c in text[i:j]) + text[j:]
        else:
            text = text[:j]
    _check(text)


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02" * 1000,
        "0" * 50_000,
        "三、收到和处理政府信息公开申请情况" + "1" * 5000,
        "一、本年新收政府信息公开申请数量"
        + "9" * 300
        + "二、上年结转政府信息公开申请数量"
        + "1" * 300,
        "第二十条第（一）项 规章" + "1" * 2000,
        "四、政府信息公开行政复议、行政诉讼情况 结果维持 总计 " + "12" * 400,
    ],
)
def test_pathological_inputs_end_quickly(text: str) -> None:
    _check(text)
