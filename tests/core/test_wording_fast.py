"""The wording rules' pre-tests say no only where the pattern after them finds nothing.

A pre-test lets a rule skip a regular-expression search over a section; it must never skip a
section the search would find something in, or a finding would be lost.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.rules import wording

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
@given(st.lists(_CLOSED_ALPHABET, max_size=30).map("".join))
def test_may_say_all_closed_says_no_only_without_a_match(text: str) -> None:
    assert wording._may_say_all_closed(text) or wording._ALL_CLOSED_ANYWHERE.search(text) is None
