"""Replacing characters one after another is only done where it equals replacing them at once."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.cjk_equivalents import SparseTranslation, replace_each

CHAIN = {ord("甲"): "乙", ord("乙"): "丙", ord("「"): '"'}


@given(st.text(alphabet="甲乙丙「」x", max_size=30))
def test_a_chain_of_replacements_is_translate(text: str) -> None:
    # 甲 → 乙 and 乙 → 丙: one after another would turn 甲 into 丙.
    assert SparseTranslation(CHAIN)(text) == text.translate(CHAIN)


def test_replace_each_says_when_it_may_go_one_by_one() -> None:
    chars = re.compile("[甲乙]")
    table = {"甲": "乙", "乙": "丙"}
    assert replace_each("甲乙", chars, table, sequential=False) == "乙丙"
    assert replace_each("「甲」", re.compile("[「」]"), {"「": '"', "」": '"'}, True) == '"甲"'


ASTRAL = {0xF00B2: "²", 0xF00B3: "³"}  # a table of characters beyond the BMP only
FEW = {ord("「"): '"', ord("」"): '"', ord("甲"): "丙"}  # a small table, one pass each


@given(st.text(alphabet="甲乙丙「」x²\U000f00b2\U000f00b3\U0001f600\ud800", max_size=30))
def test_each_shortcut_is_translate(text: str) -> None:
    assert SparseTranslation(ASTRAL)(text) == text.translate(ASTRAL)
    assert SparseTranslation(FEW)(text) == text.translate(FEW)
    assert SparseTranslation(CHAIN)(text) == text.translate(CHAIN)
