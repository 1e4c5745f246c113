"""Report metadata from the text: title, unit, year, publication date, format version, kind.

Where each comes from, in order of trust:

- **title / unit / year**: the crawler header 「标题: …」, else the first line (or the first
  words of a one-line body) that reads 「<unit><year>年(度)政府信息公开工作年度报告」 or
  「<year>年度<unit>政府信息公开工作年度报告」 (also 「…工作报告」, and the same words in an
  opening sentence: 「现公布某局2023年…」 names 某局). Without a title year, the statistics
  period 「统计期限自 2021 年 1 月 1 日」 gives the year. What the text does not say, the file's
  name does when it is such a title (「某局2023年政府信息公开工作年度报告.pdf」, as an evaluator
  saves a province's reports; a page's body copied without its title). Last, a year is inferred
  from the body, and said to be: 「截至2023年12月31日」, or the year most sentences of the
  opening start with (「2023年，我局……」).
- **unit**, when no title names it: the crawler header 「发布机构: …」, else the 发布机构 of the
  information table a government site prints above each document, else the file's name.
- **published**: a header or page line 「发布时间/发布日期/时间: 2022-02-08」 (also as the
  information table's cells print it, 「发布日期 2022-02-08」「【发布日期】」), else the closing
  「2022年1月10日印发」, else a date ending the last section (the signature date).
- **format version**: the markers that :mod:`gongkai.core.formats` declares for each version,
  counted in the text (LEGAL.md §3.2); without any marker, the format in force for the year.
- **kind** (a documented heuristic): 「汇总」 in the title or introduction → roll-up; a unit
  written 「（代表…政府）」 or ending in 人民政府/管委会/管理委员会 or a bare area name
  (…区/县/市/旗/州/盟) → government; a unit ending in 镇/乡/街道(办事处) or
  镇人民政府/乡人民政府 → township; a unit ending in an office suffix (局/委/办公室/中心 …)
  → department; otherwise unknown.
"""

from __future__ import annotations

import datetime as dt
import re

from gongkai.core.formats import FORMATS, FormatError, format_for_year
from gongkai.core.model import ReportKind
from gongkai.core.parse.labels import compact
from gongkai.core.parse.result import DetectedMeta

