"""The seed's year reproduced: 泉港区 2021 as cases, remedies and registers, reported, rolled up.

The seed (``shared/seed/000_1f7e495e6ab563f2.txt``, ``examples/quangang-2021.txt``) is the
district's 2021 roll-up, typed by hand into Word; its prose contradicts its own tables. Here the
same year is data, entered the way an office would have entered it, so that building the
district's 2021 roll-up gives the seed's tables exactly — and prose generated from the same data,
which cannot contradict them:

* table 三: 67 applications from natural persons, none carried in from 2020, results as the
  seed's rows, 6 still open on 31 December and decided in January 2022 (within their deadlines:
  the seed says all were handled in time), told through the application services like the
  current year's story (:class:`gongkai.demo.stories.Demo`), with the year-end carry-over noted;
* table 四: 3 reconsiderations (行政复议) over 2021 replies, all upheld (维持) in 2021;
* section 二: 行政规范性文件 with their 文号 and issue/repeal dates (21 issued and 40 repealed in
  2021, 242 in force at its end), the monthly 行政许可/行政处罚/行政强制 decision counts (643, 292,
  10) and the 行政事业性收费 (22.5981 万元), entered through the registers' services by the units
  that issue, decide and collect them; every other unit enters its zeros, as the format asks;
* the work register: the trainings, appraisal and tasks the seed's prose tells, and the 74
  new-media accounts it says were closed.

Then the district office writes the seed's prose with its numbers bound to the tables
(:mod:`gongkai.demo.prose`), every unit's head publishes its 2021 report in January 2022
(departments and townships first, the district office last) and the supervisor publishes the
roll-up on 10 January 2022, the seed's 印发 date. Writing and publishing are always "now" in
:mod:`gongkai.reports.services`; the demo re-enacts January 2022 by running the services with the
clock set to the day (:func:`_as_of`).

The figures are typed here once, as the demo's data; ``tests/reports/test_seed_demo.py`` holds
the built roll-up to the seed's tables as the auditor's parser reads them from the seed file.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Final
from unittest import mock

from django.utils import timezone

from gongkai.agencies.models import Unit
from gongkai.applications import services as application_services
from gongkai.applications.carry_over import carry_over_year_end
from gongkai.applications.models import Application
from gongkai.core.formats import (
    T3_DISCLOSED,
    T3_PARTLY_DISCLOSED,
    T3_UNAVAILABLE_NOT_HELD,
    T4_RECONSIDERATION,
    T4_UPHELD,
)
from gongkai.demo.prose import SEED_PROSE
from gongkai.demo.stories import ROOT, SEED_RESULTS, Demo, District
from gongkai.registers import services as registers
from gongkai.registers.models import (
    APPRAISAL,
    CLOSED,
    COERCION,
    LICENSING,
    NEW_MEDIA,
    NORMATIVE,
    PENALTY,
    TASK,
    TRAINING,
)
from gongkai.remedies.services import remedy_record_result, remedy_register
from gongkai.reports.services import narrative_save, report_publish, rollup_publish

SEED_YEAR: Final = 2021
SEED_RNG: Final = 2022_01_10  # the seed's 印发 date: the 2021 story's own random sequence

# Table 三: the results are the current story's (stories.SEED_RESULTS, the seed's rows); the six
# cases open on 31 December 2021 were received in its last weeks (working days before the year
# end) and are fresh or consulting, none overdue.
SEED_OPEN_STORIES: Final = ((18, "consultation"), (14, "fresh"), (11, "extended"), (9, "fresh"))
SEED_OPEN_FRESH: Final = (6, 5)  # two more, received in the last week before the new year
SEED_OPEN_OUTCOMES: Final = (
    T3_DISCLOSED,
    T3_DISCLOSED,
    T3_UNAVAILABLE_NOT_HELD,
    T3_DISCLOSED,
    T3_PARTLY_DISCLOSED,
    T3_DISCLOSED,
)

# Table 四: three reconsiderations, all upheld.
SEED_RECONSIDERATIONS: Final = 3
RECONSIDERATION_AUTHORITY: Final = "泉州市泉港区人民政府"

# Section 二 (一): 行政规范性文件 issued and repealed in 2021, and in force at its end.
SEED_DOCUMENTS_ISSUED: Final = 21
SEED_DOCUMENTS_REPEALED: Final = 40
SEED_DOCUMENTS_IN_FORCE: Final = 242
# Section 二 (五)(六): the year's decisions; (八): the year's 行政事业性收费 in 万元.
SEED_DECISIONS: Final = ((LICENSING, 643), (PENALTY, 292), (COERCION, 10))
SEED_ADMIN_FEES_WAN: Final = Decimal("22.5981")

# Who issues, decides and collects (short name, weight); every other unit enters zeros.
DOCUMENT_ISSUERS: Final = (
    (ROOT[1], 50, "泉港政"),
    ("区自然资源局", 8, "泉港自然资"),
    ("区住建局", 8, "泉港建"),
    ("区人社局", 6, "泉港人社"),
    ("区民政局", 6, "泉港民"),
    ("区教育局", 5, "泉港教"),
    ("区农业农村局", 5, "泉港农"),
    ("区市场监管局", 4, "泉港市监"),
    ("区卫健局", 4, "泉港卫健"),
    ("区财政局", 4, "泉港财"),
)
DECISION_UNITS: Final = {
    LICENSING: (
        ("区行政审批局", 40),
        ("区自然资源局", 12),
        ("区住建局", 10),
        ("区交通局", 8),
        ("区卫健局", 8),
        ("区教育局", 6),
        ("区农业农村局", 6),
        ("区水利局", 4),
        ("区文体旅局", 4),
        ("泉港公安分局", 2),
    ),
    PENALTY: (
        ("区市场监管局", 25),
        ("区城管局", 20),
        ("泉港公安分局", 20),
        ("泉港生态环境局", 12),
        ("区应急局", 8),
        ("区交通局", 6),
        ("区自然资源局", 5),
        ("区卫健局", 4),
    ),
    COERCION: (("区市场监管局", 4), ("区城管局", 3), ("泉港生态环境局", 3)),
}
FEE_UNITS: Final = (
    ("区自然资源局", 40),
    ("区住建局", 20),
    ("泉港公安分局", 20),
    ("区市场监管局", 10),
    ("区人社局", 10),
)
TOPICS: Final = (
    "农村宅基地审批管理",
    "城乡居民最低生活保障",
    "被征收土地农民社会保障",
    "国有土地上房屋征收与补偿",
    "公共租赁住房保障",
    "企业技术改造专项资金",
    "高层次人才引进",
    "农村危房改造",
    "城市道路挖掘修复",
    "建筑垃圾处置",
    "义务教育阶段学生招生",
    "困难群众临时救助",
    "耕地保护补偿",
    "闲置土地处置",
    "农业产业化龙头企业扶持",
    "物业服务收费",
    "住房公积金缴存",
    "小微企业创业扶持",
    "殡葬管理",
    "石化园区安全生产",
)
FORMS: Final = ("管理办法", "实施意见", "实施细则", "暂行规定", "实施办法")

# The work register (the seed's sections 一(三)–(五)): the district office's own records …
SEED_OFFICE_WORK: Final = (
    (APPRAISAL, "2020 年度政务公开绩效考评", dt.date(SEED_YEAR, 3, 12), "考评结果在区政府网站发布"),
    (TASK, "印发《2021 年政务公开工作主要任务分解表》", dt.date(SEED_YEAR, 4, 16), ""),
    (
        TRAINING,
        "区政府网站与政务新媒体工作培训会",
        dt.date(SEED_YEAR, 5, 20),
        "讲解网站系统操作使用流程，以及信息发布前的纠错和内容审核",
    ),
    (TASK, "公布《泉港区人民政府行政规范性文件汇编（2020年度）》", dt.date(SEED_YEAR, 6, 28), ""),
    (
        APPRAISAL,
        "出台《泉港区 2021 年度政务公开工作绩效考评指标及扣分标准》",
        dt.date(SEED_YEAR, 9, 24),
        "",
    ),
    (
        TRAINING,
        "2021 年度政务公开业务培训会",
        dt.date(SEED_YEAR, 11, 16),
        "邀请泉州市政府办信息公开办负责人讲授政务公开、信息公开的理论和实务",
    ),
)
# … the units that updated the regulation texts, and the new-media accounts closed.
SEED_REGULATION_TEXT_UNITS: Final = 15
SEED_NEW_MEDIA_CLOSED: Final = (
    (54, "长时间未更新，注销"),
    (20, "信息量少、运维力量不足，整合后关停"),
)
NEW_MEDIA_NAMES: Final = ("微信公众号", "政务微博", "抖音号", "头条号", "微信视频号")

# January 2022: departments and townships publish first (their Art 49 deadline is 31 January),
# the district office's own report next, the supervisor's roll-up on the seed's 印发 date.
PUBLISH_UNITS_FROM: Final = dt.date(2022, 1, 4)
PUBLISH_OWN_ON: Final = dt.date(2022, 1, 7)
PUBLISH_ROLLUP_ON: Final = dt.date(2022, 1, 10)


@contextmanager
def _as_of(day: dt.date, hour: int = 10) -> Iterator[None]:
    """Run the services as on ``day`` at ``hour`` o'clock (China time).

    Only publishing needs this: a publication is always "now" (it takes no date), reading the
    services' today for the report's publication date and the rules' deadlines, and Django's now
    for the recorded time; both are moved for the duration, and restored after.
    """
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    with (
        mock.patch.object(application_services, "_today", lambda: day),
        mock.patch.object(timezone, "now", lambda: moment),
    ):
        yield


def _split(total: int, weights: Sequence[int], rng: random.Random) -> list[int]:
    """``total`` split into parts proportional to ``weights`` (largest remainder, with a little
    noise so the months and units do not look computed); the parts always add up to ``total``."""
    noisy = [w * rng.uniform(0.75, 1.25) for w in weights]
    scale = total / sum(noisy)
    parts = [int(w * scale) for w in noisy]
    order = sorted(range(len(noisy)), key=lambda i: noisy[i] * scale - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


class SeedYear:
    """The 2021 story, told into a district already built (:func:`stories.build_district`)."""

    def __init__(self, district: District) -> None:
        self.district = district
        self.units = district.units
        self.rng = random.Random(SEED_RNG)  # noqa: S311 - reproducible demo data, not secrets
        self.year_end = dt.date(SEED_YEAR, 12, 31)

    def build(self) -> None:
        self.applications()
        self.registers()
        self.publish()

    # --- table 三 and table 四 -------------------------------------------------------------
    def applications(self) -> None:
        story = Demo(self.district, today=self.year_end, seed=SEED_RNG, organisations=0.0)
        opens = (*SEED_OPEN_STORIES, *((back, "fresh") for back in SEED_OPEN_FRESH))
        plans = sorted(story.plans(SEED_RESULTS, opens), key=lambda p: p.received)
        ran = [(plan, story.run(plan)) for plan in plans]
        closed = [app for plan, app in ran if plan.outcome]
        self.remedies(story, closed)
        # 31 December: each unit notes the cases it carries into 2022 …
        still_open = [app for plan, app in ran if not plan.outcome]
        for unit_id in sorted({app.unit_id for app in still_open}):
            carry_over_year_end(
                acting_user=self.district.clerks[unit_id],
                unit=Unit.objects.get(pk=unit_id),
                year=SEED_YEAR,
            )
        # … and decides them in January, within their deadlines.
        for app, outcome in zip(still_open, SEED_OPEN_OUTCOMES, strict=True):
            story.finish(app, outcome=outcome, after=self.year_end)

    def remedies(self, story: Demo, closed: list[Application]) -> None:
        """Reconsiderations over replies sent by mid-year, each upheld within 60 days."""
        challenged = [
            app
            for app in closed
            if app.result in (T3_UNAVAILABLE_NOT_HELD, T3_PARTLY_DISCLOSED)
            and app.closed_on is not None
            and app.closed_on <= dt.date(SEED_YEAR, 9, 30)
        ]
        cal = story.cal
        for number, app in enumerate(challenged[:SEED_RECONSIDERATIONS], start=1):
            assert app.closed_on is not None
            clerk = self.district.clerks[app.unit_id]
            filed = cal.add_working_days(app.closed_on, self.rng.randint(10, 30))
            remedy = remedy_register(
                acting_user=clerk,
                application_id=app.pk,
                kind=T4_RECONSIDERATION,
                authority=RECONSIDERATION_AUTHORITY,
                case_number=f"泉港政复〔{SEED_YEAR}〕{number * 7 + 3}号",
                filed_on=filed,
                note="申请人认为答复内容不完整",
            )
            remedy_record_result(
                acting_user=clerk,
                remedy_id=remedy.pk,
                expected_version=remedy.version,
                result=T4_UPHELD,
                decided_on=cal.add_working_days(filed, self.rng.randint(25, 40)),
                note="复议机关决定维持原答复",
            )

    # --- section 二 -----------------------------------------------------------------------
    def registers(self) -> None:
        self.documents()
        self.decisions()
        self.fees()
        self.work()

    def documents(self) -> None:
        """The 行政规范性文件 register: those in force at the end of 2020, the 40 of them
        repealed in the 2021 clean-up, and the 21 issued in 2021."""
        rng = self.rng
        before = SEED_DOCUMENTS_IN_FORCE - SEED_DOCUMENTS_ISSUED + SEED_DOCUMENTS_REPEALED
        days: list[tuple[dt.date, dt.date | None]] = []
        for i in range(before):
            year = rng.choice(range(2008, SEED_YEAR)) if rng.random() < 0.4 else 2016 + i % 5
            issued = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(360))
            days.append((issued, None))
        # The oldest are the ones repealed, mostly in the mid-year clean-up.
        days.sort(key=lambda entry: entry[0])
        for i in range(SEED_DOCUMENTS_REPEALED):
            repeal = dt.date(SEED_YEAR, 6, 1) + dt.timedelta(days=rng.randrange(27))
            if i % 5 == 0:
                repeal = dt.date(SEED_YEAR, 1, 4) + dt.timedelta(days=rng.randrange(350))
            days[i] = (days[i][0], repeal)
        days += [
            (dt.date(SEED_YEAR, 1, 8) + dt.timedelta(days=rng.randrange(350)), None)
            for _ in range(SEED_DOCUMENTS_ISSUED)
        ]
        days.sort(key=lambda entry: entry[0])
        issuers = [entry for entry in DOCUMENT_ISSUERS for _ in range(entry[1])]
        sequence: dict[tuple[str, int], int] = {}
        for issued, repealed in days:
            short, _, prefix = rng.choice(issuers)
            unit = self.units[short]
            n = sequence[(short, issued.year)] = sequence.get((short, issued.year), 0) + 1
            issuer = "泉港区人民政府" if short == ROOT[1] else unit.name
            registers.normative_document_create(
                acting_user=self.district.clerks[unit.pk],
                unit=unit,
                kind=NORMATIVE,
                number=f"{prefix}规〔{issued.year}〕{n}号",
                title=f"{issuer}关于印发《{rng.choice(TOPICS)}{rng.choice(FORMS)}》的通知",
                issued_on=issued,
                repealed_on=repealed,
            )

    def decisions(self) -> None:
        """Each deciding unit's monthly counts; every other unit states a zero for the year."""
        rng = self.rng
        for kind, total in SEED_DECISIONS:
            deciders = DECISION_UNITS[kind]
            shares = _split(total, [w for _, w in deciders], rng)
            for (short, _), share in zip(deciders, shares, strict=True):
                months = _split(share, [1] * 12, rng)
                for month, count in enumerate(months, start=1):
                    self._decisions(short, kind, month, count)
            named = {short for short, _ in deciders}
            for short in self.units:
                if short not in named:
                    self._decisions(short, kind, 12, 0)

    def _decisions(self, short: str, kind: str, month: int, count: int) -> None:
        unit = self.units[short]
        registers.decision_count_set(
            acting_user=self.district.clerks[unit.pk],
            unit=unit,
            year=SEED_YEAR,
            month=month,
            kind=kind,
            count=count,
        )

    def fees(self) -> None:
        """The 行政事业性收费, split to the yuan over the collecting units; zero elsewhere."""
        yuan = int(SEED_ADMIN_FEES_WAN * 10_000)
        shares = dict(
            zip(
                (short for short, _ in FEE_UNITS),
                _split(yuan, [w for _, w in FEE_UNITS], self.rng),
                strict=True,
            )
        )
        for short, unit in self.units.items():
            registers.admin_fee_set(
                acting_user=self.district.clerks[unit.pk],
                unit=unit,
                year=SEED_YEAR,
                amount=Decimal(shares.get(short, 0)) / 10_000,
            )

    def work(self) -> None:
        """The work the seed's prose tells, as the work register holds it: the district office's
        trainings, appraisal and task list, the units that updated the regulation texts on the
        website, and the new-media accounts closed (54 dormant ones 注销, 20 more 关停)."""
        root = self.district.root
        clerk = self.district.clerks[root.pk]
        for kind, name, day, note in SEED_OFFICE_WORK:
            registers.work_record_create(
                acting_user=clerk, unit=root, kind=kind, name=name, happened_on=day, note=note
            )
        rng = self.rng
        units = list(self.units.values())
        for unit in rng.sample(units, SEED_REGULATION_TEXT_UNITS):
            registers.work_record_create(
                acting_user=self.district.clerks[unit.pk],
                unit=unit,
                kind=TASK,
                name="对照国家正式版本更新区政府网站上的行政法规文本",
                happened_on=dt.date(SEED_YEAR, 9, 1) + dt.timedelta(days=rng.randrange(90)),
            )
        for count, note in SEED_NEW_MEDIA_CLOSED:
            for _ in range(count):
                unit = rng.choice(units)
                registers.work_record_create(
                    acting_user=self.district.clerks[unit.pk],
                    unit=unit,
                    kind=NEW_MEDIA,
                    name=f"{unit.short_name}{rng.choice(NEW_MEDIA_NAMES)}",
                    happened_on=dt.date(SEED_YEAR, 3, 1) + dt.timedelta(days=rng.randrange(270)),
                    change=CLOSED,
                    note=note,
                )

    # --- publication ---------------------------------------------------------------------
    def publish(self) -> None:
        """The district office writes its prose; every unit's head publishes the unit's report,
        then the supervisor the roll-up."""
        root = self.district.root
        with _as_of(PUBLISH_UNITS_FROM, hour=15):
            for section, text in SEED_PROSE.items():
                narrative_save(
                    acting_user=self.district.clerks[root.pk],
                    unit_id=root.pk,
                    year=SEED_YEAR,
                    section=section,
                    text=text,
                )
        others = [u for u in self.units.values() if u.pk != root.pk]
        for i, unit in enumerate(others):
            with _as_of(PUBLISH_UNITS_FROM + dt.timedelta(days=i % 4), hour=9 + i % 8):
                report_publish(
                    acting_user=self.district.heads[unit.pk], unit_id=unit.pk, year=SEED_YEAR
                )
        with _as_of(PUBLISH_OWN_ON, hour=16):
            report_publish(
                acting_user=self.district.heads[root.pk], unit_id=root.pk, year=SEED_YEAR
            )
        with _as_of(PUBLISH_ROLLUP_ON):
            rollup_publish(acting_user=self.district.supervisor, unit_id=root.pk, year=SEED_YEAR)


def build_seed_year(district: District) -> None:
    """Tell the seed's year into ``district`` (see the module docstring)."""
    SeedYear(district).build()
