"""The demo district and its stories of applications, built through the real services.

泉港区 as in the seed report (``shared/seed/000_1f7e495e6ab563f2.txt``): the district government
office at the top (it also supervises), its six towns and 山腰街道, and 24 departments
(:func:`build_district`). Every unit has a clerk and a head, so each can keep its registers and
publish its own report; one login per role is printed.

A :class:`Demo` tells one stretch of applications ending on a "today": each application is
registered and taken step by step through :mod:`gongkai.applications.services`, so each
history, clock and cached column is genuine; the random choices use a fixed seed, so two builds
on the same day are identical. The current year's story (1 January up to ``today``; early in the
year, the twelve months up to ``today``) has results that follow the seed's table 三 — 67 new
applications, 36 予以公开, 2 部分公开, 15 本机关不掌握, 1 逾期不补正, 7 其他, 6 still open —
mostly from natural persons. It is counted on the working-day calendar's whole range: after the
package's last year the calendar is provisional and the demo's deadlines there are 暂定. The
seed's own year, 2021, is told in :mod:`gongkai.demo.seed` with the same tools.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Final

from gongkai.agencies.models import Role, Unit
from gongkai.agencies.services import member_create, unit_create
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.core.calendar import national_calendar
from gongkai.core.formats import (
    COL_LEGAL_SERVICES,
    COL_NATURAL_PERSON,
    T3_DISCLOSED,
    T3_NO_CORRECTION,
    T3_OTHER_OTHER,
    T3_PARTLY_DISCLOSED,
    T3_UNAVAILABLE_NOT_HELD,
)
from gongkai.core.law import EXTENSION_MAX, RECEIPT_RULES, Channel, ReceiptRule
from gongkai.core.results import default_legal_basis

DEMO_PASSWORD: Final = "gongkai2025"  # noqa: S105 - printed on purpose: a local demo
DEFAULT_SEED: Final = 20211231

ROOT: Final = ("泉州市泉港区人民政府办公室", "泉港区政府办")
TOWNSHIPS: Final = (
    ("泉港区山腰街道办事处", "山腰街道"),
    ("泉港区前黄镇人民政府", "前黄镇"),
    ("泉港区涂岭镇人民政府", "涂岭镇"),
    ("泉港区峰尾镇人民政府", "峰尾镇"),
    ("泉港区南埔镇人民政府", "南埔镇"),
    ("泉港区界山镇人民政府", "界山镇"),
    ("泉港区后龙镇人民政府", "后龙镇"),
)
DEPARTMENTS: Final = (
    ("泉港区发展和改革局", "区发改局"),
    ("泉港区教育局", "区教育局"),
    ("泉州市公安局泉港分局", "泉港公安分局"),
    ("泉港区民政局", "区民政局"),
    ("泉港区司法局", "区司法局"),
    ("泉港区财政局", "区财政局"),
    ("泉港区人力资源和社会保障局", "区人社局"),
    ("泉州市泉港生态环境局", "泉港生态环境局"),
    ("泉港区住房和城乡建设局", "区住建局"),
    ("泉港区交通运输局", "区交通局"),
    ("泉港区农业农村局", "区农业农村局"),
    ("泉港区水利局", "区水利局"),
    ("泉港区商务局", "区商务局"),
    ("泉港区文体旅游局", "区文体旅局"),
    ("泉港区卫生健康局", "区卫健局"),
    ("泉港区退役军人事务局", "区退役军人局"),
    ("泉港区应急管理局", "区应急局"),
    ("泉港区审计局", "区审计局"),
    ("泉港区市场监督管理局", "区市场监管局"),
    ("泉港区统计局", "区统计局"),
    ("泉港区医疗保障局", "区医保局"),
    ("泉港区城市管理和综合执法局", "区城管局"),
    ("泉港区自然资源局", "区自然资源局"),
    ("泉港区行政审批局", "区行政审批局"),
)
# Units that receive applications in the demo, with their weight (most go to the government).
RECEIVING: Final = (
    ("泉港区政府办", 30),
    ("区自然资源局", 8),
    ("区住建局", 6),
    ("山腰街道", 5),
    ("区人社局", 4),
    ("前黄镇", 4),
    ("涂岭镇", 3),
    ("区民政局", 3),
    ("泉港生态环境局", 2),
    ("区教育局", 2),
)

# The seed report's table 三, by result row (all natural persons there; a few organisations here).
SEED_RESULTS: Final = (
    ("disclosed", 36),
    (T3_PARTLY_DISCLOSED, 2),
    (T3_UNAVAILABLE_NOT_HELD, 15),
    (T3_NO_CORRECTION, 1),
    (T3_OTHER_OTHER, 7),
)
SEED_OPEN: Final = 6

SURNAMES: Final = "陈林黄郑刘王李张吴蔡杨许庄肖洪苏曾谢连潘"
GIVEN: Final = (
    "志强",
    "丽华",
    "建国",
    "秀英",
    "俊杰",
    "婷婷",
    "国平",
    "海燕",
    "文斌",
    "美玲",
    "明辉",
    "淑芬",
    "晓东",
    "雅琴",
    "振华",
    "凤珠",
    "德明",
    "小燕",
    "伟雄",
    "金花",
)
COMPANIES: Final = (
    ("commercial", "福建泉港某石化物流有限公司"),
    ("commercial", "泉州市泉港区某建材贸易有限公司"),
    (COL_LEGAL_SERVICES, "福建某某律师事务所"),
)
VILLAGES: Final = ("后龙村", "峰尾村", "诚平村", "涂岭村", "樟脚村", "山腰村", "南埔村", "土坑村")
REQUESTS: Final = (
    "{village}{last}年度征地补偿款发放明细及安置方案",
    "泉港区{last}年度城乡居民最低生活保障资金发放名单",
    "{village}旧村改造项目的规划许可证及批复文件",
    "沿海大通道泉港段拆迁补偿标准的文件依据",
    "{village}集体土地征收的呈报材料和征收公告",
    "泉港区{last}年度财政预算执行情况及“三公”经费明细",
    "{village}违章建筑拆除的行政处罚决定书",
    "南山片区石化园区环境影响评价报告及批复",
    "泉港区{last}年度义务教育阶段招生划片方案",
    "{village}农村危房改造补助对象名单及补助标准",
    "泉港区公共租赁住房{last}年度分配结果",
    "{village}高标准农田建设项目的招标文件与验收报告",
)


@dataclass
class _Plan:
    """One application's story: what happens on which day."""

    unit: Unit
    received: dt.date
    outcome: str  # a result code, or "" for a case still open
    correction: bool = False
    extension: bool = False
    consultation: bool = False
    withdraw: bool = False


