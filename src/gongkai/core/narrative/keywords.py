"""The keywords of the prose: the words before a number that say what the number is about.

Each keyword maps a wording to a family (a table 三 row, a table 四 row or column, a section 二
row, an applicant column, fee notices) and to the codes it names. The longer wording comes
first where two overlap (予以公开及部分公开 before 部分公开).
"""

from __future__ import annotations

import enum
import re
from collections import deque
from dataclasses import dataclass
from typing import Final

from gongkai.core.formats import (
    COL_COMMERCIAL,
    COL_LEGAL_SERVICES,
    COL_NATURAL_PERSON,
    COL_PUBLIC_INTEREST,
    COL_RESEARCH,
    ORGANISATION_COLUMNS,
    S2_ART20_5,
    S2_ART20_6,
    S2_COERCION,
    S2_IN_FORCE,
    S2_ISSUED,
    S2_LICENSING,
    S2_MADE,
    S2_NORMATIVE_DOCUMENTS,
    S2_PENALTY,
    S2_PUBLISHED,
    S2_REPEALED,
    S2_RULES,
    T3_CARRIED_IN,
    T3_CARRIED_OUT,
    T3_DISCLOSED,
    T3_FEE_UNPAID,
    T3_NEW,
    T3_NO_CORRECTION,
    T3_NOT_PROCESSED,
    T3_NOT_PROCESSED_CONFIRMATION,
    T3_NOT_PROCESSED_EXCESSIVE,
    T3_NOT_PROCESSED_PETITION,
    T3_NOT_PROCESSED_PUBLICATION,
    T3_NOT_PROCESSED_REPEAT,
    T3_OTHER,
    T3_PARTLY_DISCLOSED,
    T3_RESULTS_TOTAL,
    T3_UNAVAILABLE,
    T3_UNAVAILABLE_NEEDS_CREATION,
    T3_UNAVAILABLE_NOT_HELD,
    T3_UNAVAILABLE_UNCLEAR,
    T3_WITHHELD,
    T3_WITHHELD_ENFORCEMENT_FILE,
    T3_WITHHELD_INTERNAL_AFFAIRS,
    T3_WITHHELD_PROCESS_INFO,
    T3_WITHHELD_PROHIBITED_BY_LAW,
    T3_WITHHELD_QUERY_MATTER,
    T3_WITHHELD_STATE_SECRET,
    T3_WITHHELD_THIRD_PARTY,
    T3_WITHHELD_THREE_SAFETY,
    T4_CORRECTED,
    T4_LITIGATION_AFTER,
    T4_LITIGATION_DIRECT,
    T4_LITIGATION_ROWS,
    T4_OTHER_RESULT,
    T4_PENDING,
    T4_RECONSIDERATION,
    T4_UPHELD,
)
from gongkai.core.narrative.leading import anchor_words, leading


class Family(enum.Enum):
    T3 = enum.auto()  # a table 三 row
    NEW = enum.auto()  # 收到/受理 …申请 (needs 申请 nearby)
    REMEDY = enum.auto()  # a table 四 row group (topic)
    OUTCOME = enum.auto()  # a table 四 column, needs a remedy topic
    DOCS = enum.auto()  # a section 二 (一) row: 规章 / 规范性文件
    FEE_NOTICE = enum.auto()
    DECISIONS = enum.auto()  # a section 二 decisions row: 行政许可 / 行政处罚 / 行政强制
    APPLICANT = enum.auto()  # a table 三 column, needs a table 三 topic
    REASON = enum.auto()  # a table 三 sub-row, only in a breakdown of its result category


@dataclass(frozen=True, slots=True)
class Keyword:
    pattern: re.Pattern[str]
    family: Family
    key: tuple[str, ...]


def kw(pattern: str, family: Family, *key: str) -> Keyword:
    return Keyword(re.compile(pattern), family, key)


