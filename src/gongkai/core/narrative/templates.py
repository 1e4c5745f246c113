"""The default prose of each section, as data: where a new draft starts.

Worded as the reports of district offices are (the seed, 泉港区 2021: 「全区共收到政府信息公开
申请 67 件……“予以公开”的 36 件」), with every number a placeholder
(:mod:`gongkai.core.narrative.placeholders`) bound to the cell it states. The officer replaces
the bracketed 〔…〕 notes with the unit's own account and keeps, moves or drops the
placeholders; a number the officer types instead is checked against the tables as any other.

Sections 二–四 are the statutory tables; their text is one lead sentence before the table.
Section 六's fee sentence is not here: the builder generates it from the fee notices
(:mod:`gongkai.reports.fees`) and puts it before the officer's text.
"""

from __future__ import annotations

from typing import Final

from gongkai.core.formats import FORMAT_2019, FORMAT_2021, SECTIONS, ReportFormat

_SECTION = {s.number: s.code for s in SECTIONS}
# The brackets around a template's note to the officer (〔请填写…〕): never a report's own words.
NOTE_OPEN: Final = "〔"
NOTE_CLOSE: Final = "〕"

_REQUESTS: Final = (
    "（二）依申请公开情况。{年度}年，本机关新收政府信息公开申请{三.本年新收}件，"
    "上年结转{三.上年结转}件。从办理结果看，予以公开{三.予以公开}件，部分公开{三.部分公开}件，"
    "不予公开{三.不予公开}件，无法提供{三.无法提供}件，不予处理{三.不予处理}件，"
    "其他处理{三.其他处理}件，结转下年度继续办理{三.结转下年度}件。\n"
    "（三）行政复议和行政诉讼情况。因政府信息公开引起行政复议{四.行政复议}件，"
    "其中结果维持{四.行政复议.结果维持}件，结果纠正{四.行政复议.结果纠正}件。\n"
)

_CLOSING: Final = (
    "（四）政府信息管理和平台建设情况。〔请填写：信息发布审核、政府网站和政务新媒体建设情况〕\n"
    "（五）监督保障情况。〔请填写：工作机构、培训、考核和责任追究情况〕"
)

_OVERVIEW: Final = (
    "{年度}年，{单位}认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "坚持以公开为常态、不公开为例外，〔请填写本年度政务公开工作的总体情况〕。\n"
)

_PROACTIVE_2021: Final = (
    "（一）主动公开情况。本年度制发规范性文件{二（一）.行政规范性文件.本年制发件数}件，"
    "废止{二（一）.行政规范性文件.本年废止件数}件，"
    "现行有效{二（一）.行政规范性文件.现行有效件数}件；"
    "〔请填写主动公开政府信息的数量和分类〕。\n"
)

_PROACTIVE_2019: Final = (
    "（一）主动公开情况。本年度新制作规范性文件{二（一）.规范性文件.本年新制作数量}件，"
    "〔请填写主动公开政府信息的数量和分类〕。\n"
)

_PROBLEMS: Final = (
    "（一）存在的主要问题。〔请填写本年度政府信息公开工作存在的主要问题〕\n"
    "（二）改进情况。〔请填写针对上述问题已经和将要采取的改进措施〕"
)

_OTHER: Final = "本年度无其他需要报告的事项。"


def _templates(proactive: str) -> dict[str, str]:
    return {
        _SECTION["一"]: _OVERVIEW + proactive + _REQUESTS + _CLOSING,
        _SECTION["二"]: "本年度主动公开政府信息情况如下表。",
        _SECTION["三"]: "本年度收到和处理政府信息公开申请情况如下表。",
        _SECTION["四"]: "本年度政府信息公开行政复议、行政诉讼情况如下表。",
        _SECTION["五"]: _PROBLEMS,
        _SECTION["六"]: _OTHER,
    }


# Format version → section code → template.
DEFAULT_TEMPLATES: Final[dict[str, dict[str, str]]] = {
    FORMAT_2021.version: _templates(_PROACTIVE_2021),
    FORMAT_2019.version: _templates(_PROACTIVE_2019),
}


def default_template(fmt: ReportFormat, section: str) -> str:
    """The prose a new draft of ``section`` starts from in ``fmt`` (empty for an unknown one)."""
    return DEFAULT_TEMPLATES.get(fmt.version, {}).get(section, "")
