"""The HTML reader's cached tag classes give what lower-casing the tag gives.

:func:`html._kind` caches, per tag as written, what the walk does with an element, and
:func:`html.clean_text` reads that cache instead of lower-casing each cell's tag: a tag that
only ``lower()`` turns into a known one (upper case, the Kelvin sign of 「bloc\u212aquote」, the
dotted capital I) must land in the same class, and a cell must read the same either way.
"""

from __future__ import annotations

import lxml.etree
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.core.parse import html
from gongkai.core.parse.document import clean_cell

_NAMES = [*sorted(html._SKIP), *sorted(html._BLOCK), "span", "font", "o", "x-y"]
_ODD = ["BR", "Br", "SCRIPT", "Style", "TABLE", "P", "bloc\u212aquote", "\u0130frame"]
_ODD += ["scr\u0130pt"]
tags = st.sampled_from(_NAMES + _ODD)


def plain_kind(tag: str) -> int:
    low = tag.lower()
    if not low or low in html._SKIP:
        return html._SKIPPED
    if low == "table":
        return html._TABLE
    if low == "br":
        return html._BREAK
    return html._BLOCK_KIND if low in html._BLOCK else html._INLINE


@settings(max_examples=300, deadline=None)
@given(tags)
def test_kind_is_the_class_of_the_lower_cased_tag(tag: str) -> None:
    assert html._kind(tag) == plain_kind(tag)
    assert html._kind(tag) == plain_kind(tag)  # the second time from the cache


@settings(max_examples=400, deadline=None)
@given(
    st.lists(tags, min_size=1, max_size=3),
    st.sampled_from(["", " ", "\n", "12", "无 数"]),
    st.sampled_from([None, " ", "\xa0"]),
)
def test_a_cell_of_any_tags_reads_as_the_walk_reads_it(
    chain: list[str], inside: str, tail: str | None
) -> None:
    cell = lxml.etree.Element("td")
    parent = cell
    for tag in chain:
        parent = lxml.etree.SubElement(parent, tag)
        parent.tail = tail
    parent.text = inside or None
    assert html.clean_text(cell) == clean_cell(html.cell_text(cell))


def test_a_comment_in_a_cell_is_not_text() -> None:
    cell = lxml.etree.Element("td")
    cell.append(lxml.etree.Comment("12"))
    assert html.clean_text(cell) == clean_cell(html.cell_text(cell)) == ""