KEYWORDS: Final = (
    # Table 三 result categories; the combined wording first, so that it wins over 部分公开.
    kw(
        r"(?:予以|(?<!不)同意|全部)公开(?:及|和|与|、|或|以及)部分公开",
        Family.T3,
        T3_DISCLOSED,
        T3_PARTLY_DISCLOSED,
    ),
    kw(r"部分公开", Family.T3, T3_PARTLY_DISCLOSED),
    kw(r"(?:予以|(?<!不)同意|全部)公开", Family.T3, T3_DISCLOSED),  # not 不同意公开
    kw(r"不予公开(?!政府信息|信息|类)", Family.T3, T3_WITHHELD),
    kw(r"无法提供", Family.T3, T3_UNAVAILABLE),
    kw(r"不予处理", Family.T3, T3_NOT_PROCESSED),
    kw(r"其他处理", Family.T3, T3_OTHER),
    kw(r"(?:上一?年度?|去年)(?:度)?(?:结转|转入|遗留|未办结)", Family.T3, T3_CARRIED_IN),
    kw(
        r"(?:结转|转入|顺延|延续)(?:至|到)?下一?年度?|下一?年度?继续办理",
        Family.T3,
        T3_CARRIED_OUT,
    ),
    # 「予以公开答复966件」 are replies of one kind, not all replies: the kind says it.
    # 「当场答复20件」「延期答复3件」「书面答复118件」: replies of one manner, a part of all;
    # 「未办结的5件申请」 are the ones not closed.
    kw(
        r"(?<!未)(?<!没有)办结|办理完毕|(?<!予以公开)(?<!同意公开)(?<!全部公开)(?<!部分公开)(?<!不予公开)"
        r"(?<!延期)(?<!当场)(?<!现场)(?<!书面)(?<!口头)(?<!邮件)(?<!邮寄)(?<!网上)(?<!电话)"
        r"(?<!短信)(?<!在线)答复(?!率)",
        Family.T3,
        T3_RESULTS_TOTAL,
    ),
    kw(r"收到|受理|新收|接收|接到", Family.NEW, T3_NEW),
    # Table 四: the longer wordings first.
    kw(r"复议后(?:提起)?(?:行政)?(?:诉讼|起诉)", Family.REMEDY, T4_LITIGATION_AFTER),
    kw(r"(?:未经复议)?直接(?:提起)?(?:行政)?(?:诉讼|起诉)", Family.REMEDY, T4_LITIGATION_DIRECT),
    kw(r"行政复议|复议", Family.REMEDY, T4_RECONSIDERATION),
    # 「驳回诉讼请求」 is a judgment's words, not a lawsuit.
    kw(r"(?:行政诉讼|诉讼|起诉)(?!请求)", Family.REMEDY, *T4_LITIGATION_ROWS),
    kw(r"(?<!均)(?<!全部)(?:结果)?维持", Family.OUTCOME, T4_UPHELD),
    kw(r"(?:结果)?纠正|被撤销|确认违法", Family.OUTCOME, T4_CORRECTED),
    kw(r"尚未审结|未审结|审理中|未结案", Family.OUTCOME, T4_PENDING),
    kw(r"其他结果", Family.OUTCOME, T4_OTHER_RESULT),
    # Section 二 (一).
    kw(r"规范性文件(?!类)", Family.DOCS, S2_NORMATIVE_DOCUMENTS),
    kw(r"规章(?!制度|类)", Family.DOCS, S2_RULES),
    # 「逾期未按收费通知要求缴纳费用1件」 counts applications (其他处理), not notices.
    kw(r"收费通知(?![^，。；、\d]{0,6}(?:要求|缴纳|缴费|规定))", Family.FEE_NOTICE, "fee_notices"),
    # Section 二 (五) and (六): decisions (「作出行政处罚决定292件」), not lists of items.
    kw(r"行政许可(?!事项|清单|目录|信息|类|相关)", Family.DECISIONS, S2_ART20_5, S2_LICENSING),
    kw(r"行政处罚(?!事项|清单|目录|信息|类|相关)", Family.DECISIONS, S2_ART20_6, S2_PENALTY),
    kw(r"行政强制(?!事项|清单|目录|信息|类|相关)", Family.DECISIONS, S2_ART20_6, S2_COERCION),
    # Table 三 sub-rows: the reasons of a result category, in the words offices write them
    # (「其中本机关不掌握相关政府信息10件」「其中属于国家秘密1件」). （六）3.其他 has no words of
    # its own: 「其他7件」 could be anything, and is read as the rest of a breakdown
    # (claims._REST), never as a sub-row.
    kw(r"国家秘密", Family.REASON, T3_WITHHELD_STATE_SECRET),
    kw(r"法律、?(?:行政)?法规禁止公开|法律行政法规", Family.REASON, T3_WITHHELD_PROHIBITED_BY_LAW),
    kw(r"三安全一稳定|社会稳定", Family.REASON, T3_WITHHELD_THREE_SAFETY),
    kw(r"第三方", Family.REASON, T3_WITHHELD_THIRD_PARTY),
    kw(r"内部事务", Family.REASON, T3_WITHHELD_INTERNAL_AFFAIRS),
    kw(r"过程性", Family.REASON, T3_WITHHELD_PROCESS_INFO),
    kw(r"执法案卷", Family.REASON, T3_WITHHELD_ENFORCEMENT_FILE),
    kw(r"查询事项", Family.REASON, T3_WITHHELD_QUERY_MATTER),
    kw(r"不掌握|未掌握|非本机关|信息不存在", Family.REASON, T3_UNAVAILABLE_NOT_HELD),
    kw(r"没有现成|另行制作|加工", Family.REASON, T3_UNAVAILABLE_NEEDS_CREATION),
    kw(r"不明确", Family.REASON, T3_UNAVAILABLE_UNCLEAR),
    kw(r"信访|举报|投诉", Family.REASON, T3_NOT_PROCESSED_PETITION),
    kw(r"重复申请", Family.REASON, T3_NOT_PROCESSED_REPEAT),
    kw(r"出版物", Family.REASON, T3_NOT_PROCESSED_PUBLICATION),
    kw(r"大量反复|反复申请", Family.REASON, T3_NOT_PROCESSED_EXCESSIVE),
    kw(r"重新出具|确认", Family.REASON, T3_NOT_PROCESSED_CONFIRMATION),
    kw(r"不补正|未补正", Family.REASON, T3_NO_CORRECTION),
    kw(r"缴纳费用|缴费", Family.REASON, T3_FEE_UNPAID),
    # Table 三 columns.
    kw(r"自然人", Family.APPLICANT, COL_NATURAL_PERSON),
    kw(r"商业企业", Family.APPLICANT, COL_COMMERCIAL),
    kw(r"科研机构", Family.APPLICANT, COL_RESEARCH),
    kw(r"社会公益组织", Family.APPLICANT, COL_PUBLIC_INTEREST),
    kw(r"法律服务机构", Family.APPLICANT, COL_LEGAL_SERVICES),
    kw(
        r"法人或其他组织|法人和其他组织",
        Family.APPLICANT,
        *ORGANISATION_COLUMNS,
    ),
)
# 申请人 is who applied, not applications (「收到申请人补正材料4件」).
APPLICATION_WORD: Final = re.compile(r"申请(?!人)")
# What else an office receives, handles and answers: a count received (收到, 受理) or closed
# (办结, 答复) of these is not of disclosure applications. The nearer of these and 申请 before
# a count says which it is about (「受理行政复议案件12件，办结10件」, 「答复人大代表建议12件」).
OTHER_MATTERS: Final = re.compile(
    r"建议|提案|议案|热线|工单|12345|来信|来访|信访|信件|投诉|举报|留言|诉求|咨询|许可|审批"
    r"|复议|诉讼|督办|督查|转办|交办|线索"
)
# 「受理行政许可申请1200件，办结1198件」: 申请 right after a matter is that matter's.
# Matters named only by the word right before 申请 (「个人独资企业登记申请」, 「社会救助申请」):
# alone, these words are as often the subject of a disclosure application.
MATTER_BEFORE_APPLICATION: Final = re.compile(
    r"(?:登记|救助|补贴|补助|低保|备案|核准|认定|注册|补偿|鉴定|仲裁|认证|资格|办证)申请"
)
MATTER_OR_APPLICATION: Final = leading(
    f"(?:{OTHER_MATTERS.pattern})(?:申请)?|{MATTER_BEFORE_APPLICATION.pattern}|申请"
)
# 「受理行政复议案件12件」: the office as the reconsideration body (a 司法局, a government),
# not as the one whose disclosure was challenged, which is what table 四 counts.
AS_REVIEW_BODY: Final = re.compile(r"(?:受理|办理|审理|收到)(?:了|各类)?\s*$")
# The office as the review body in other wordings: a body's verb before the remedy in its
# clause with no 被 after it (「审结行政复议案件10件」, 「全年办理政府信息公开行政复议案件40件」),
# or a sentence naming the office as 复议机关.
REVIEW_BODY_VERB: Final = re.compile(
    r"(?:受理|办理|审理|收到|审结|承办|办结|作出|处理|复核|转办)(?![^被]*被)"
)
REVIEW_BODY: Final = re.compile(r"复议机关|复议机构")
# The office as the respondent, right before the remedy (「被申请行政复议」「被提起行政诉讼」).
RESPONDENT: Final = re.compile(r"被(?:申请|提起)了?(?:政府信息公开)?(?:行政)?$")
# Words between a remedy and its number that make the number documents, not cases
# (「行政复议决定书」, 「作出行政复议决定10件」).
REMEDY_DOCUMENTS: Final = re.compile(r"决定|书|判决|裁定|意见")


