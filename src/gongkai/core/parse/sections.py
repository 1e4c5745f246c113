"""Splitting a report's text into its six sections.

Headings are found in order (一 before 二 …), each searched after the previous one, so the
introduction's list of section names (「本报告包括总体情况、主动公开政府信息情况…」, without
numerals) and the table row 「三、本年度办理结果」 are never taken for headings. Each heading is
matched first exactly (official heading or its declared aliases, any spacing/width), then by
a tolerant fallback (its numeral and the heading's last words within a short distance), which
catches typos like 「政府信息公开行政法复议、行政诉讼情况」.

Crawled pages repeat part of the body after the end or carry page chrome (「附件下载」); the
last section is cut there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from gongkai.core.formats import SECTIONS, Section
from gongkai.core.parse.labels import Normalised, compact, loose

# Page chrome that ends the report body on crawled pages.
CHROME_MARKERS = ("附件下载", "扫一扫在手机打开", "【打印本页】", "【关闭窗口】", "相关链接")
# A short last-words key for the tolerant fallback.
_FALLBACK_TAIL = 6
_FALLBACK_GAP = 25


@dataclass(frozen=True, slots=True)
class SectionSpan:
    section: Section
    start: int  # the heading's first character
    body_start: int  # just after the heading
    end: int  # start of the next heading (or the cut at the end of the report)
    exact: bool  # False when found by the tolerant fallback
    # The numeral as printed (「二」), or "" when the heading was printed without one.
    numeral: str = ""

    def body(self, text: str) -> str:
        return text[self.body_start : self.end].strip()


@lru_cache(maxsize=16)
def _patterns(section: Section) -> tuple[re.Pattern[str], re.Pattern[str]]:
    numeral = rf"(?:{section.number}\s*)+[、.,]\s*"
    headings = sorted({compact(h) for h in (section.heading, *section.aliases)}, key=len)
    exact = re.compile(numeral + "(?:" + "|".join(loose(h) for h in reversed(headings)) + ")")
    tail = compact(section.heading)[-_FALLBACK_TAIL:]
    fallback = re.compile(numeral + rf"[^。\n\d]{{0,{_FALLBACK_GAP}}}?" + loose(tail))
    return exact, fallback


@lru_cache(maxsize=16)
def _misnumbered(section: Section) -> re.Pattern[str]:
    """The heading's exact words under another numeral (「一、主动公开政府信息情况」), at the
    start of a line or after a full stop, so that a report numbering its parts its own way
    (the five statutory parts 一–五, or restarting at 一) is still split into its sections."""
    headings = sorted({compact(h) for h in (section.heading, *section.aliases)}, key=len)
    words = "(?:" + "|".join(loose(h) for h in reversed(headings)) + ")"
    return re.compile(rf"(?:^|(?<=[\n。]))[ \t]*([{_NUMERALS}]{{1,3}})\s*[、.,]\s*" + words, re.M)


_NUMERALS = "一二三四五六七八九十"


def _search(
    pattern: re.Pattern[str], section: Section, text: str, pos: int, end: int | None = None
) -> re.Match[str] | None:
    """``pattern.search(text, pos, end)`` for one of :func:`_patterns`' patterns.

    Every match of those begins with the section's numeral, which a regular expression that
    starts with a repeated group does not know: it would try a match at each character of the
    report. Trying one only where the numeral is (found by ``str.find``, in C) finds the same
    first match in a fraction of the time.

    A run of the numeral (「一一一…」, spaces between or not) is tried at its first character
    only: the pattern's repeated numeral reaches every later start of the run from there, so
    when it fails there it fails at each of them, and trying each again made a run of 30,000
    「一」 cost minutes.
    """
    end = len(text) if end is None else end
    number, stop = section.number, min(end, len(text))
    at = text.find(number, pos, end)
    while at != -1:
        hit = pattern.match(text, at, end)
        if hit is not None:
            return hit
        after = at + 1
        while after < stop and (text[after] == number or text[after].isspace()):
            after += 1
        at = text.find(number, after, end)
    return None


_PRINTED_NUMERAL = re.compile(rf"\s*([{_NUMERALS}]+?)\s*(?:\1\s*)*[、.,]")


def find_sections(text: str, *, start: int = 0) -> list[SectionSpan]:
    """The section headings found in ``text`` (normalised), in order, with their extents."""
    found: list[tuple[Section, int, int, bool]] = []
    pos = start
    for section in SECTIONS:
        exact, fallback = _patterns(section)
        hit = _search(exact, section, text, pos)
        is_exact = True
        if hit is None:
            hit = _search(fallback, section, text, pos)
            is_exact = False
        if hit is None:
            hit = _misnumbered(section).search(text, pos)
            is_exact = False
        if hit is None:
            continue
        found.append((section, hit.start(), hit.end(), is_exact))
        pos = hit.end()
    spans = []
    for index, (section, begin, body, is_exact) in enumerate(found):
        end = found[index + 1][1] if index + 1 < len(found) else _report_end(text, body, found)
        printed = _PRINTED_NUMERAL.match(text, begin)
        numeral = printed.group(1) if printed else ""
        spans.append(SectionSpan(section, begin, body, end, is_exact, numeral))
    return spans


def printed_headings(text: str, spans: list[SectionSpan]) -> tuple[tuple[str, str, str], ...]:
    """The section headings as printed, in the order printed: (section code, numeral, heading).

    The sections found in order are the spans; a section printed before the one above it in
    the format (「五、…」 before 「四、…」) is missed by them and found here anywhere in the
    text, so that the order can be judged.
    """
    found = [
        (s.start, s.section.code, s.numeral, compact(text[s.start : s.body_start])) for s in spans
    ]
    have = {s.section.code for s in spans}
    start = spans[0].start if spans else 0
    for section in SECTIONS:
        if section.code in have:
            continue
        exact, _fallback = _patterns(section)
        hit = _search(exact, section, text, start) or _misnumbered(section).search(text, start)
        if hit is not None:
            printed = _PRINTED_NUMERAL.match(text, hit.start())
            numeral = printed.group(1) if printed else ""
            found.append((hit.start(), section.code, numeral, compact(hit.group())))
    return tuple((code, numeral, heading) for _, code, numeral, heading in sorted(found))


def _report_end(text: str, body: int, found: list[tuple[Section, int, int, bool]]) -> int:
    """Where the last section ends: page chrome, or the body repeating an earlier heading."""
    end = len(text)
    for marker in CHROME_MARKERS:
        at = text.find(marker, body)
        if at != -1:
            end = min(end, at)
    for section, *_ in found[:-1]:
        exact, _fallback = _patterns(section)
        again = _search(exact, section, text, body, end)
        if again is not None:
            end = min(end, again.start())
    return end


def narrative(source: Normalised, spans: list[SectionSpan]) -> dict[str, str]:
    """Each found section's text by section code, as the author wrote it (not normalised).

    Sections 二, 三 and 四 keep their tables' text: the narrative checks need the prose
    around the tables, and the auditor shows the source of a cell.
    """
    return {
        span.section.code: source.original_slice(span.body_start, span.end).strip()
        for span in spans
    }
