"""Letters: every notice and reply type, generated, reopened as DOCX and PDF, and archived.

Each case is taken through the real workflow services to the step its letter reports; the
letter is then sent (archived) and its bytes are reopened with python-docx and pdfplumber to
check what the applicant reads: who, when, the article relied on and the remedies. Dates are
2024 dates: 2024-03-04 is a Monday.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import pdfplumber
import pytest
from django.contrib.auth.models import User
from docx import Document
from docx.oxml.ns import qn
from pdfminer.pdftypes import resolve1

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import AppendOnlyError, Application, ApplicationEvent, EventKind
from gongkai.core import law
from gongkai.core.formats import T3_WITHHELD_THIRD_PARTY
from gongkai.core.reasons import required_reasons
from gongkai.core.results import RESULT_BASIS, basis_for, default_legal_basis
from gongkai.letters import selectors, services
from gongkai.letters.context import TEMPLATE_VARIABLES, LetterError, LetterVars, build_context
from gongkai.letters.document import Layout
from gongkai.letters.models import LetterKind, SentLetter
from gongkai.letters.render_docx import BODY_FONT, STYLE_NAMES, TITLE_FONT

from . import conftest
from .conftest import World

D = dt.date
MONDAY = D(2024, 3, 4)
LETTER_DAY = D(2024, 3, 27)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2024, 6, 28))


def register(clerk: User, world: World, **overrides: Any) -> Application:
    fields = {"submitted_on": MONDAY, "address": "泉州市泉港区山腰街道1号", **overrides}
    return conftest.register(clerk, world.district, **fields)


def step(service: Callable[..., Application], user: User, app: Application, **kw: Any) -> None:
    current = Application.objects.get(pk=app.pk)
    service(acting_user=user, application_id=app.pk, expected_version=current.version, **kw)


def version(app: Application) -> int:
    return Application.objects.get(pk=app.pk).version


# What each letter needs in the history, and what the applicant must read in it.
def _correction(c: User, h: User, app: Application) -> list[str]:
    step(
        s.application_request_correction,
        c,
        app,
        items="请写明所需文件的文号或者发文日期",
        supplement_deadline=D(2024, 3, 22),
        on=D(2024, 3, 6),
    )
    return ["请写明所需文件的文号或者发文日期", "2024年3月22日", "第三十条"]


def _extension(c: User, h: User, app: Application) -> list[str]:
    step(
        s.application_request_extension,
        c,
        app,
        working_days=15,
        reason="需要调取档案并逐页审查",
        on=D(2024, 3, 25),
    )
    step(s.application_approve_extension, h, app, on=D(2024, 3, 26))
    # Due 2024-04-01, + 15 working days: 2, 3, 7 April (a make-up Sunday; 4–6 are Qingming),
    # 8–12, 15–19, 22, 23 April.
    return ["需要调取档案并逐页审查", "15个工作日", "第三十三条第二款", "2024年4月23日"]


def _third_party(c: User, h: User, app: Application) -> list[str]:
    step(
        s.application_start_consultation,
        c,
        app,
        consultation="third_party",
        party="泉州某某建设有限公司",
        on=D(2024, 3, 8),
    )
    return ["泉州某某建设有限公司", "第三十二条", "15个工作日"]


def _agency(c: User, h: User, app: Application) -> list[str]:
    step(
        s.application_start_consultation,
        c,
        app,
        consultation="agency",
        party="泉港区住房和城乡建设局",
        on=D(2024, 3, 8),
    )
    return ["泉港区住房和城乡建设局", "第三十四条", "视为同意公开"]


def _fee(c: User, h: User, app: Application) -> list[str]:
    step(s.application_send_fee_notice, c, app, method="per_page", pages=150, on=D(2024, 3, 8))
    return ["第31至100页，每页10元", "第101至150页，每页20元", "合计1,700元", "109号"]


# The case-specific reasons each result group must record (core.reasons), as a clerk writes them.
FACTS = "经查阅本机关2023年收文、发文登记簿及档案室案卷，未发现相关记载"
WITHHELD_PART = "批复附件中投标人的报价明细"


def reasons_for(result: str) -> dict[str, str]:
    """The reasons a decision with ``result`` records in these tests (none where none is due)."""
    fields = {need.field.value for need in required_reasons(result)}
    values = {
        "facts": FACTS,
        "withheld_part": WITHHELD_PART,
        "withheld_ground": T3_WITHHELD_THIRD_PARTY,
    }
    return {name: value for name, value in values.items() if name in fields}


def printed_reasons(result: str) -> list[str]:
    """What the letter prints of :func:`reasons_for`: the texts, and the ground's article."""
    typed = reasons_for(result)
    ground = typed.pop("withheld_ground", "")
    return [*typed.values(), *([basis_for(ground).article] if ground else [])]