def review_body_named(sentence: str) -> int | None:
    """Where 复议机关 is first named in a sentence (the end of the words), if it is."""
    named = REVIEW_BODY.search(sentence)
    return None if named is None else named.end()


def as_review_body(clause: str, *, at: int, named: int | None, after: str = "") -> bool:
    """Whether the remedies named right after ``clause`` are the office's as the review body.

    The prose check asks it of a count (「受理行政复议案件12件」), the rate rules of a rate
    (「受理行政复议案件同比增长20%」), so that neither compares such figures with table 四,
    which counts the office's cases as the one whose disclosure was challenged. It is: with a
    body's verb in ``clause`` with no 被 after it (受理, 审结…), with words after the
    remedy that make the figure papers (``after``: 「行政复议决定书3件」), or in a sentence that
    names 复议机关 (``named``: :func:`review_body_named`) unless the office is the respondent
    (「被申请行政复议3件，复议机关均予维持」: 复议机关 named only after the figure, at ``at``,
    is the other body, deciding this office's cases).
    """
    if (
        AS_REVIEW_BODY.search(clause)
        or REVIEW_BODY_VERB.search(clause)
        or (after and REMEDY_DOCUMENTS.search(after))
    ):
        return True
    if named is None:
        return False
    return not (RESPONDENT.search(clause) is not None and named > at)


