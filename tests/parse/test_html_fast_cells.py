"""The HTML reader's shortcuts for a cell's text give exactly what the plain path gives.

:func:`gongkai.core.parse.html.clean_text` answers for the usual leaf texts (digits, a label
of letters, a blank written 「&nbsp;」) without calling :func:`clean_cell`; generated texts
full of what clean_cell treats apart (full-width and other digits, footnote marks, dashes,
spaces of every kind) must come out as clean_cell makes the leaf's text, and as it makes the
cell's whole text, line breaks included: a cell's reading does not depend on the spaces
around its text (「0０」 alone and between line breaks once read 00 and 0０).
"""

from __future__ import annotations

import lxml.etree
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.parse.document import clean_cell
from gongkai.core.parse.html import cell_text, clean_text

_PIECES = st.sampled_from(
    [
        *"0123456789",
        *"０１２３４５６７８９．",
        *"²٣¹½",
        *"信息内容总计申请件",
        *"abcXYZ",
        *" \xa0\u3000\n\t",
        *"－−﹣-—／*※①⑳注（）().",
    ]
)
_TEXTS = st.lists(_PIECES, max_size=8).map("".join)


def _cell(text: str, wrapped: bool) -> object:
    cell = lxml.etree.Element("td")
    leaf = lxml.etree.SubElement(cell, "p") if wrapped else cell
    leaf.text = text or None
    return cell


@settings(max_examples=2000, deadline=None)
@given(_TEXTS, st.booleans())
def test_a_leaf_text_reads_as_clean_cell_reads_it(text: str, wrapped: bool) -> None:
    cell = _cell(text, wrapped)
    assert clean_text(cell) == clean_cell(text) == clean_cell(cell_text(cell))


@settings(max_examples=2000, deadline=None)
@given(_TEXTS, st.sampled_from([" ", "\n", "\xa0", "\u3000", "\r\n"]))
def test_spaces_around_a_cell_do_not_change_its_reading(text: str, space: str) -> None:
    assert clean_cell(f"{space}{text}{space}") == clean_cell(text)


@pytest.mark.parametrize(
    "text",
    [
        "\xa0",
        " \xa0 ",
        "\u3000",
        "信息内容",
        "12",
        "１２",
        "0０",
        "67①",
        "６７①",
        "²",
        "٣",
        "12件",
        "—",
    ],
)
def test_the_usual_leaf_texts_read_as_clean_cell_reads_them(text: str) -> None:
    for wrapped in (False, True):
        cell = _cell(text, wrapped)
        assert clean_text(cell) == clean_cell(text) == clean_cell(cell_text(cell))
