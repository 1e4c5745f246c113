"""A section's prose as the draft will store it: a section the format declares, a bounded size,
placeholders that name cells of the year's format.

Asked before the prose is saved (:func:`gongkai.reports.services.narrative_save`) and before it
is tried unsaved in the editor (:func:`gongkai.reports.selectors.narrative_check`), so that both
refuse the same texts with the same words.
"""

from __future__ import annotations

from typing import Final

from gongkai.core.errors import GongkaiError
from gongkai.core.formats import SECTIONS, format_for_year
from gongkai.core.narrative.placeholders import parse
from gongkai.reports.errors import ReportError

# A section of an annual report runs to a few pages; more than this is a paste gone wrong.
MAX_NARRATIVE_CHARS: Final = 20_000
UNKNOWN_SECTION: Final = "年度报告没有编号为「{section}」的章节，可选：{known}"
TOO_LONG: Final = "“{heading}”的正文有 {size} 字，超过了每个章节 {limit} 字的上限，请精简后再保存"
BAD_PLACEHOLDER: Final = "“{heading}”的正文没有保存：{error}"


def section_heading(section: str) -> str:
    """「一、总体情况」 for ``overview``; :class:`ReportError` for a code no format declares."""
    for declared in SECTIONS:
        if declared.code == section:
            return f"{declared.number}、{declared.heading}"
    known = "、".join(f"{s.number}、{s.heading}" for s in SECTIONS)
    raise ReportError(UNKNOWN_SECTION.format(section=section, known=known))


def check_narrative_text(*, year: int, section: str, text: str) -> str:
    """``text`` as it will be stored (line ends unified), after refusing a section no format
    declares, an oversized text, or a placeholder that names no cell of the year's format —
    each with a Chinese message naming the section and, for a placeholder, its place."""
    heading = section_heading(section)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_NARRATIVE_CHARS:
        raise ReportError(
            TOO_LONG.format(heading=heading, size=len(text), limit=MAX_NARRATIVE_CHARS)
        )
    try:
        parse(text, format_for_year(year))
    except GongkaiError as error:
        raise ReportError(BAD_PLACEHOLDER.format(heading=heading, error=error)) from None
    return text
