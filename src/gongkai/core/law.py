"""Statutory facts as data: periods, deadlines, channels, the fee schedule.

This module is the only place in gongkai where a legal number is written down. Everything
else (the case clock, the fee calculator, the rules, the web application, the letters) reads
it from here, so that a change in the law is one edit. Each fact cites its source; the keys
([R], [FEE], [T15], [F21]) are those of ``shared/LEGAL.md``.

Points that LEGAL.md marks UNVERIFIED are kept as *policy switches* in :class:`ClockPolicy`
and :class:`FeePolicy` with the documented default, never hidden inside the code that uses them.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

# ---------------------------------------------------------------------------------------------
# The Regulation (《政府信息公开条例》, 国务院令第711号), in force 2019-05-15 (Art 56).
# ---------------------------------------------------------------------------------------------

REGULATION_NAME: Final = "《中华人民共和国政府信息公开条例》"
REGULATION_IN_FORCE: Final = dt.date(2019, 5, 15)  # [R] Art 56


@dataclass(frozen=True, slots=True)
class Period:
    """A statutory period counted in working days, with the provision it comes from."""

    working_days: int
    article: str
    label: str

    def __int__(self) -> int:
        return self.working_days


# [R] Art 33 ¶2: reply within 20 working days of receipt.
REPLY_PERIOD: Final = Period(20, "《条例》第三十三条第二款", "答复期限")
# [R] Art 33 ¶2: extension with the disclosure office head's consent, at most 20 working days.
EXTENSION_MAX: Final = Period(20, "《条例》第三十三条第二款", "延长答复期限")
# [R] Art 30: tell the applicant once, within 7 working days of receipt, what to supplement.
CORRECTION_NOTICE_PERIOD: Final = Period(7, "《条例》第三十条", "补正告知期限")
# [R] Art 32: a consulted third party answers within 15 working days of receiving the letter.
THIRD_PARTY_CONSULTATION_PERIOD: Final = Period(15, "《条例》第三十二条", "第三方征求意见期限")
# [R] Art 34: a consulted agency answers within 15 working days; silence is consent.
INTER_AGENCY_CONSULTATION_PERIOD: Final = Period(15, "《条例》第三十四条", "机关间征求意见期限")
# [FEE] 国办函〔2020〕109号: pay within 20 working days from the day after receiving the notice.
FEE_PAYMENT_PERIOD: Final = Period(20, "《政府信息公开信息处理费管理办法》", "缴费期限")
# [R] Art 26: publish proactive information within 20 working days of its formation or change.
PROACTIVE_PUBLICATION_PERIOD: Final = Period(20, "《条例》第二十六条", "主动公开期限")

# [R] Art 35: requests clearly excessive in number or frequency whose reasons are reasonable but
# cannot be answered within the Art 33 periods: the agency sets a reasonable later due date and
# notifies the applicant (延迟答复). No number: the law leaves the date to the agency.
DELAYED_REPLY_ARTICLE: Final = "《条例》第三十五条"

# 2008 Regulation (国务院令第492号) Art 24 ¶2: reply within 15 working days of receipt; extension
# with the disclosure office head's consent, at most 15 working days. Its Art 24 ¶3 excludes only
# the time spent consulting a third party (Art 23 sets the third party no period to answer); it
# has no 7-day 补正 notice (Art 21(四) only says to tell the applicant to change or supplement),
# no inter-agency consultation rule, no Art 35 delayed reply and no 信息处理费 (its Art 27 allows
# only 检索、复制、邮寄 costs, which do not touch the clock). Text: 政府信息公开条例(2007-04-05),
# LawRefBook/Laws mirror. See REGULATION_2008 below.


@dataclass(frozen=True, slots=True)
class Regulation:
    """One version of the Regulation, with the periods the case clock reads from it.

    ``None`` means the version has no such period or procedure: the clock then refuses the step
    that would need it, with the version's name, rather than borrow one from the other version.
    """

    name: str
    in_force: dt.date
    reply: Period
    extension_max: Period
    correction_notice: Period | None
    third_party_window: Period | None
    inter_agency_window: Period | None
    processing_fee: bool
    delayed_reply: bool


# [R] Art 30: the agency tells the applicant once (一次性告知) what to supplement. The case
# clock refuses a further 补正 notice beyond this many.
MAX_CORRECTION_REQUESTS: Final = 1
# [R] Art 33 ¶2: the office head may extend the reply period (延长答复期限) by at most
# EXTENSION_MAX; gongkai reads this as one extension. The case clock refuses another.
MAX_EXTENSIONS: Final = 1

REGULATION_2019: Final = Regulation(
    name="2019年修订的《条例》（国务院令第711号）",
    in_force=REGULATION_IN_FORCE,
    reply=REPLY_PERIOD,
    extension_max=EXTENSION_MAX,
    correction_notice=CORRECTION_NOTICE_PERIOD,
    third_party_window=THIRD_PARTY_CONSULTATION_PERIOD,
    inter_agency_window=INTER_AGENCY_CONSULTATION_PERIOD,
    processing_fee=True,
    delayed_reply=True,
)
# The 2008 Regulation (国务院令第492号), in force 2008-05-01 (its Art 38). Applications received
# before REGULATION_IN_FORCE follow it (LEGAL.md §5.6); before its own day no period existed.
REGULATION_2008: Final = Regulation(
    name="2008年施行的《条例》（国务院令第492号）",
    in_force=dt.date(2008, 5, 1),  # its Art 38
    reply=Period(15, "2008年《条例》第二十四条第二款", "答复期限"),
    extension_max=Period(15, "2008年《条例》第二十四条第二款", "延长答复期限"),
    correction_notice=None,
    third_party_window=None,
    inter_agency_window=None,
    processing_fee=False,
    delayed_reply=False,
)


class NoRegulationError(ValueError):
    """The day is before any version of the Regulation was in force."""


def regulation_for(receipt: dt.date) -> Regulation:
    """The version that governs an application received on ``receipt`` (LEGAL.md §5.6).

    The 2019 revision has no transitional clause; gongkai applies the version in force on the
    day of receipt, the day every period counts from. Before 2008-05-01 there was no Regulation
    and so no period: :class:`NoRegulationError`.
    """
    if receipt >= REGULATION_IN_FORCE:
        return REGULATION_2019
    if receipt >= REGULATION_2008.in_force:
        return REGULATION_2008
    raise NoRegulationError(
        f"{receipt.isoformat()} 收到的申请早于{REGULATION_NAME}施行之日"
        f"（{REGULATION_2008.in_force.isoformat()}），当时没有法定的答复期限"
    )


class ReportDeadlineKind(enum.StrEnum):
    """Whose annual report it is, for the Article 49 deadline."""

    DEPARTMENT = "department"
    GOVERNMENT = "government"


@dataclass(frozen=True, slots=True)
class MonthDay:
    month: int
    day: int

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)


# [R] Art 49: county-level-and-above departments publish last year's report by 31 January;
# the disclosure authority of county-level-and-above governments publishes the government's
# own report by 31 March. Townships are not named: there is no national deadline for their
# reports (in practice the county collects and publishes them, on its own schedule, LEGAL.md
# §7), so a township report is never late under national law; a province's own deadline is
# PublicationPolicy.township_deadline.
ANNUAL_REPORT_DEADLINE: Final[dict[ReportDeadlineKind, MonthDay]] = {
    ReportDeadlineKind.DEPARTMENT: MonthDay(1, 31),
    ReportDeadlineKind.GOVERNMENT: MonthDay(3, 31),
}
ANNUAL_REPORT_ARTICLE: Final = "《条例》第四十九条"
# What an annual report contains (Art 50: 主动公开, 申请, 复议诉讼, 存在的主要问题及改进情况,
# 其他需要报告的事项), laid out in the format's six sections (LEGAL.md §2.1).
ANNUAL_REPORT_CONTENT_ARTICLE: Final = "《条例》第五十条"
# The 2021 format's notice, part 二(四): inaccurate or incomplete report content leads to
# accountability (LEGAL.md §2.1); a duplicated word is the least of such defects.
ANNUAL_REPORT_ACCURACY_NOTICE: Final = "国办公开办函〔2021〕30号 二（四）"


@dataclass(frozen=True, slots=True)
class PublicationPolicy:
    """Local publication deadlines a deployment adds to Art 49 (LEGAL.md §7: local rules)."""

    # A province's (or county's) own deadline for township reports, e.g. 怀化: 2-20; None = no
    # deadline, as in national law.
    township_deadline: MonthDay | None = None
    # The rule that sets it, named in the finding, e.g. "怀化市政府信息公开年度报告工作通知".
    township_deadline_source: str = ""


DEFAULT_PUBLICATION_POLICY: Final = PublicationPolicy()

# Remedies named in every reply letter (the letter must tell the applicant how to challenge it).
# 《中华人民共和国行政复议法》(2023 revision) Art 20: apply within 60 days of knowing the act.
RECONSIDERATION_PERIOD_DAYS: Final = 60
# 《中华人民共和国行政诉讼法》 Art 46: sue within 6 months of knowing the act.
LITIGATION_PERIOD_MONTHS: Final = 6


class Channel(enum.StrEnum):
    """How an application reached the agency ([R] Art 29, Art 31; [T15])."""

    IN_PERSON = "in_person"  # 当面提交
    REGISTERED_MAIL = "registered_mail"  # 挂号信/EMS 等需签收的邮件
    ORDINARY_MAIL = "ordinary_mail"  # 平信（无需签收）
    ONLINE = "online"  # 互联网渠道（网上申请平台）
    EMAIL = "email"  # 电子邮件
    FAX = "fax"  # 传真
    ORAL = "oral"  # 口头提出，工作人员代为填写


CHANNEL_LABELS: Final[dict[Channel, str]] = {
    Channel.IN_PERSON: "当面提交",
    Channel.REGISTERED_MAIL: "信函（需签收）",
    Channel.ORDINARY_MAIL: "信函（平信）",
    Channel.ONLINE: "网络平台",
    Channel.EMAIL: "电子邮件",
    Channel.FAX: "传真",
    Channel.ORAL: "口头申请",
}


class ReceiptRule(enum.StrEnum):
    """Which event fixes the date of receipt ([R] Art 31)."""

    SUBMITTED = "submitted"  # the day the applicant hands it in
    SIGNED_FOR = "signed_for"  # the day the agency signs for the mail
    CONFIRMED = "confirmed"  # the day the office confirms with the applicant (both sides)


# [R] Art 31: in person → submission day; mail requiring signature → signing day; ordinary
# letter → the office confirms with the applicant *the same day* (当日), the confirmation day
# counts; internet channel or the office's fax → the day both sides confirm (Art 31(三)). E-mail
# is an internet channel (LEGAL.md §5.6), so it is CONFIRMED by default; the older [T15] rule
# (the day the mail system receives it, SUBMITTED) predates the revision and is the switch
# ClockPolicy.email_receipt, read through receipt_rule(). Oral requests
# ([R] Art 29) are recorded by staff in the applicant's presence, so they count like in person.
RECEIPT_RULES: Final[dict[Channel, ReceiptRule]] = {
    Channel.IN_PERSON: ReceiptRule.SUBMITTED,
    Channel.ORAL: ReceiptRule.SUBMITTED,
    Channel.REGISTERED_MAIL: ReceiptRule.SIGNED_FOR,
    Channel.ORDINARY_MAIL: ReceiptRule.CONFIRMED,
    Channel.ONLINE: ReceiptRule.CONFIRMED,
    Channel.FAX: ReceiptRule.CONFIRMED,
    Channel.EMAIL: ReceiptRule.CONFIRMED,
}
RECEIPT_ARTICLE: Final = "《条例》第三十一条"


class ResultYearBasis(enum.StrEnum):
    """Which day of a case puts its result in a year's table 三 (see ClockPolicy.result_year)."""

    DECISION = "decision"
    REPLY = "reply"


