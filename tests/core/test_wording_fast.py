"""The wording rules' pre-tests say no only where the pattern after them finds nothing.

A pre-test lets a rule skip a regular-expression search over a section; it must never skip a
section the search would find something in, or a finding would be lost.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.rules import wording

# Few characters, so that runs repeat often: ideographs, digits and spaces (ASCII, taken out
# by the second test), marks, a character beyond the BMP, a lone surrogate and NUL.
_DOUBLE_ALPHABET = st.sampled_from([*"工作审核一二 0、，…", "𠀀", "\ud800", "\x00"])
# The pieces of 「全部办结」「均已答复完毕」「无结转」「办结率100%」, and some characters.
_CLOSED_ALPHABET = st.sampled_from(
    [
        *"全均都已一无没有未不占率为的件年下 1",
        *("全部", "均已", "已全部", "一律", "按期", "依法", "不存在", "申请", "案件", "总数"),
        *("办结", "办理完毕", "答复完毕", "处理完毕", "办理完成", "结转", "转入", "下一年度"),
        *("办结率", "100", ".0", "%", "达到", "按时"),
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_DOUBLE_ALPHABET, max_size=40).map("".join))
def test_may_double_says_no_only_without_doubled_words(text: str) -> None:
    assert wording.may_double(text) or wording._DOUBLED.search(text) is None


@settings(max_examples=500, deadline=None)
@given(
    st.text(max_size=30),
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=2, max_size=6),
    st.text(max_size=30),
)
def test_may_double_says_yes_to_any_doubled_run(head: str, unit: str, tail: str) -> None:
    text = f"{head}{unit}{unit}{tail}"
    assert wording._DOUBLED.search(text) is not None
    assert wording.may_double(text)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_CLOSED_ALPHABET, max_size=30).map("".join))
def test_may_say_all_closed_says_no_only_without_a_match(text: str) -> None:
    assert wording._may_say_all_closed(text) or wording._ALL_CLOSED_ANYWHERE.search(text) is None