def _decided(result: str) -> Callable[[User, User, Application], list[str]]:
    def drive(c: User, h: User, app: Application) -> list[str]:
        step(
            s.application_decide,
            c,
            app,
            result=result,
            legal_basis=default_legal_basis(result),
            on=D(2024, 3, 18),
            **reasons_for(result),
        )
        return [basis_for(result).article, basis_for(result).reason, *printed_reasons(result)]

    return drive


def _abandoned(c: User, h: User, app: Application) -> list[str]:
    _correction(c, h, app)
    step(s.application_abandon_correction, c, app, on=D(2024, 3, 25))
    return ["逾期未补正", "第三十条"]


CASES: list[Any] = [
    pytest.param(LetterKind.CORRECTION, _correction, "张三", id="correction"),
    pytest.param(LetterKind.EXTENSION, _extension, "张三", id="extension"),
    pytest.param(
        LetterKind.CONSULTATION_THIRD_PARTY, _third_party, "泉州某某建设有限公司", id="third_party"
    ),
    pytest.param(LetterKind.CONSULTATION_AGENCY, _agency, "泉港区住房和城乡建设局", id="agency"),
    pytest.param(LetterKind.FEE, _fee, "张三", id="fee"),
    pytest.param(LetterKind.REPLY_DISCLOSED, _decided("disclosed"), "张三", id="disclosed"),
    pytest.param(
        LetterKind.REPLY_PARTLY_DISCLOSED, _decided("partly_disclosed"), "张三", id="partly"
    ),
    pytest.param(
        LetterKind.REPLY_WITHHELD, _decided("withheld.third_party"), "张三", id="withheld"
    ),
    pytest.param(
        LetterKind.REPLY_UNAVAILABLE, _decided("unavailable.not_held"), "张三", id="unavailable"
    ),
    pytest.param(
        LetterKind.REPLY_NOT_PROCESSED, _decided("not_processed.repeat"), "张三", id="repeat"
    ),
    pytest.param(LetterKind.REPLY_OTHER, _abandoned, "张三", id="abandoned"),
]

REMEDIES = [f"{law.RECONSIDERATION_PERIOD_DAYS}日内", f"{law.LITIGATION_PERIOD_MONTHS}个月内"]


def test_every_letter_kind_is_covered() -> None:
    assert {p.values[0] for p in CASES} == set(LetterKind)


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "".join(page.extract_text() or "" for page in pdf.pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_fonts(data: bytes) -> dict[str, bool]:
    """Every font the PDF uses → whether its program is embedded (FontFile, FontFile2/3)."""
    found: dict[str, bool] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            resources = resolve1(page.page_obj.resources)
            for ref in resolve1(resources["Font"]).values():
                font = resolve1(ref)
                descendant = (
                    resolve1(resolve1(font["DescendantFonts"])[0])
                    if "DescendantFonts" in font
                    else font
                )
                descriptor = resolve1(descendant["FontDescriptor"])
                name = str(font["BaseFont"]).strip("/'")
                found[name] = any(k.startswith("FontFile") for k in descriptor)
    return found


@pytest.mark.parametrize(("kind", "drive", "recipient"), CASES)
def test_letter_is_generated_archived_and_reads_right_in_word_and_pdf(
    world: World, clerk: User, head: User, kind: LetterKind, drive: Any, recipient: str
) -> None:
    # given a case taken to the step the letter reports
    app = register(clerk, world)
    expected = [e for e in drive(clerk, head, app) if e]
    events_before = ApplicationEvent.objects.filter(application=app).count()

    # when the clerk sends the letter
    letter = services.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=kind,
        on=LETTER_DAY,
    )

    # then the archive holds both files, their hashes and the sender, with a letter_sent event
    assert letter.recipient == recipient
    assert letter.docx_sha256 == hashlib.sha256(bytes(letter.docx)).hexdigest()
    assert letter.pdf_sha256 == hashlib.sha256(bytes(letter.pdf)).hexdigest()
    assert letter.sent_by == clerk
    event = letter.event
    assert event.kind == EventKind.LETTER_SENT
    assert event.data["pdf_sha256"] == letter.pdf_sha256
    assert ApplicationEvent.objects.filter(application=app).count() == events_before + 1

    # and both files say who, about what, when, on which basis, in the unit's name
    common = [
        recipient,
        "泉港区政府办-2024-0001",
        "泉州市泉港区人民政府",
        "2024年3月4日",
        "2024年3月27日",
        "泉港区政府办〔2024〕1号",  # the unit's first 文号 of the year
        *expected,
    ]
    if kind.value.startswith("reply."):
        # which routes, by result and date: tests/web/test_letters_remedies.py
        common += [REMEDIES[0], "申请行政复议"]
    for text in (docx_text(bytes(letter.docx)), pdf_text(bytes(letter.pdf))):
        for wanted in common:
            assert flat(wanted) in flat(text), f"{wanted!r} missing from {kind.label}"
    if not kind.value.startswith("reply."):
        assert REMEDIES[0] not in docx_text(bytes(letter.docx))