@dataclass(frozen=True, slots=True)
class ClockPolicy:
    """How the working-day clock treats the points the law leaves open (LEGAL.md §8).

    The defaults are standard practice; a deployment that reads its province's rules
    differently changes them here rather than in the clock.

    That the day of receipt is not counted (counting starts the next day, LEGAL.md §5.2) is not
    a switch: it is the convention of every period in gongkai (the calendar counts (a, b]), and
    a switch that the arithmetic did not read would only mislead.
    """

    # 调休 make-up weekend days are working days for agencies (LEGAL.md §5.2, practice).
    makeup_days_are_workdays: bool = True
    # Whether the fee-payment period is excluded from the reply period (UNVERIFIED, §4/§8.5).
    # Practically it must be: the notice is sent inside the period and the applicant has 20 WD.
    fee_payment_pauses_clock: bool = True
    # Art 31(三): e-mail is an internet channel, received the day both sides confirm (LEGAL.md
    # §5.6). SUBMITTED follows [T15] (2015): the day the mail system received it.
    email_receipt: ReceiptRule = ReceiptRule.CONFIRMED
    # The year a result counts in for table 三 of the annual report: the day the agency decided
    # (DECISION, default: the result is reached then, and a reply sent on 2 January for a
    # decision of 30 December is last year's result) or the day the reply was sent (REPLY). The
    # 30号 format does not say (LEGAL.md §8.3, no official 填报说明); a case ended without a reply
    # (withdrawn, deemed withdrawn, fee unpaid) counts by the day it ended under both.
    result_year: ResultYearBasis = ResultYearBasis.DECISION