_BODY_MARKER = re.compile(r"^=+\s*正文\s*=+\s*$", re.M)
_HEADER_LINE = re.compile(r"^(标题|发布时间|发布日期|发布机构|文号)\s*[:：]\s*(.*)$", re.M)
_TITLE_UNIT_FIRST = re.compile(
    r"(?P<unit>[^\s。，,；;:：]{2,60}?)\s*(?:关于\s*)?(?P<year>(?:19|20)\d{2})\s*年\s*(?:度\s*)?(?:的\s*)?"
    r"(?:政府)?信息公开(?:工作)?(?:年度?)?报告"
)
# What every match of _TITLE_UNIT_FIRST ends with. That pattern tries up to 60 unit lengths at
# every position, a millisecond over a page's opening that holds no such title (「2019年上海市
# …年度报告」); without this ending in the text it cannot match, and is not run.
_TITLE_TAIL = re.compile(
    r"(?:19|20)\d{2}\s*年\s*(?:度\s*)?(?:的\s*)?(?:政府)?信息公开(?:工作)?(?:年度?)?报告"
)
_TITLE_YEAR_FIRST = re.compile(
    r"(?P<year>(?:19|20)\d{2})\s*年\s*(?:度\s*)?(?P<unit>[^\s。，,；;:：\d]{2,60}?)\s*"
    r"(?:政府)?信息公开(?:工作)?(?:年度?)?报告"
)
# What may stand before a unit's name and is not part of it: the words that bring the title in
# an opening sentence (「……，现公布某局2023年政府信息公开工作年度报告」「特编制某办……」), a page's
# label of its title without the colon a crawler's header has (「标题某乡2022年……」), and the
# numbering of attachments (「附件1-某局……」「03.某局……」).
_LEAD_IN = re.compile(
    r"^(?:(?:现将|现予以?|现|特此|特|兹|依法)?(?:公布|发布|编制|制定|印发|形成)|标题|题名"
    r"|(?:附件)?\d{0,3}[-—.、．]*(?=\D))"
)
# What stands where a unit's name should and names none: the title itself (printed twice, on
# two lines, the second's year then follows the first: 「2023年政府信息公开工作年度报告」 read
# as a unit), 「政府」 of a title without a unit (「2023年政府信息公开……」), "this unit", and
# the name of a notice the opening cites (「根据……《某市人民政府办公厅关于做好2023年政府信息公开
# 工作年度报告编制工作的通知》」: a title inside it, of the right year, but no unit's).
_NOT_A_UNIT = re.compile(
    r"信息公开|报告|《|关于"
    r"|^政府$|^(?:本|我)(?:单位|机关|部门|局|委|办|厅|院|中心|署|镇|乡|街道|区|县|市)$"
)
# The year a body that names none in a title or a statistics period is about: the day its
# figures are counted to (「截至2023年12月31日」「截止2023年底」) …
_YEAR_END = re.compile(r"截[至止]\s*((?:19|20)\d{2})\s*年\s*(?:12\s*月\s*31\s*日|底|末)")
# … else the year most sentences of its opening start with (「2023年，我局……」「（二）2023年，」),
# twice at least.
_OPENING_YEAR = re.compile(
    r"(?:^|[。；;！!？?\n])\s*(?:[(（][一二三四五六七八九十\d]{1,3}[)）]\s*)?"
    r"((?:19|20)\d{2})\s*年度?\s*[，,]"
)
_BRACKETED_LABEL = re.compile(r"^[【\[][^】\]]{1,8}[】\]]")
_OPENING_CHARS = 3000
# The end of a file's name read for a title (a zip may name a member with 65,535 bytes).
_NAME_CHARS = 200
# No two \s* meet around an optional word (「\s*日?\s*」): over a long run of whitespace the
# engine would try every split of it between them, at every date (a damaged page's 100,000
# blank cells took 18 s); 「\s*(?:日\s*)?」 matches the same text in one pass.
_DATE = r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})"
# A page's own line: 「发布时间：」, or 「发布日期 2023-01-12」「【发布日期】」 as the cells of its
# information table print it; a bare 「日期：」「时间：」 only where no word stands before it
# (「统计时间：2023年1月1日」 and 「成文日期：」 tell when the figures or the text were made, not
# when the page was published).
_PUBLISHED_LINE = re.compile(
    r"(?:(?:发布时间|发布日期)(?:\s*[:：】\]])?|(?<![\u4e00-\u9fff])(?:时间|日期)\s*[:：])\s*"
    + _DATE
)
# 「发布机构」 and its value in a page's information table, and the labels that table holds
# besides (what follows an empty 发布机构 cell, or a value the crawl glued to the next label).
_PUBLISHER = re.compile(r"发布机构(?:\s*[:：】\]|])?\s*([^\s|:：]{1,60})")
_INFO_LABEL = re.compile(
    r"索引号|发文日期|成文日期|发布日期|发布时间|生成日期|文号|主题分类|体裁分类|有效性|公开方式"
    r"|公开范围|信息来源|来源|分类|关键词|时效|浏览次数"
)
_PRINTED = re.compile(_DATE + r"\s*(?:日\s*)?印\s*发")
_CLOSING_DATE = re.compile(_DATE + r"\s*日\s*$")
_PERIOD = re.compile(
    r"(?:统计期限|统计时限|统计时间|统计期间)[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月"
)
_OFFICE_SUFFIX = re.compile(
    r"(局|委|委员会|办公室|办|厅|中心|署|站|所|院|队|部|处|司|馆|会|支队|大队)$"
)
_TOWNSHIP = re.compile(r"(镇|乡|街道|街道办事处|镇人民政府|乡人民政府|苏木)$")
_GOVERNMENT = re.compile(r"(人民政府|管委会|管理委员会|实验区|新区|区|县|市|旗|州|盟|自治县)$")
_REPRESENTS = re.compile(r"代表[^)）]{0,6}政府")


def body_start(text: str) -> int:
    """Where the report body begins (after a crawler's header block, if any)."""
    # Looked for only where it can be (the pattern has no literal start to skip ahead by).
    marker = _BODY_MARKER.search(text) if "正文" in text else None
    return marker.end() if marker else 0


def _date(match: re.Match[str] | None) -> dt.date | None:
    if match is None:
        return None
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None