def test_the_docx_uses_chinese_fonts_on_a4(world: World, clerk: User) -> None:
    app = register(clerk, world)
    _decided("disclosed")(clerk, clerk, app)
    letter = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.REPLY_DISCLOSED, on=LETTER_DAY
    )
    document = Document(io.BytesIO(letter.docx))

    section = document.sections[0]
    # A4, as Word stores it: whole twips (1/20 pt), so compare in whole millimetres.
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    for layout, name in STYLE_NAMES.items():
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == (TITLE_FONT if layout is Layout.TITLE else BODY_FONT)
    assert document.paragraphs[0].style.name == STYLE_NAMES[Layout.TITLE]
    assert document.paragraphs[0].text == "政府信息公开申请答复书"
    assert document.core_properties.author == "泉州市泉港区人民政府"


def test_the_pdf_embeds_the_noto_cjk_font(world: World, clerk: User) -> None:
    app = register(clerk, world)
    _decided("disclosed")(clerk, clerk, app)
    letter = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.REPLY_DISCLOSED, on=LETTER_DAY
    )

    fonts = pdf_fonts(letter.pdf)
    assert fonts and all(fonts.values()), fonts
    assert all("Noto" in name and "CJK" in name for name in fonts)


def test_a_withheld_reply_names_the_specific_ground(world: World, clerk: User) -> None:
    app = register(clerk, world)
    _decided("withheld.process_info")(clerk, clerk, app)
    letter = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.REPLY_WITHHELD, on=LETTER_DAY
    )
    assert "不予公开的具体情形：属于四类过程性信息。" in letter.document.text
    assert "《中华人民共和国政府信息公开条例》第十六条第二款" in letter.document.text


def test_the_letterhead_and_remedy_bodies_are_the_units(
    world: World, clerk: User, head: User
) -> None:
    services.letterhead_update(
        acting_user=head,
        unit=world.district,
        issuer="泉州市泉港区人民政府办公室",
        phone="0595-87000000",
        reconsideration_body="泉州市人民政府",
        court="泉州市中级人民法院",
    )
    app = register(clerk, world)
    _decided("disclosed")(clerk, clerk, app)
    text = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.REPLY_DISCLOSED, on=LETTER_DAY
    ).document.text
    assert "向泉州市人民政府申请行政复议" in text
    assert "向泉州市中级人民法院提起行政诉讼" in text
    assert "联系电话：0595-87000000。" in text
    assert text.splitlines()[-2:] == ["泉州市泉港区人民政府办公室", "2024年3月27日"]


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (LetterKind.CORRECTION, "尚未发出补正告知"),
        (LetterKind.EXTENSION, "尚未经负责人批准延期答复"),
        (LetterKind.CONSULTATION_AGENCY, "尚未向有关机关发出征求意见"),
        (LetterKind.FEE, "尚未发出收费通知"),
        (LetterKind.REPLY_DISCLOSED, "尚未作出答复决定"),
    ],
)
def test_a_letter_for_a_step_not_taken_is_refused_and_nothing_is_written(
    world: World, clerk: User, kind: LetterKind, message: str
) -> None:
    app = register(clerk, world)
    with pytest.raises(LetterError, match=message):
        services.letter_send(
            acting_user=clerk, application_id=app.pk, expected_version=1, kind=kind, on=LETTER_DAY
        )
    assert SentLetter.objects.count() == 0
    assert version(app) == 1
    assert ApplicationEvent.objects.filter(application=app).count() == 1