# Words between a keyword and its number that make the number something else than
# applications: replies the applicants were satisfied with, letters and papers sent or
# received (「对答复满意的205件」, 「发出延期答复告知书3件」, 「收到申请人补正材料4件」).
NOT_APPLICATION_COUNT: Final = re.compile(r"满意|告知|书|函|材料|线索|电话|短信")
# A change between any keyword and its count makes the count a difference, not a count
# (「收到申请数量较上年增加12件」, 「行政复议案件较上年减少2件」).
CHANGE: Final = re.compile(r"较|比上|同比|环比|增加|减少|增长|下降|上升|增多|减少")
# An outcome between a remedy and its count makes it that outcome's, not all cases
# (「复议纠错2件」, 「诉讼败诉1件」, 「判决驳回3件」).
REMEDY_OUTCOME_BETWEEN: Final = re.compile(r"纠错|纠正|败诉|胜诉|驳回|撤诉|撤销|确认违法|维持")
# A reason before a result (「因属于国家秘密不予公开2件」) makes the count that reason's, a
# part of the category; 「因…等原因无法提供16件」 names the whole category.
REASON_BEFORE: Final = re.compile(r"(?:因|由于|属于)[^等，。；]{2,}$")
# A count of last year's (「上年度收到申请58件」, 「去年受理申请58件」), not this year's; 上年结转
# is this year's carried-over row and is a keyword of its own.
PAST_YEAR: Final = re.compile(r"(?:上一?年度?|去年|前一?年|同期)(?!度?(?:结转|转入|遗留|未办结))")
# A remedy carried over (「上年度结转的行政复议案件1件已审结」「结转的行政诉讼」): last year's
# case, which PAST_YEAR passes over since 上年结转 is a row of table 三.
CARRIED_REMEDY: Final = re.compile(r"结转|转入|遗留")
# 「上年结转的3件申请中，予以公开2件」: results of the carried-over ones, a part of each row.
CARRIED_IN_FRAME: Final = re.compile(
    r"(?:上一?年度?|去年|结转)[^，。；]*?\d+\s*件[^，。；\d]{0,6}中"
)
# Several years' counts (「近三年累计收到申请180件」, 「2019年至2021年共收到」, 「截至目前，累计
# 受理…」), not the year's.
SEVERAL_YEARS: Final = leading(
    r"近[\d两二三四五六七八九十]+年|历年|以来|至今|截至目前|年来"
    r"|(?:19|20)\d{2}\s*(?:年\s*)?(?:至|到|—|－|-|~)\s*(?:19|20)\d{2}\s*年"
)
# January to December, the whole year in months (「1-12月」「1月至12月」).
_ALL_MONTHS: Final = r"(?:1|一)\s*(?:月\s*)?(?:至|到|-|—|－|~)\s*(?:12|十二)\s*月(?:份)?"
# A part of the year (「第四季度收到申请20件」「上半年」「1-6月」「12月收到的」), not the year;
# not a day (「截至12月31日」) nor the month's end (「截至12月底」), which close the year, nor
# all twelve months (group ``whole``, matched first so that its 12月 is not a part).
PART_OF_YEAR: Final = re.compile(
    rf"(?P<whole>{_ALL_MONTHS})|季度|[上下]半年"
    r"|(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:份)?(?!\s*[\d一二三四五六七八九十]+\s*日|底|末)"
)
# The whole year named after such a part (「上半年开展培训，全年收到申请67件」).
WHOLE_YEAR: Final = re.compile(rf"全年|本年度|全年度|年度内|一年来|{_ALL_MONTHS}")
# Two remedies joined before one count (「行政复议和行政诉讼案件共5件」): their sum.
REMEDIES_JOINED: Final = re.compile(
    r"(?:复议|诉讼)(?:案件)?(?:和|及|与|、|以及|或)(?:行政)?(?:复议|诉讼)"
)
# 「本机关无行政复议职能」: no power to review, not no reviews.
# 「未发生复议后提起行政诉讼的情况」: none of one kind of lawsuit, not none at all.
NONE_REMEDY_NOT: Final = re.compile(r"职能|职责|权限|复议后|复议决定|经复议|直接")
# A year written in a sentence before a count: the claim is that year's
# (「2022年收到申请58件」 in a report on 2023 compares nothing of its tables).
WRITTEN_YEAR: Final = re.compile(r"((?:19|20)\d{2})\s*年")
# Last year named as the time a figure is of (「上年度，予以公开占比40%」「去年办结率95%」), not
# as what this year's is compared with (「较上年」「与去年相比」「上年同期」), nor 上年结转.
LAST_YEAR_SAID: Final = leading(
    r"(?<![较比与和同跟对])(?:上一?年度?|去年|前一?年)"
    r"(?!度?(?:同期|相比|比较|持平|结转|转入|遗留|未办结))"
)
# Words between 规范性文件 or 规章 and a count that make it other papers about them.
NOT_DOCUMENTS: Final = re.compile(r"解读|材料|草案|审核|审查|备案|意见|清理")
# A running total of documents (「累计公开规范性文件368件」, 「对外公开规章总数量524件」) is not
# the year's made or published; 现行有效 is a total by name and is read.
# 「印发规范性文件管理办法1件」: a document about the documents, not one of them.
DOC_ABOUT: Final = re.compile(r"管理|办法|制度|目录|清单|细则|工作|数据库|平台")
DOC_RUNNING_TOTAL: Final = re.compile(r"累计|总数|总量|历年|至今")
# A later clause on a part of the documents before (「其中以区政府名义制发15件」).
DOC_PART: Final = re.compile(r"其中|包括|包含|含|名义|分别")
# 依申请公开 contains 申请 but names a kind of information, not applications.
NOT_APPLICATIONS: Final = re.compile(r"依申请")
APPLICATION_AFTER: Final = re.compile(r"^\s*(?:(?:份|个|条)\s*)?(?:政府信息公开)?申请")
# 「区政府办代表区政府」 just before the verb: who acts, and for whom.
ON_BEHALF: Final = re.compile(
    r"([^，,。；;：:\s]{1,12}代表[^，,。；;：:\s]{1,10})\s*(?:(?:共|共计|累计)\s*)?$"
)


