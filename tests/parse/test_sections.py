"""The six sections are found in order, tolerating typos, and the crawler's repeats are cut."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.formats import SECTIONS
from gongkai.core.parse.labels import normalise, normalise_mapped
from gongkai.core.parse.sections import _patterns, _search, find_sections, narrative

BODY = (
    "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等六个部分。"
    "一、总体情况 概述。二、主动公开政府信息情况 表二。三、收到和处理政府信息公开申请情况"
    "三、本年度办理结果 表三。四、政府信息公开行政法复议、行政诉讼情况 表四。"
    "五、存在的主要问题及改进情况 问题。六、其他需要报告的事项 无。"
    " 附件下载 二、主动公开政府信息情况 重复"
)


def test_sections_in_order_with_a_typo_heading_and_chrome_cut() -> None:
    text = normalise(BODY)
    spans = find_sections(text)
    assert [s.section.code for s in spans] == [
        "overview",
        "proactive",
        "requests",
        "remedies",
        "problems",
        "other",
    ]
    assert [s.exact for s in spans] == [True, True, True, False, True, True]
    assert spans[-1].body(text) == "无。"
    assert spans[2].body(text).startswith("三、本年度办理结果")  # a table row, not a heading


def test_repeated_body_after_the_last_section_is_cut() -> None:
    text = normalise("一、总体情况 甲。六、其他需要报告的事项 无。容等等一、总体情况 甲。")
    spans = find_sections(text)
    assert spans[-1].body(text) == "无。容等等"


def test_narrative_keeps_the_authors_punctuation() -> None:
    mapped = normalise_mapped(
        "一、总体情况\n收到申请６７件，均已办结。\n五、存在的主要问题及改进情况\n无"
    )
    texts = narrative(mapped, find_sections(mapped.text))
    assert texts["overview"] == "收到申请６７件，均已办结。"
    assert texts["problems"] == "无"


def test_alias_heading() -> None:
    text = normalise(
        "二、行政机关主动公开政府信息情况 x 五、政府信息公开工作存在的主要问题及改进情况 y"
    )
    spans = find_sections(text)
    assert [(s.section.code, s.exact) for s in spans] == [("proactive", True), ("problems", True)]


def test_headings_and_prose_written_with_cjk_radicals() -> None:
    # 「⼀」 U+2F00 and 「⼈」 U+2F08 (Kangxi Radicals), 「⺠」 U+2EA0 and 「⻔」 U+2ED4 (CJK
    # Radicals Supplement, which NFKC leaves alone), as PDF text layers print them.
    plain = "一、总体情况\n人民群众通过门户网站申请。\n二、主动公开政府信息情况\n表二"
    radicals = "⼀、总体情况\n⼈⺠群众通过⻔户⽹站申请。\n⼆、主动公开政府信息情况\n表⼆"
    mapped = normalise_mapped(radicals)
    assert mapped.text == normalise(plain)
    spans = find_sections(mapped.text)
    assert [(s.section.code, s.exact) for s in spans] == [("overview", True), ("proactive", True)]
    # The narrative keeps the author's characters; the prose checks read them as ideographs.
    assert narrative(mapped, spans)["overview"] == "⼈⺠群众通过⻔户⽹站申请。"


_PIECES = ["一", "二", "三", "四", "五", "六", "二二", "、", ".", " ", "\n", "。", "总体情况",
           "主动公开政府信息情况", "收到和处理政府信息公开申请情况", "行政复议、行政诉讼情况",
           "存在的主要问题及改进情况", "其他需要报告的事项", "政府信息", "情况", "2019年",
           *(f"{s.number}、{s.heading}" for s in SECTIONS)]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
    st.integers(0, 40),
    st.one_of(st.none(), st.integers(0, 120)),
)
def test_a_heading_is_searched_where_its_numeral_is_as_everywhere(
    text: str, pos: int, end: int | None
) -> None:
    # find_sections tries its patterns only where the section's numeral is (sections._search).
    for section in SECTIONS:
        for pattern in _patterns(section):
            plain = pattern.search(text, pos) if end is None else pattern.search(text, pos, end)
            fast = _search(pattern, section, text, pos, end)
            assert (fast and fast.span()) == (plain and plain.span())