@pytest.mark.parametrize(("kind", "drive", "recipient"), CASES)
def test_a_letter_dated_before_the_step_it_reports_is_refused_naming_both_dates(
    world: World, clerk: User, head: User, kind: LetterKind, drive: Any, recipient: str
) -> None:
    # given a case taken to the step the letter reports, that step being its latest event
    app = register(clerk, world)
    drive(clerk, head, app)
    step_day = ApplicationEvent.objects.filter(application=app).latest("id").date
    events_before = ApplicationEvent.objects.filter(application=app).count()
    early = step_day - dt.timedelta(days=1)

    # when the letter is dated the day before that step, it is refused in both dates' words
    message = rf"文书落款日期 {early.isoformat()} 早于申请 .*{step_day.isoformat()}"
    with pytest.raises(LetterError, match=message):
        services.letter_send(
            acting_user=clerk,
            application_id=app.pk,
            expected_version=version(app),
            kind=kind,
            on=early,
        )
    with pytest.raises(LetterError, match=message):
        services.letter_preview(user=clerk, application_id=app.pk, kind=kind, on=early)

    # and nothing is archived or written to the history
    assert SentLetter.objects.count() == 0
    assert ApplicationEvent.objects.filter(application=app).count() == events_before


def test_a_reply_of_the_wrong_group_is_refused(world: World, clerk: User) -> None:
    app = register(clerk, world)
    _decided("disclosed")(clerk, clerk, app)
    with pytest.raises(LetterError, match="应使用“答复书（予以公开）”"):
        services.letter_preview(
            user=clerk, application_id=app.pk, kind=LetterKind.REPLY_WITHHELD, on=LETTER_DAY
        )


def test_a_stale_version_archives_nothing(world: World, clerk: User) -> None:
    app = register(clerk, world)
    _decided("disclosed")(clerk, clerk, app)
    with pytest.raises(s.StaleVersionError, match="已被他人修改"):
        services.letter_send(
            acting_user=clerk,
            application_id=app.pk,
            expected_version=1,
            kind=LetterKind.REPLY_DISCLOSED,
            on=LETTER_DAY,
        )
    assert SentLetter.objects.count() == 0


def test_only_the_units_handlers_send_and_only_its_readers_download(
    world: World, clerk: User
) -> None:
    app = register(clerk, world)
    _decided("disclosed")(clerk, clerk, app)
    outsider = world.member(Role.CLERK, world.other_district)
    supervisor = world.member(Role.SUPERVISOR)
    with pytest.raises(AccessDeniedError):
        services.letter_send(
            acting_user=supervisor,
            application_id=app.pk,
            expected_version=version(app),
            kind=LetterKind.REPLY_DISCLOSED,
        )
    letter = services.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=LetterKind.REPLY_DISCLOSED,
        on=LETTER_DAY,
    )

    downloaded = selectors.letter_file(user=supervisor, letter_id=letter.pk, file_format="pdf")
    assert downloaded.content == bytes(letter.pdf)
    assert hashlib.sha256(downloaded.content).hexdigest() == downloaded.sha256
    assert downloaded.filename == "泉港区政府办-2024-0001-答复书（予以公开）-20240327.pdf"
    assert [x.pk for x in selectors.letter_list(user=supervisor, application_id=app.pk)] == [
        letter.pk
    ]
    with pytest.raises(AccessDeniedError) as denied:
        selectors.letter_file(user=outsider, letter_id=letter.pk, file_format="docx")
    with pytest.raises(AccessDeniedError) as missing:
        selectors.letter_file(user=outsider, letter_id=-1, file_format="docx")
    assert str(denied.value).replace(str(letter.pk), "?") == str(missing.value).replace("-1", "?")


# --- the archive cannot change -----------------------------------------------------------------


def test_an_archived_letter_cannot_be_changed_or_deleted(world: World, clerk: User) -> None:
    app = register(clerk, world)
    _decided("disclosed")(clerk, clerk, app)
    letter = services.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=LetterKind.REPLY_DISCLOSED,
        on=LETTER_DAY,
    )
    original = bytes(letter.pdf)

    letter.pdf = b"forged"
    with pytest.raises(AppendOnlyError, match="不能修改"):
        letter.save()
    with pytest.raises(AppendOnlyError, match="不能删除"):
        letter.delete()
    assert bytes(SentLetter.objects.get(pk=letter.pk).pdf) == original


# --- templates ---------------------------------------------------------------------------------


