"""The seed's prose, as the district office would write it in gongkai: numbers bound to the tables.

The seed's section 一 states 「收到申请 67 件，均按法定时限办结……“无法提供”的 16 件，“其他处理”的
9 件」 beside a table 三 that says 15 and 8, and 6 carried over. Here the same account is the
office's draft prose for its own 2021 report (saved through
:func:`gongkai.reports.services.narrative_save`), its words kept and every number that a table
states written as a placeholder (:mod:`gongkai.core.narrative.placeholders`), so building the
report fills in the office's own figures and the prose cannot contradict its tables. Numbers no
table states (the 15 units that updated the regulation texts, the 32 member units, the 54 and 20
accounts closed) stay as typed, as an office would type them.
"""

from __future__ import annotations

from typing import Final

from gongkai.core.formats import SECTION_OTHER, SECTION_PROBLEMS, SECTIONS

SECTION_OVERVIEW: Final = next(s.code for s in SECTIONS if s.number == "一")

_OVERVIEW: Final = (
    "{年度}年，{单位}以习近平新时代中国特色社会主义思想为指导，严格按照《国务院办公厅关于印发"
    "2021年政务公开工作要点的通知》（国办发〔2021〕12号）和全省政务公开工作主要任务分解表的要求，"
    "坚持以人民为中心深化政务公开，充分发挥政务公开在建设法治政府、服务型政府等方面的促进作用。\n"
    "（一）主动公开情况。加强法定公开内容的发布和更新维护，对《条例》第二十条、第二十一条规定"
    "应主动公开的政府信息，确保及时、准确。本年度制发行政规范性文件"
    "{二（一）.行政规范性文件.本年制发件数}件，废止{二（一）.行政规范性文件.本年废止件数}件，"
    "现行有效{二（一）.行政规范性文件.现行有效件数}件。\n"
    "（二）依申请公开情况。{年度}年，本机关新收政府信息公开申请{三.本年新收}件，"
    "上年结转{三.上年结转}件。从办理结果来看，“予以公开”的{三.予以公开}件，"
    "“部分公开”的{三.部分公开}件，“无法提供”的{三.无法提供}件，“其他处理”的{三.其他处理}件，"
    "结转下年度继续办理{三.结转下年度}件。因政府信息公开引起的行政复议案件{四.行政复议}件，"
    "结果维持{四.行政复议.结果维持}件。\n"
    "（三）政府信息管理情况。实施政府信息动态管理，制定出台《泉港区政府信息动态调整机制（试行）》；"
    "归集整理历史规划（计划），形成《泉港区政府规划（计划）文件汇编》并在政府门户网站发布；"
    "编印《泉港区人民政府行政规范性文件汇编（2020年度）》，于2021年6月28日公布至区政府网站"
    "“本级规范性文件”栏目；组织各部门对照国家正式版本更新区政府网站上的行政法规文本，"
    "全区15个单位完成了更新工作。\n"
    "（四）平台建设情况。开展政府信息公开专栏建设情况专项检查，按国务院页面设计规范对区政府门户网站内"
    "32个政务公开成员单位的政府信息公开指南、公开目录、制度规定和年度报告等版面进行改版。"
    "加强政务新媒体规范管理，全区注销54个长时间未更新的政务新媒体，整合关停20个。\n"
    "（五）监督保障情况。印发《2021年政务公开工作主要任务分解表》，明确重点工作任务和责任单位；"
    "2021年5月20日举办区政府网站与政务新媒体工作培训会，11月16日举办年度政务公开业务培训会；"
    "组织开展2020年度政务公开绩效考评并公布结果，出台2021年度考评指标及扣分标准。"
    "本年度未出现因政务公开工作被责任追究的情形。"
)

_PROBLEMS: Final = (
    "（一）存在的问题。一是政府信息公开专栏内容不完善，多数信息仅在政府门户网站公开，"
    "未在政府信息公开专栏下公开；二是个别政务新媒体平台存在长时间未更新、发布内容不规范问题。\n"
    "（二）改进情况。一是使用政府网站信息引用功能，各单位发布政府信息时同步引用到政务公开栏的相应栏目；"
    "二是建立区政府会议新闻视频共享机制，发布全体会议、常务会议情况时同步提供新闻视频；"
    "三是整合信息量少、运维力量得不到保证的新媒体，定期检查全区新媒体，保证更新、规范内容。"
)

_OTHER: Final = "无其他需要报告的事项。"

# Section code → the office's prose for its own 2021 report; the sections not listed keep the
# default templates' lead sentences before the tables.
SEED_PROSE: Final = {
    SECTION_OVERVIEW: _OVERVIEW,
    SECTION_PROBLEMS: _PROBLEMS,
    SECTION_OTHER: _OTHER,
}