DEFAULT_CLOCK_POLICY: Final = ClockPolicy()


def receipt_rule(channel: Channel, policy: ClockPolicy = DEFAULT_CLOCK_POLICY) -> ReceiptRule:
    """Which event fixes the day of receipt for ``channel`` under ``policy`` ([R] Art 31)."""
    if channel is Channel.EMAIL:
        return policy.email_receipt
    return RECEIPT_RULES[channel]


# ---------------------------------------------------------------------------------------------
# 信息处理费 ([FEE] 国办函〔2020〕109号, Arts 3–5). Excess-progressive (超额累进) bands.
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeeBand:
    """Units ``first``..``last`` (inclusive; ``last=None`` = open-ended) cost ``yuan`` each."""

    first: int
    last: int | None
    yuan: Decimal


# [FEE] Art 4: 按件, per applicant per calendar month, cumulative: 1–10 free, 11–30 100 yuan,
# from 31 on, every further band of 10 raises the rate by 100 yuan (31–40 → 200, 41–50 → 300…).
PER_REQUEST_FREE: Final = 10
PER_REQUEST_FIRST_PAID_BAND: Final = FeeBand(11, 30, Decimal(100))
PER_REQUEST_STEP_SIZE: Final = 10
PER_REQUEST_STEP_YUAN: Final = Decimal(100)