def test_a_head_edits_the_units_template_and_the_next_letter_uses_it(
    world: World, clerk: User, head: User
) -> None:
    body = services.default_template(LetterKind.REPLY_DISCLOSED).replace(
        "特此答复。", "特此答复。如有疑问，请于工作日致电本机关。"
    )
    services.letter_template_update(
        acting_user=head, unit=world.district, kind=LetterKind.REPLY_DISCLOSED, body=body
    )
    app = register(clerk, world)
    _decided("disclosed")(clerk, clerk, app)
    text = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.REPLY_DISCLOSED, on=LETTER_DAY
    ).document.text
    assert "如有疑问，请于工作日致电本机关。" in text

    # another unit still uses the default, and the editor lists one saved version
    assert services.current_template(world.township, LetterKind.REPLY_DISCLOSED) == (
        services.default_template(LetterKind.REPLY_DISCLOSED)
    )
    info = {t.kind: t for t in selectors.letter_template_list(user=head, unit=world.district)}
    assert info[LetterKind.REPLY_DISCLOSED].versions == 1
    assert info[LetterKind.REPLY_DISCLOSED].is_default is False
    assert info[LetterKind.FEE].is_default is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param("# 标题\n{% if %}", "模板有语法错误", id="syntax"),
        pytest.param("正文没有标题", "缺少标题行", id="no_title"),
        pytest.param("# 标题\n{% include 'x.txt' %}", "模板", id="include"),
    ],
)
def test_a_broken_template_is_refused_with_the_reason(
    world: World, head: User, body: str, message: str
) -> None:
    with pytest.raises(LetterError, match=message):
        services.letter_template_update(
            acting_user=head, unit=world.district, kind=LetterKind.FEE, body=body
        )
    assert services.current_template(world.district, LetterKind.FEE) == (
        services.default_template(LetterKind.FEE)
    )


def test_a_clerk_may_not_edit_templates(world: World, clerk: User) -> None:
    with pytest.raises(AccessDeniedError, match="管理文书模板"):
        services.letter_template_update(
            acting_user=clerk, unit=world.district, kind=LetterKind.FEE, body="# 标题\n"
        )


# --- the basis table ---------------------------------------------------------------------------


def test_every_result_row_has_a_basis_and_only_unverified_ones_lack_an_article() -> None:
    for code, basis in RESULT_BASIS.items():
        assert basis.reason, code
        if not basis.article:
            assert basis.verified is False or basis.instrument != law.REGULATION_NAME, code
    assert default_legal_basis("other.fee_unpaid") == law.FEE_ARTICLE


# ---------------------------------------------------------------------------------------------
# One declaration of the template context
# ---------------------------------------------------------------------------------------------


def _shape(context: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, dict) else None for k, v in context.items()}


@pytest.mark.parametrize(("kind", "drive", "recipient"), CASES)
def test_the_real_context_has_the_declared_shape_of_the_sample(
    world: World, clerk: User, head: User, kind: LetterKind, drive: Any, recipient: str
) -> None:
    app = register(clerk, world)
    drive(clerk, head, app)
    app.refresh_from_db()
    real, _ = build_context(
        application=app, events=list(app.events.order_by("id")), kind=kind, letter_date=LETTER_DAY
    )
    sample = services.sample_context(world.district, kind)
    # the sample fills every variable; a real letter every common one and its own section
    sections = {f.name for f in fields(LetterVars) if "section" in f.metadata}
    assert set(sample) == {f.name for f in fields(LetterVars)}
    assert set(sample) - set(real) == sections - set(real)
    assert len(set(real) & sections) == 1
    assert _shape(real) == {k: v for k, v in _shape(sample).items() if k in real}


def test_the_editors_variable_list_derives_from_the_declaration() -> None:
    names = [name for name, _ in TEMPLATE_VARIABLES]
    assert names[:3] == ["issuer", "unit_address", "unit_phone"]
    assert "correction.items / .deadline / .requested_on / .article" in names
    assert dict(TEMPLATE_VARIABLES)[
        "fee.lines / .yuan / .method / .pay_by / .basis / .period / .pauses_clock"
    ].startswith("收费明细、金额")
    declared = {f.name for f in fields(LetterVars)}
    assert {name.split(".")[0] for name in names} == declared


def test_every_variable_a_shipped_template_uses_is_declared() -> None:
    declared = {f.name for f in fields(LetterVars)} | {
        f"{f.name}.{s.name}"
        for f in fields(LetterVars)
        if "section" in f.metadata
        for s in fields(f.metadata["section"])
    }
    for kind in LetterKind:
        used = set(re.findall(r"{{\s*([a-z_]+(?:\.[a-z_]+)?)", services.default_template(kind)))
        used |= set(
            re.findall(
                r"{%\s*(?:if|for \w+ in)\s+([a-z_]+(?:\.[a-z_]+)?)", services.default_template(kind)
            )
        )
        assert used <= declared | {"line"}, (kind, used - declared)