def _id_number(rng: random.Random, birth_year: int) -> str:
    """A well-formed (check digit included) but fictitious 泉港 resident identity number."""
    body = (
        f"350505{birth_year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}"
    )
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]
    return body + check


# The fewest working days from 2 January to today that hold the year's closed cases (they
# arrive until 45 working days before today) with room to spread them out.
_MIN_STORY_WORKING_DAYS: Final = 90


@dataclass
class District:
    """The demo's units (by short name) and the people who act in its history."""

    units: dict[str, Unit]
    clerks: dict[int, Any] = field(default_factory=dict)  # unit pk → its 经办人
    heads: dict[int, Any] = field(default_factory=dict)  # unit pk → its 负责人
    supervisor: Any = None  # the district office's 汇总 login
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)

    @property
    def root(self) -> Unit:
        return self.units[ROOT[1]]


def build_district() -> District:
    """The units, the printed logins (one per role, at the district office) and, for every
    other unit, a clerk and a head who act in the demo's history but cannot log in (password
    ``None``), so the printed logins are the whole story."""
    root = unit_create(name=ROOT[0], short_name=ROOT[1], kind="government")
    district = District(units={ROOT[1]: root})
    for (name, short), kind in [
        *((t, "township") for t in TOWNSHIPS),
        *((d, "department") for d in DEPARTMENTS),
    ]:
        district.units[short] = unit_create(name=name, short_name=short, kind=kind, parent=root)
    logins = [
        ("jingban", Role.CLERK, root, "王经办"),
        ("fuzeren", Role.HEAD, root, "林主任"),
        ("huizong", Role.SUPERVISOR, root, "陈科长"),
        ("guanli", Role.ADMIN, root, "系统管理员"),
        ("pinggu", Role.EVALUATOR, root, "赵评估"),
    ]
    for username, role, unit, full_name in logins:
        # An address at the reserved .example domain: the demo's console mail backend prints
        # the reminders and digests `gongkai remind` sends them.
        user = member_create(
            username=username,
            password=DEMO_PASSWORD,
            unit=unit,
            role=role,
            full_name=full_name,
            email=f"{username}@quangang.example",
        )
        district.logins.append((username, DEMO_PASSWORD, unit.name, role.label))
        if role is Role.CLERK:
            district.clerks[unit.pk] = user
        elif role is Role.HEAD:
            district.heads[unit.pk] = user
        elif role is Role.SUPERVISOR:
            district.supervisor = user
    # The receiving units first, so their members keep the numbers they had before every unit
    # had members of its own.
    receiving = [short for short, _ in RECEIVING]
    for short in [*receiving, *(u for u in district.units if u not in receiving)]:
        unit = district.units[short]
        if unit.pk in district.clerks:
            continue
        index = len(district.clerks)
        district.clerks[unit.pk] = member_create(
            username=f"jingban{index:02d}",
            password=None,
            unit=unit,
            role=Role.CLERK,
            full_name=f"{short}经办人",
        )
        district.heads[unit.pk] = member_create(
            username=f"fuzeren{index:02d}",
            password=None,
            unit=unit,
            role=Role.HEAD,
            full_name=f"{short}负责人",
        )
    return district