# [FEE] Art 5: 按量, per application by pages: 1–30 free, 31–100 10 yuan/page,
# 101–200 20 yuan/page, 201 and above 40 yuan/page.
PER_PAGE_BANDS: Final[tuple[FeeBand, ...]] = (
    FeeBand(1, 30, Decimal(0)),
    FeeBand(31, 100, Decimal(10)),
    FeeBand(101, 200, Decimal(20)),
    FeeBand(201, None, Decimal(40)),
)
FEE_ARTICLE: Final = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"


@dataclass(frozen=True, slots=True)
class FeePolicy:
    """Points of the fee measures LEGAL.md marks UNVERIFIED (§4, §8.5)."""

    # Whether a page of electronic data counts like a paper page (UNVERIFIED).
    electronic_pages_count_as_pages: bool = True
    # Exemptions and reductions: none found in the verified articles, so none by default.
    exempt_applicant_types: frozenset[str] = frozenset()


DEFAULT_FEE_POLICY: Final = FeePolicy()

# Section 二 (八) reports fees in 10,000 yuan ([F21] §2.2). A value above this many 万元 for one
# unit's administrative fees is far more likely yuan written in the 万元 cell than real money.
FEE_WAN_YUAN_PLAUSIBLE_MAX: Final = Decimal(100_000)