class DocVerb(enum.StrEnum):
    """What the prose says was done to documents; the value is how a message says it."""

    IN_FORCE = "现行有效"
    REPEALED = "废止"
    MADE = "制发"
    PUBLISHED = "发布"


# Section 二 (一) verbs, most specific first.
DOC_VERBS: Final = (
    (re.compile(r"现行有效"), DocVerb.IN_FORCE),
    (re.compile(r"废止|宣布失效"), DocVerb.REPEALED),
    (re.compile(r"制发|印发|出台|制定|新制作|制作"), DocVerb.MADE),
    (re.compile(r"发布|公开|公布"), DocVerb.PUBLISHED),
)
# verb → the columns it may name, (column code, firm), the first one the format has wins: the
# 2021 format has 制发/废止/现行有效 (发布 N 件 may or may not be 制发), the 2019 trial format
# 新制作/新公开.
DOC_COLUMNS: Final[dict[DocVerb, tuple[tuple[str, bool], ...]]] = {
    DocVerb.IN_FORCE: ((S2_IN_FORCE, True),),
    DocVerb.REPEALED: ((S2_REPEALED, True),),
    DocVerb.MADE: ((S2_ISSUED, True), (S2_MADE, True)),
    DocVerb.PUBLISHED: ((S2_PUBLISHED, True), (S2_ISSUED, False)),
}