def detect_meta(
    text: str, *, last_section: str = "", intro_end: int | None = None, source: str = ""
) -> DetectedMeta:
    """Metadata of a normalised report text; items that cannot be found are None.

    ``source`` is the file's name (or path, or an archive's member): it is read for a title
    last (see the module docstring)."""
    evidence: dict[str, str] = {}
    body = body_start(text)
    header = dict((k, v.strip()) for k, v in _HEADER_LINE.findall(text[:body])) if body else {}
    title = header.get("标题") or None
    unit: str | None = None
    year: int | None = None
    opening = text[body : body + 400]
    # A printed title often wraps (「…年度报」 / 「告」 in a PDF's narrow title line): the opening's
    # first lines joined are the title as written, tried after the text as it stands.
    wrapped = "".join(opening.split("\n", 3)[:3])
    candidates = ((title, "标题"), (opening, "正文开头"), (wrapped, "正文开头（标题跨行）"))
    for candidate, where in candidates:
        found = _title(candidate) if candidate else None
        if found is not None:
            unit, year, said = found
            title = title or said
            evidence["year"] = where
            if unit:
                evidence["unit"] = where
            break
    period = _PERIOD.search(text)
    period_year = int(period.group(1)) if period else None
    if year is None and period_year is not None:
        year = period_year
        evidence["year"] = "统计期限"
    if not unit and header.get("发布机构") and re.search(r"[\u4e00-\u9fff]", header["发布机构"]):
        unit = header["发布机构"]
        evidence["unit"] = "发布机构"
    if not unit:
        unit = _publisher(text[body : body + 800])
        if unit:
            evidence["unit"] = "页面信息表的发布机构"
    named = _title(_file_stem(source)) if source and (year is None or not unit) else None
    if named is not None and named[1] == (year or named[1]):
        if year is None:
            year = named[1]
            evidence["year"] = "文件名"
        if not unit and named[0]:
            unit = named[0]
            evidence["unit"] = "文件名"
    if year is None:
        year = _inferred_year(text[body : body + _OPENING_CHARS], evidence)
    published = _published(text, body, header, last_section, evidence)
    version = detect_version(text, year, evidence)
    intro = text[body : intro_end if intro_end is not None else body + 600]
    kind = detect_kind(unit or "", (title or "") + intro)
    if kind is not None:
        evidence["kind"] = "单位名称与正文（启发式）"
    return DetectedMeta(
        title, unit, year, version, published, kind, evidence, period_year=period_year
    )


def _publisher(opening: str) -> str | None:
    """The unit a page's information table names (「发布机构：某局」, or 「发布机构 某局」 as its
    cells are crawled), when it names one: an empty cell is followed by the next label
    (「发布机构 发文日期 2023-01-12」), which names none."""
    found = _PUBLISHER.search(opening) if "发布机构" in opening else None
    if found is None:
        return None
    name = _INFO_LABEL.split(found.group(1), maxsplit=1)[0]
    # (The title on the next line, after an empty cell, is no unit either: _clean_unit.)
    return _clean_unit(name) if len(name) >= 2 else None


def _title(text: str) -> tuple[str | None, int, str] | None:
    """The unit (None when the title names none), year and words of the first title in
    ``text``. A unit-first reading whose "unit" is no name (:data:`_NOT_A_UNIT`) gives way to
    a year-first one; when neither names a unit, the shorter gives the year and the words (a
    title printed twice is read by the first as one title whose "unit" is the first copy)."""
    first = _TITLE_UNIT_FIRST.search(text) if _TITLE_TAIL.search(text) else None
    hits = [hit for hit in (first, _TITLE_YEAR_FIRST.search(text)) if hit is not None]
    for hit in hits:
        unit = _clean_unit(hit["unit"])
        if unit:
            said = hit.group(0)
            if hit.start("unit") == hit.start():  # (unit first: the title without a lead-in)
                said = said[said.find(unit) :]
            return unit, int(hit["year"]), _one_line(said)
    if not hits:
        return None
    once = min(hits, key=lambda hit: len(hit.group(0)))
    return None, int(once["year"]), _one_line(once.group(0))


def _one_line(title: str) -> str:
    """A title printed over two lines (「某乡」 / 「2021年……报告」), as one."""
    return re.sub(r"\s*\n\s*", "", title) if "\n" in title else title


