"""A rendered letter as a list of typed paragraphs, the one input of the DOCX and PDF writers.

Templates are plain text in the Django template language; after rendering, each non-blank line is
one paragraph and its first characters say how it is laid out, so that a unit administrator can
edit a letter without knowing Word or HTML:

``# `` title (centred, 宋体 bold) · ``^ `` centred (the 文号 under the title) · ``= `` flush left
(tracking number, salutation, fee lines) · ``> `` flush right (issuer and date: the seal is placed
over them, so the writers leave room above and to the right) · anything else: a body paragraph
indented two characters.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from gongkai.core.errors import GongkaiError


class Layout(enum.StrEnum):
    TITLE = "title"
    CENTER = "center"
    PLAIN = "plain"
    BODY = "body"
    RIGHT = "right"


_MARKERS: dict[str, Layout] = {
    "# ": Layout.TITLE,
    "^ ": Layout.CENTER,
    "= ": Layout.PLAIN,
    "> ": Layout.RIGHT,
}


@dataclass(frozen=True, slots=True)
class Paragraph:
    layout: Layout
    text: str


@dataclass(frozen=True, slots=True)
class LetterDocument:
    title: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def text(self) -> str:
        """The letter as plain text, one paragraph a line (archived and searchable)."""
        return "\n".join(p.text for p in self.paragraphs)


def parse_letter(rendered: str) -> LetterDocument:
    """Split rendered template text into paragraphs; a letter without a ``# `` title is refused."""
    paragraphs: list[Paragraph] = []
    for raw in rendered.splitlines():
        line = raw.strip()
        if not line:
            continue
        layout = Layout.BODY
        for marker, kind in _MARKERS.items():
            if line == marker.strip() or line.startswith(marker):
                layout, line = kind, line[len(marker) :].strip()
                break
        if line:
            paragraphs.append(Paragraph(layout, line))
    titles = [p.text for p in paragraphs if p.layout is Layout.TITLE]
    if not titles:
        raise GongkaiError("文书模板缺少标题行：请在第一行以“# ”开头写明文书标题")
    return LetterDocument(title=titles[0], paragraphs=tuple(paragraphs))
