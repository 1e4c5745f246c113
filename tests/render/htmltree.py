"""A minimal element tree over the standard library's ``html.parser``, for structural asserts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def iter(self) -> Iterator[Element]:
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.iter()
            if e.tag == tag and all(e.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def find(self, tag: str, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag} {attrs}>"
        return found[0]

    def by_id(self, ident: str) -> Element:
        for e in self.iter():
            if e.attrs.get("id") == ident:
                return e
        raise AssertionError(f"no element with id {ident!r}")

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def own_text(self) -> str:
        """Text without footnote markers (``<sup class="fn">``)."""
        return "".join(
            c if isinstance(c, str) else ("" if c.tag == "sup" else c.own_text())
            for c in self.children
        )

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def span(self, name: str) -> int:
        return int(self.attrs.get(name, "1"))


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"unbalanced </{tag}>"
        self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder.root


def grid_widths(table: Element) -> list[int]:
    """How many columns each ``<tr>`` of a table covers, with cells spanning down from above.

    A well-formed table covers the same contiguous columns in every row.
    """
    occupied: set[tuple[int, int]] = set()
    rows = table.find_all("tr")
    for r, tr in enumerate(rows):
        column = 0
        for cell in (c for c in tr.children if isinstance(c, Element) and c.tag in ("th", "td")):
            while (r, column) in occupied:
                column += 1
            for dr in range(cell.span("rowspan")):
                for dc in range(cell.span("colspan")):
                    occupied.add((r + dr, column + dc))
            column += cell.span("colspan")
    widths = []
    for r in range(len(rows)):
        columns = sorted(c for rr, c in occupied if rr == r)
        assert columns == list(range(len(columns))), f"row {r} has holes: {columns}"
        widths.append(len(columns))
    assert len(occupied) == sum(widths), "a rowspan reaches past the last row"
    return widths