# How the cases still open on the story's last day stand then: one overdue, one extended, one
# awaiting a supplement, one consulting a third party, two fresh (working days before "today").
OPEN_STORIES: Final = (
    (28, "overdue"),
    (26, "extended"),
    (12, "correction"),
    (9, "consultation"),
    (5, "fresh"),
    (2, "fresh"),
)


class Demo:
    """One stretch of applications to ``district`` ending on ``today`` (which should be empty
    of applications in that stretch)."""

    def __init__(
        self,
        district: District,
        *,
        today: dt.date,
        seed: int = DEFAULT_SEED,
        organisations: float = 0.1,
    ) -> None:
        self.today = today
        self.year = today.year
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.cal = national_calendar()
        self.organisations = organisations  # the share of applicants that are organisations
        # The story runs from 2 January, or, early in the year when that leaves too little
        # room for a year's closed cases, over the twelve months up to today.
        self.first = dt.date(self.year, 1, 2)
        if self.cal.working_days_between(self.first, today) < _MIN_STORY_WORKING_DAYS:
            self.first = today - dt.timedelta(days=365)
        self.units = district.units
        self.clerks = district.clerks
        self.heads = district.heads

    # --- the year's stories ----------------------------------------------------------------
    def _workday(self, day: dt.date) -> dt.date:
        return self.cal.workday_on_or_after(day)

    def plans(
        self,
        results: tuple[tuple[str, int], ...] = SEED_RESULTS,
        open_stories: tuple[tuple[int, str], ...] = OPEN_STORIES,
    ) -> list[_Plan]:
        """The closed cases (``results``: result code and count) spread over the stretch, then
        the cases open on its last day (``open_stories``: working days back and kind)."""
        rng = self.rng
        start = self._workday(self.first)
        # Closed cases arrive until ~45 working days before today (room for 补正 and extension);
        # the open ones within the last 30 working days.
        last_closed = self._back(45)
        outcomes = [code for code, n in results for _ in range(n)]
        rng.shuffle(outcomes)
        span = max((last_closed - start).days, 1)
        received = sorted(
            self._workday(start + dt.timedelta(days=rng.randrange(span))) for _ in outcomes
        )
        names = [short for short, w in RECEIVING for _ in range(w)]
        plans = []
        for outcome, day in zip(outcomes, received, strict=True):
            unit = self.units[rng.choice(names)]
            plan = _Plan(unit=unit, received=day, outcome=outcome)
            if outcome == T3_NO_CORRECTION:
                plan.correction = True
            elif outcome == T3_OTHER_OTHER:
                plan.withdraw = rng.random() < 0.6
            else:
                plan.correction = rng.random() < 0.12
                plan.extension = rng.random() < 0.15
                plan.consultation = (
                    outcome in (T3_DISCLOSED, T3_PARTLY_DISCLOSED) and rng.random() < 0.08
                )
            plans.append(plan)
        for back, kind in open_stories:
            unit = (
                self.units[ROOT[1]]
                if kind in ("overdue", "extended")
                else self.units[rng.choice(names)]
            )
            plan = _Plan(unit=unit, received=self._back(back), outcome="")
            plan.extension = kind == "extended"
            plan.correction = kind == "correction"
            plan.consultation = kind == "consultation"
            plans.append(plan)
        return plans

    def _back(self, working_days: int) -> dt.date:
        day = self.today
        for _ in range(working_days):
            day -= dt.timedelta(days=1)
            while not self.cal.is_workday(day):
                day -= dt.timedelta(days=1)
        return max(day, self.first)

    def _applicant(self) -> dict[str, Any]:
        rng = self.rng
        if rng.random() >= self.organisations:
            return {
                "applicant_type": COL_NATURAL_PERSON,
                "applicant_name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "id_document_type": "resident_id",
                "id_document_number": _id_number(rng, rng.randint(1955, 2000)),
                "phone": f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}",
                "address": f"福建省泉州市泉港区{rng.choice(VILLAGES)}{rng.randint(1, 300)}号",
            }
        kind, name = rng.choice(COMPANIES)
        return {
            "applicant_type": kind,
            "applicant_name": name,
            "contact_person": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "id_document_type": "credit_code",
            "id_document_number": f"91350505MA{rng.randint(10000000, 99999999)}",
            "phone": f"0595-87{rng.randint(100000, 999999)}",
        }

    def _channel(self, received: dt.date) -> dict[str, Any]:
        rng = self.rng
        channel = rng.choices(
            [
                Channel.IN_PERSON,
                Channel.ONLINE,
                Channel.REGISTERED_MAIL,
                Channel.EMAIL,
                Channel.ORDINARY_MAIL,
            ],
            weights=[35, 35, 15, 10, 5],
        )[0]
        rule = RECEIPT_RULES[channel]
        fields: dict[str, Any] = {"channel": channel.value, "submitted_on": received}
        if rule is not ReceiptRule.SUBMITTED:
            # Arrived a day or two before the receipt date (signing, confirmation).
            arrived = max(
                received - dt.timedelta(days=rng.choice((0, 1, 2))),
                self.first - dt.timedelta(days=1),
            )
            fields["submitted_on"] = arrived
            key = "signed_for_on" if rule is ReceiptRule.SIGNED_FOR else "confirmed_on"
            fields[key] = received
        return fields

    def register(self, plan: _Plan) -> Application:
        rng = self.rng
        description = rng.choice(REQUESTS).format(village=rng.choice(VILLAGES), last=self.year - 1)
        delivery = rng.choice(["post", "email", "pick_up", "online"])
        return s.application_register(
            acting_user=self.clerks[plan.unit.pk],
            unit=plan.unit,
            description=description,
            delivery=delivery,
            requested_form="electronic" if delivery in ("email", "online") else "paper",
            **self._applicant(),
            **self._channel(plan.received),
        )

    def run(self, plan: _Plan) -> Application:
        app = self.register(plan)
        clerk, head = self.clerks[plan.unit.pk], self.heads[plan.unit.pk]
        rng = self.rng
        day = app.received_on

        def step(service: Any, user: Any = clerk, **kwargs: Any) -> None:
            nonlocal app
            app = service(
                acting_user=user, application_id=app.pk, expected_version=app.version, **kwargs
            )

        def later(n: int) -> dt.date:
            return min(self.cal.add_working_days(day, n), self.today)

        if plan.correction:
            day = later(rng.randint(1, 5))
            deadline = self.cal.add_working_days(day, 10)
            step(
                s.application_request_correction,
                items="请写明所需信息的具体年度和地块（村、组）名称",
                supplement_deadline=deadline,
                on=day,
            )
            if plan.outcome == T3_NO_CORRECTION:
                step(s.application_abandon_correction, on=self.cal.add_working_days(deadline, 1))
                return app
            if not plan.outcome:
                return app  # still awaiting the supplement
            day = later(rng.randint(2, 9))
            step(s.application_receive_supplement, note="申请人已补充年度和地块", on=day)
        if plan.withdraw:
            step(s.application_withdraw, note="申请人书面撤回申请", on=later(rng.randint(2, 10)))
            return app
        if plan.consultation:
            day = later(rng.randint(2, 6))
            party = f"{rng.choice(VILLAGES)}村民委员会"
            step(s.application_start_consultation, consultation="third_party", party=party, on=day)
            if not plan.outcome:
                return app
            day = later(rng.randint(5, 12))
            step(
                s.application_answer_consultation,
                consultation="third_party",
                party=party,
                agrees=rng.random() < 0.7,
                note="书面答复",
                on=day,
            )
        if plan.extension:
            due = app.due_date or day
            day = max(min(self.cal.add_working_days(due, -rng.randint(1, 3)), self.today), day)
            step(
                s.application_request_extension,
                working_days=EXTENSION_MAX.working_days,
                reason="申请公开的信息涉及多个部门，需调取档案核实",
                on=day,
            )
            step(s.application_approve_extension, user=head, on=day)
        if not plan.outcome:
            return app
        due = app.due_date or day
        remaining = max(self.cal.working_days_between(day, due), 1)
        day = min(self.cal.add_working_days(day, rng.randint(1, remaining)), self.today)
        step(
            s.application_decide,
            result=plan.outcome,
            legal_basis=default_legal_basis(plan.outcome),
            on=day,
        )
        reply_on = min(self.cal.add_working_days(day, rng.choice((0, 1))), self.today)
        step(
            s.application_send_reply, delivery=app.delivery, on=reply_on if reply_on <= due else day
        )
        return app

    def finish(self, app: Application, *, outcome: str, after: dt.date) -> Application:
        """Decide ``app`` (left open on an earlier story's last day) on a working day after
        ``after`` and within its due date, and send the reply the same or the next day."""
        clerk = self.clerks[app.unit_id]
        app = Application.objects.get(pk=app.pk)
        due = app.due_date or after
        start = self.cal.add_working_days(after, 1)
        remaining = max(self.cal.working_days_between(start, due), 0)
        day = self.cal.add_working_days(start, self.rng.randint(0, remaining))
        app = s.application_decide(
            acting_user=clerk,
            application_id=app.pk,
            expected_version=app.version,
            result=outcome,
            legal_basis=default_legal_basis(outcome),
            on=day,
        )
        reply_on = self.cal.add_working_days(day, self.rng.choice((0, 1)))
        return s.application_send_reply(
            acting_user=clerk,
            application_id=app.pk,
            expected_version=app.version,
            delivery=app.delivery,
            on=reply_on if reply_on <= due else day,
        )
