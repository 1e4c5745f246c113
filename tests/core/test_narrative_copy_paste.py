"""Prose copied from last year's report is found; honest reports of consecutive years are not
(LEGAL.md §6 item 8: "report copied from previous years, identical data three years running")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.core.errors import GongkaiError
from gongkai.core.findings import Category, Severity
from gongkai.core.model import AnnualReport, ReportMeta
from gongkai.core.narrative import copy_paste_check, similarity
from gongkai.core.narrative.copy_paste import COPY_THRESHOLD

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "reports" / "seed_quangang_2021.json"


@pytest.fixture(scope="module")
def seed() -> AnnualReport:
    return AnnualReport.from_json(SEED.read_text(encoding="utf-8"))


def year_before(report: AnnualReport, years: int = 1, **narrative: str) -> AnnualReport:
    return AnnualReport(
        meta=ReportMeta(
            unit=report.meta.unit,
            year=report.meta.year - years,
            format_version="2019" if report.meta.year - years < 2021 else "2021",
        ),
        narrative={**report.narrative, **narrative},
    )


def test_a_report_republished_unchanged_is_flagged_per_section(seed: AnnualReport) -> None:
    """总体情况 and 存在的主要问题 are long enough to compare; 六 (one fee line) is not."""
    findings = copy_paste_check(seed, year_before(seed))

    assert [(f.rule, f.severity, f.category, f.message) for f in findings] == [
        (
            "narrative.copy_paste",
            Severity.WARNING,
            Category.NARRATIVE,
            "第一部分「总体情况」正文与 2020 年度报告的相似度为 100%（达到 80% 即提示），"
            "疑为照搬上年内容，且其中 30 个数字与上年完全相同",
        ),
        (
            "narrative.copy_paste",
            Severity.WARNING,
            Category.NARRATIVE,
            "第五部分「存在的主要问题及改进情况」正文与 2020 年度报告的相似度为 100%"
            "（达到 80% 即提示），疑为照搬上年内容",
        ),
    ]


def test_last_years_text_with_new_numbers_typed_over_it_is_still_a_copy(
    seed: AnnualReport,
) -> None:
    renumbered = re.sub(r"\d+", lambda m: str(int(m.group()) + 7), seed.narrative["overview"])
    previous = year_before(seed, overview=renumbered)

    (overview, _problems) = copy_paste_check(seed, previous)
    assert overview.message.startswith("第一部分「总体情况」正文与 2020 年度报告的相似度为 100%")
    assert "数字与上年完全相同" not in overview.message


def test_rewritten_prose_is_not_flagged(seed: AnnualReport) -> None:
    previous = year_before(
        seed,
        overview=(
            "2020年，我区认真贯彻落实《条例》，围绕法治政府建设要求，持续深化决策、执行、管理、"
            "服务、结果公开，全年主动公开政府信息1320条，受理政府信息公开申请52件，全部按期答复。"
            "我区还加强了政务新媒体管理，开展了两次业务培训，并将政务公开纳入绩效考核。"
        ),
        problems=(
            "一是部分单位对政务公开重视不够，信息更新不及时；二是政策解读形式单一。"
            "下一步将加强督促检查，丰富解读形式，提升公开质量。对照评估指标逐项整改。"
        ),
    )

    assert copy_paste_check(seed, previous) == []


def test_numbers_identical_three_years_running(seed: AnnualReport) -> None:
    earlier = year_before(seed, 2)
    reworded = year_before(
        seed,
        problems="（一）存在的问题 " + seed.narrative["problems"][::-1],
    )

    findings = copy_paste_check(seed, reworded, earlier=earlier)

    assert [f.rule for f in findings] == ["narrative.copy_paste", "narrative.same_numbers"]
    assert findings[1].message.startswith(
        "第一部分「总体情况」正文中的 30 个数字（12、1555、211、25、41、262等）"
        "连续三年（2019—2021 年度）完全相同"
    )


@pytest.mark.parametrize(
    ("_case", "unit", "years", "message"),
    [
        ("other_unit", "晋江市", 1, "对比的报告发布单位为「晋江市」，与本报告「泉港区」不同"),
        ("not_the_year_before", "泉港区", 2, "对比的报告为 2019 年度，应为 2020 年度"),
        ("same_year", "泉港区", 0, "对比的报告为 2021 年度，应为 2020 年度"),
    ],
)
def test_only_the_same_units_previous_year_is_compared(
    seed: AnnualReport, _case: str, unit: str, years: int, message: str
) -> None:
    other = year_before(seed, years).with_meta(unit=unit)

    with pytest.raises(GongkaiError, match=re.escape(message)):
        copy_paste_check(seed, other)


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("", "", 0.0),
        ("无。", "无。", 1.0),
        ("全年收到申请67件，均按时办结。", "全年收到申请52件，均按时办结。", 1.0),
        ("全年收到申请67件，均按时办结。", "本机关今年未收到任何申请", 0.0),
    ],
)
def test_similarity_ignores_numbers_spacing_and_punctuation(
    first: str, second: str, expected: float
) -> None:
    assert similarity(first, second) == expected


SECTION_HEADS = re.compile(
    r"一、总体情况|二、(?:行政机关)?主动公开政府信息情况|三、收到和处理|四、政府信息公开行政"
    r"|五、(?:政府信息公开工作)?存在的主要问题|六、其他需要报告的事项"
)


def _sections(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return SECTION_HEADS.split(text[text.find("正文") :])


@pytest.mark.parametrize(
    ("earlier", "later"),
    [("008.txt", "010.txt"), ("012.txt", "018.txt")],
)
def test_real_consecutive_years_of_one_unit_stay_below_the_threshold(
    shared_dir: Path, earlier: str, later: str
) -> None:
    """The same unit, one template, honest new prose: 总体情况 and 存在的主要问题 score low."""
    before = _sections(shared_dir / "reports" / earlier)
    after = _sections(shared_dir / "reports" / later)
    overview, problems = 1, 5

    assert similarity(before[overview], after[overview]) < COPY_THRESHOLD / 2
    assert similarity(before[problems], after[problems]) < COPY_THRESHOLD / 2