def _clean_unit(unit: str) -> str | None:
    """The unit's name as a title writes it, or None when those words name no unit."""
    # Breadcrumbs end right before the title: keep the last run of the name. A label of the
    # page's information table may stand before it in brackets (「【发布机构】某局」).
    unit = re.split(r"[>》|]", unit)[-1].strip(" -_·")
    unit = _BRACKETED_LABEL.sub("", unit, count=1)
    lead_in = _LEAD_IN.match(unit)
    if lead_in and len(unit) - lead_in.end() >= 2:
        unit = unit[lead_in.end() :]
    if _NOT_A_UNIT.search(unit) or not re.search(r"[\u4e00-\u9fff]", unit):
        return None  # (no ideograph: 「2024-01-12」 of an information table before the title)
    return unit


def _file_stem(source: str) -> str:
    """A file's name without its folders, its archive and its extension (「省.zip!市/某局2023年
    报告.pdf」→「某局2023年报告」), underscores read as the spaces they stand for."""
    name = re.split(r"[/\\!]", source)[-1]  # (「批次.zip!某局……」: a member of an archive)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem[-_NAME_CHARS:].replace("_", " ")


def _inferred_year(opening: str, evidence: dict[str, str]) -> int | None:
    """The year a body that names it nowhere is about (:data:`_YEAR_END`, then
    :data:`_OPENING_YEAR`), with how it was found; None when neither is clear."""
    end = _YEAR_END.search(opening)
    if end is not None:
        evidence["year"] = "正文「截至年底」的日期（推断）"
        return int(end.group(1))
    counts: dict[int, int] = {}
    for match in _OPENING_YEAR.finditer(opening):
        year = int(match.group(1))
        counts[year] = counts.get(year, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    if not ranked or ranked[0] < 2 or (len(ranked) > 1 and ranked[1] == ranked[0]):
        return None
    evidence["year"] = "正文各句开头的年份（推断）"
    return max(counts, key=lambda year: counts[year])


def _published(
    text: str, body: int, header: dict[str, str], last: str, evidence: dict[str, str]
) -> dt.date | None:
    for key in ("发布时间", "发布日期"):
        if key in header:
            found = _date(re.match(_DATE, header[key]))
            if found:
                evidence["published"] = key
                return found
    found = _date(_PUBLISHED_LINE.search(text, body, body + 800))
    if found:
        evidence["published"] = "正文页面的发布时间"
        return found
    found = _date(_PRINTED.search(text) if "印" in text else None)  # (as in body_start)
    if found:
        evidence["published"] = "印发日期"
        return found
    found = _date(_CLOSING_DATE.search(last.strip()))
    if found:
        evidence["published"] = "落款日期"
        return found
    return None


def detect_version(text: str, year: int | None, evidence: dict[str, str]) -> str | None:
    """The format version from the declared markers; the year's format when none is present."""
    # Already normalised; without whitespace (str.split's whitespace is exactly \s, and
    # splitting is three times faster than re.sub over a whole report).
    key = "".join(text.split())
    scores = {
        version: sum(1 for marker in fmt.markers if compact(marker) in key)
        for version, fmt in FORMATS.items()
    }
    best = max(scores.values())
    winners = [v for v, s in scores.items() if s == best]
    if best > 0 and len(winners) == 1:
        evidence["format_version"] = "表格标志"
        return winners[0]
    if year is not None:
        try:
            version = format_for_year(year).version
        except FormatError:
            return None
        evidence["format_version"] = "报告年度"
        return version
    return None


def detect_kind(unit: str, context: str) -> ReportKind | None:
    """The heuristic of the module docstring."""
    name = compact(unit)
    if "汇总" in compact(context) or "汇总" in name:
        return ReportKind.ROLLUP
    if not name:
        return None
    if _REPRESENTS.search(name):
        return ReportKind.GOVERNMENT
    bare = re.sub(r"[(（][^)）]*[)）]$", "", name)
    if _TOWNSHIP.search(bare):
        return ReportKind.TOWNSHIP
    if bare.endswith(("人民政府", "管委会", "管理委员会")):
        return ReportKind.GOVERNMENT
    if _OFFICE_SUFFIX.search(bare):
        return ReportKind.DEPARTMENT
    if _GOVERNMENT.search(bare):
        return ReportKind.GOVERNMENT
    return None