ALL_UPHELD: Final = re.compile(r"均(?:获|被|予以|予|为)?维持|全部(?:被|获)?维持|均获支持")
ALL_CLOSED: Final = re.compile(r"均已(?:结案|审结|办结)|全部(?:结案|审结)")
NONE_REMEDY: Final = re.compile(
    r"(?:没有|未发生|未出现|未有|无)(?P<span>[^，。；,;\d]{0,30}?(?:行政复议|行政诉讼)"
    r"[^，。；,;\d]{0,20})"
)
REMEDY_CORRECTION: Final = re.compile(r"纠正|纠错|败诉|撤销|确认违法|被诉")
FEE_WORD: Final = re.compile(r"信息处理费")
FEE_NONE: Final = re.compile(r"(?:未|没有|无|不|免)收(?:取)?(?:任何)?信息处理费|无收取信息处理费")
FEE_COLLECT: Final = re.compile(r"收取|收缴|收费")
FEE_NOTICE_NONE: Final = re.compile(
    r"(?:未|没有|无)(?:发出|发放|出具|下发|送达|发送)(?:过|任何)?(?:信息处理费)?收费通知"
)


@dataclass(frozen=True, slots=True)
class Hit:
    keyword: Keyword
    start: int
    end: int
    text: str


class KeywordSet:
    """The keywords of some families, with one combined pattern to skip text that has none."""

    def __init__(self, families: frozenset[Family]) -> None:
        self.keywords = tuple(k for k in KEYWORDS if k.family in families)
        self.any = re.compile("|".join(f"(?:{k.pattern.pattern})" for k in self.keywords))
        self._tells = tuple(
            (k, anchor_words(k.pattern.pattern), _literal_chars(k.pattern.pattern))
            for k in self.keywords
        )

    def _candidates(self, text: str) -> list[Keyword]:
        """The keywords that may match ``text``: those with one of their anchor words in it
        (a substring test, in C), else those sharing a character with it. Told by their
        characters alone, most keywords of a clause with any were searched for nothing."""
        present: set[str] | None = None
        found = []
        for keyword, anchors, chars in self._tells:
            if anchors is not None:
                for anchor in anchors:
                    if anchor in text:
                        found.append(keyword)
                        break
                continue
            if chars is not None:
                if present is None:
                    present = set(text)
                if chars.isdisjoint(present):
                    continue
            found.append(keyword)
        return found

    def last(self, text: str) -> Hit | None:
        """The keyword ending nearest the end of ``text``; the longer one on a tie.

        The candidates are told before any search, not after the combined pattern's: most
        clauses have none, and telling them is cheaper than that search."""
        best: tuple[Keyword, re.Match[str]] | None = None
        best_end = best_size = -1
        for keyword in self._candidates(text):
            # A keyword's matches end further along one after another: its last one is its
            # nearest to the end.
            tail = deque(keyword.pattern.finditer(text), maxlen=1)
            if not tail:
                continue
            match = tail[0]
            end = match.end()
            size = end - match.start()
            if end > best_end or (end == best_end and size > best_size):
                best, best_end, best_size = (keyword, match), end, size
        if best is None:
            return None
        keyword, match = best
        return Hit(keyword, match.start(), best_end, match.group())

    def first(self, text: str) -> Hit | None:
        """The keyword starting nearest the start of ``text``."""
        if not self.any.search(text):
            return None
        best: Hit | None = None
        for keyword in self._candidates(text):
            match = keyword.pattern.search(text)
            if match and (best is None or match.start() < best.start):
                best = Hit(keyword, match.start(), match.end(), match.group())
        return best


