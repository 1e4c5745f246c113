"""The prose rules over one sentence of thousands of figures: their work grows with the
sentence, not with its square. A damaged or hostile file can hold a sentence of 80,000
characters with 8,000 rates in it (「办结率95%」 over and over, no full stop); a rule that
quotes the whole sentence for each rate, or reads the sentence's head again for each, takes
seconds to hours."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from gongkai.core import findings
from gongkai.core.audit import previous_year_findings
from gongkai.core.findings import MESSAGE_MAX, RULE_FINDINGS_MAX
from gongkai.core.model import AnnualReport
from gongkai.core.narrative.claims import extract_claims
from gongkai.core.narrative.sentences import forget_sentences
from gongkai.core.rules import check_report, prose_rules

# Each gives one finding a figure (the seed's tables disagree with every one): 办结率
# (narrative.rate), a share after its count (narrative.share), a rate after its count
# (cross_year.yoy_rate), a rate by its subject alone (cross_year.yoy_subject), one of
# remedies in a sentence on 信息公开, a change from a count of last year written in the
# sentence (narrative.change: 67 on 55 is 21.8 %).
QUOTING = [
    "办结率95%",
    "收到申请10件，予以公开5件，占20%，",
    "收到申请10件，同比增长50%，",
    "申请数量较上年下降12.5%，",
    "行政复议案件同比增长20%信息公开",
    "收到申请67件，较上年的55件增长25%，",
]
# A share after a count that no claim names: read, and nothing said. A result category with
# the breakdown of its reasons (each breakdown's counts are looked at, not the sentence's),
# and with a reason but no breakdown (「其中」 looked for between the two, not to the end).
PIECES = [
    *QUOTING,
    "收到申请10件，其他5件，占20%，",
    "无法提供1件，其中本机关不掌握1件，",
    "无法提供1件，本机关不掌握1件，",
]


def _with_sentence(seed: AnnualReport, sentence: str) -> AnnualReport:
    prose = {**seed.narrative, "overview": "收到政府信息公开申请；" + sentence + "。"}
    return seed.model_copy(update={"narrative": prose})


@pytest.mark.parametrize("piece", QUOTING)
def test_a_message_quotes_a_long_sentence_bounded_as_it_is_built(
    seed: AnnualReport, last_year: AnnualReport, piece: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bounded where the message is built, not after: the findings of 2,000 figures in one
    sentence each quoted all of it (640 million characters for 8,000 rates, 11 s to bound)."""
    built: list[int] = []
    bound = findings.bound_message

    def counted(text: str) -> str:
        built.append(len(text))
        return bound(text)

    monkeypatch.setattr(findings, "bound_message", counted)
    report = _with_sentence(seed, piece * 2_000)

    assert check_report(report, previous=last_year)
    assert max(built) <= MESSAGE_MAX


def test_the_rules_read_a_sentence_of_thousands_of_figures_in_linear_time(
    seed: AnnualReport, last_year: AnnualReport
) -> None:
    """Four times the figures take about four times as long, not sixteen: each figure's
    count, clause and 复议机关 are found in what was kept of the sentence, not by reading its
    head again (the ratio, not seconds, since the suite also runs under coverage's tracer).

    The two sizes are timed in turn, the best of four each: timed one after the other, a
    busy moment of the machine fell on one size only and made a linear ratio look like 9."""
    small, large = (_with_sentence(seed, "".join(PIECES) * times) for times in (200, 800))
    best_small, best_large = _best_in_turn(
        lambda: check_report(small, previous=last_year),
        lambda: check_report(large, previous=last_year),
        runs=4,
    )
    assert best_large < 8 * best_small


def _best_in_turn(
    small: Callable[[], object], large: Callable[[], object], *, runs: int
) -> tuple[float, float]:
    """The best CPU time of each of two calls, timed in turn so that a busy moment of the
    machine falls on both (the sentence cache emptied before each: each call reads)."""

    def seconds(call: Callable[[], object]) -> float:
        forget_sentences()
        began = time.process_time()
        call()
        return time.process_time() - began

    best_small = best_large = float("inf")
    for _ in range(runs):
        best_small = min(best_small, seconds(small))
        best_large = min(best_large, seconds(large))
    return best_small, best_large


@pytest.mark.parametrize(
    ("rule", "piece"), [("cross_year.yoy_rate", QUOTING[2]), ("cross_year.yoy_subject", QUOTING[3])]
)
def test_a_year_on_year_rule_lists_at_most_the_prose_rules_cap(
    seed: AnnualReport, last_year: AnnualReport, rule: str, piece: str
) -> None:
    """Their findings grow with the prose, one a rate, as the narrative rules' do: a sentence
    of 2,000 rates gives the cap's number and one finding that counts the rest, not 2,000."""
    report = _with_sentence(seed, piece * 2_000)

    found = [f for f in previous_year_findings(report, last_year) if f.rule == rule]

    assert len(found) == RULE_FINDINGS_MAX + 1
    assert sum("本规则共发现 2000 处" in f.message for f in found) == 1
    assert rule in prose_rules()


@pytest.mark.parametrize(
    "piece",
    [
        "无法提供1件，其中本机关不掌握1件，",
        "无法提供2件，其中本机关不掌握1件，没有现成信息需要另行制作1件，",
        "无法提供1件，本机关不掌握1件，",
    ],
)
def test_the_reasons_of_thousands_of_result_categories_are_read_in_linear_time(
    piece: str,
) -> None:
    """Each breakdown of a category into its reasons is checked over its own counts, and the
    其中 that opens it is looked for once a sentence: checked over all the sentence's counts,
    2,000 breakdowns took 1 s and four times as many took sixteen times as long."""
    small, large = ({"overview": "收到申请；" + piece * times + "。"} for times in (500, 2_000))
    best_small, best_large = _best_in_turn(
        lambda: extract_claims(small), lambda: extract_claims(large), runs=3
    )
    assert best_large < 8 * best_small