# The syntax the keyword patterns use besides literal characters.
_SYNTAX: Final = frozenset("()?:|!<=")


def _literal_chars(pattern: str) -> frozenset[str] | None:
    """Characters one of which every match of ``pattern`` holds, if it is literal words.

    A pattern of literal words, optional groups, alternatives and lookarounds matches only
    characters written in it, so a text with none of them cannot match (a set test, much
    cheaper than the search). None for any other pattern: it is always searched.
    """
    if any(c in pattern for c in "\\[].*+{}^$"):
        return None
    return frozenset(c for c in pattern if c not in _SYNTAX)


ROW_FAMILIES: Final = frozenset(
    {
        Family.T3,
        Family.NEW,
        Family.REMEDY,
        Family.OUTCOME,
        Family.DOCS,
        Family.FEE_NOTICE,
        Family.DECISIONS,
    }
)
# Words between a decisions keyword and its number that make the number something else
# (applications about licensing, information items, disclosures).
# Looked for in the whole clause: 「申请公开行政处罚决定书的8件」, 「涉及行政许可的12件」,
# 「公示行政处罚结果420件」 count applications or items about decisions. 「行政强制执行3件」
# 「行政处罚决定强制执行2件」 count enforcement of decisions (by the office or a court), not the
# decisions the table counts.
NOT_DECISIONS: Final = re.compile(
    r"申请|信息|公开|公示|事项|清单|涉及|结果|书|案件|立案|结案|强制执行"
)
ROWS: Final = KeywordSet(ROW_FAMILIES)
APPLICANTS: Final = KeywordSet(frozenset({Family.APPLICANT}))
REMEDIES: Final = KeywordSet(frozenset({Family.REMEDY}))
T3_ROWS: Final = KeywordSet(frozenset({Family.T3}))
REASONS: Final = KeywordSet(frozenset({Family.REASON}))
