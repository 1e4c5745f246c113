"""The draft's prose: saved per section by the unit's staff, built into the report with its
placeholders resolved, checked live as the officer types, and blocking publication when it
contradicts the tables."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.core.formats import FORMAT_2021, SECTION_OTHER, SECTION_PROBLEMS, SECTIONS
from gongkai.core.narrative.placeholders import render
from gongkai.core.narrative.templates import default_template
from gongkai.reports.builder import build_report
from gongkai.reports.models import NarrativeDraft, NarrativeEvent, PublishedReport
from gongkai.reports.prose import MAX_NARRATIVE_CHARS
from gongkai.reports.selectors import narrative_check, narrative_history, report_draft
from gongkai.reports.services import ReportError, narrative_save, report_publish

from .conftest import World, register

D = dt.date
OVERVIEW = SECTIONS[0].code
YEAR = 2024


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 3, 3))


@pytest.fixture
def two_cases(world: World, clerk: Any) -> None:
    register(clerk, world.district, submitted_on=D(2024, 3, 4))
    register(clerk, world.district, submitted_on=D(2024, 4, 8), applicant_name="李四")


def save(user: Any, world: World, text: str, section: str = OVERVIEW) -> NarrativeDraft | None:
    return narrative_save(
        acting_user=user, unit_id=world.district.pk, year=YEAR, section=section, text=text
    )


# -- the builder --------------------------------------------------------------------------------


def test_a_new_draft_is_the_default_templates_resolved(world: World, two_cases: None) -> None:
    report = build_report(unit=world.district, year=YEAR)

    template = default_template(FORMAT_2021, OVERVIEW)
    assert report.narrative[OVERVIEW] == render(template, report).strip()
    assert "本机关新收政府信息公开申请2件" in report.narrative[OVERVIEW]
    assert set(report.narrative) == {section.code for section in SECTIONS}


def test_saved_prose_is_built_with_its_placeholders_resolved(
    world: World, clerk: Any, two_cases: None
) -> None:
    save(clerk, world, "{单位}本年度新收申请{三.本年新收}件，均按时办结。")

    report = build_report(unit=world.district, year=YEAR)

    assert report.narrative[OVERVIEW] == "泉州市泉港区人民政府本年度新收申请2件，均按时办结。"


def test_section_six_keeps_the_generated_fee_sentence_before_the_officer_s_text(
    world: World, clerk: Any
) -> None:
    save(clerk, world, "本年度办理人大代表建议2件。", section=SECTION_OTHER)

    text = build_report(unit=world.district, year=YEAR).narrative[SECTION_OTHER]

    assert text == "本年度未发出收费通知，未收取信息处理费。\n本年度办理人大代表建议2件。"


def test_the_published_snapshot_holds_the_prose(world: World, head: Any, two_cases: None) -> None:
    save(head, world, "本年度新收申请{三.本年新收}件。")

    published = report_publish(acting_user=head, unit_id=world.district.pk, year=YEAR)

    assert published.report.narrative[OVERVIEW] == "本年度新收申请2件。"


# -- saving -------------------------------------------------------------------------------------


def test_each_save_is_recorded_with_who_and_what(world: World, clerk: Any, head: Any) -> None:
    save(clerk, world, "第一稿")
    save(head, world, "第二稿")
    save(head, world, "第二稿")  # unchanged: nothing to record

    draft = NarrativeDraft.objects.get()
    assert (draft.text, draft.updated_by) == ("第二稿", head)
    history = narrative_history(user=clerk, unit_id=world.district.pk, year=YEAR)
    assert [(e.kind, e.text, e.actor) for e in history] == [
        ("saved", "第二稿", head),
        ("saved", "第一稿", clerk),
    ]


def test_blank_text_returns_the_section_to_its_template(world: World, clerk: Any) -> None:
    save(clerk, world, "第一稿")

    assert save(clerk, world, "  \n") is None

    assert not NarrativeDraft.objects.exists()
    assert [e.kind for e in NarrativeEvent.objects.order_by("id")] == ["saved", "reset"]
    report = build_report(unit=world.district, year=YEAR)
    assert report.narrative[OVERVIEW].startswith("2024年，泉州市泉港区人民政府认真贯彻落实")


@pytest.mark.parametrize(
    ("section", "text", "message"),
    [
        (OVERVIEW, "共{三.本年收到}件", "“一、总体情况”的正文没有保存：第 1 行第 2 个字的占位符"),
        (OVERVIEW, "共{三.本年新收件", "第 1 行第 2 个字的「{」没有对应的「}」"),
        (OVERVIEW, "字" * (MAX_NARRATIVE_CHARS + 1), "超过了每个章节 20000 字的上限"),
        ("appendix", "附件", "年度报告没有编号为「appendix」的章节"),
    ],
)
def test_bad_text_is_refused_and_nothing_is_written(
    world: World, clerk: Any, section: str, text: str, message: str
) -> None:
    with pytest.raises(ReportError, match=message):
        save(clerk, world, text, section=section)
    assert not NarrativeDraft.objects.exists()
    assert not NarrativeEvent.objects.exists()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_only_the_unit_s_staff_edit_its_prose(world: World, role: Role) -> None:
    with pytest.raises(AccessDeniedError):
        save(world.member(role), world, "正文")
    assert not NarrativeDraft.objects.exists()


def test_the_staff_of_another_unit_cannot_edit(world: World) -> None:
    stranger = world.member(Role.CLERK, unit=world.other_district)
    with pytest.raises(AccessDeniedError):
        save(stranger, world, "正文")


# -- checking and publishing --------------------------------------------------------------------


def test_the_live_check_quotes_the_wrong_sentence(
    world: World, clerk: Any, two_cases: None
) -> None:
    checked = narrative_check(
        user=clerk,
        unit_id=world.district.pk,
        year=YEAR,
        section=OVERVIEW,
        text="本年度共新收政府信息公开申请5件。其余情况见下表。",
    )

    assert [f.rule for f in checked.findings] == ["narrative.mismatch"]
    assert checked.findings[0].excerpt == "本年度共新收政府信息公开申请5件。"
    assert "为 2 件" in checked.findings[0].message
    assert not NarrativeDraft.objects.exists()  # checking saves nothing


def test_a_placeholder_in_place_of_the_number_checks_clean(
    world: World, clerk: Any, two_cases: None
) -> None:
    checked = narrative_check(
        user=clerk,
        unit_id=world.district.pk,
        year=YEAR,
        section=OVERVIEW,
        text="本年度共新收政府信息公开申请{三.本年新收}件。",
    )
    assert checked.findings == []
    assert checked.resolved == "本年度共新收政府信息公开申请2件。"


def test_a_contradicting_prose_blocks_publication(world: World, head: Any, two_cases: None) -> None:
    save(head, world, "本年度共新收政府信息公开申请5件。")

    with pytest.raises(ReportError, match="不能发布") as refused:
        report_publish(acting_user=head, unit_id=world.district.pk, year=YEAR)

    assert "正文称" in str(refused.value)
    assert not PublishedReport.objects.exists()
    draft = report_draft(user=head, unit_id=world.district.pk, year=YEAR)
    assert not draft.publishable


def test_the_supervisor_reads_the_prose_but_cannot_check_it_as_an_editor(world: World) -> None:
    supervisor = world.member(Role.SUPERVISOR)
    with pytest.raises(AccessDeniedError):
        narrative_check(
            user=supervisor, unit_id=world.district.pk, year=YEAR, section=OVERVIEW, text="x"
        )
    assert narrative_history(user=supervisor, unit_id=world.district.pk, year=YEAR) == []


# -- the pages ----------------------------------------------------------------------------------


def page_url(world: World, suffix: str = "") -> str:
    return f"/reports/{world.district.pk}/{YEAR}/{suffix}"


def test_the_page_shows_an_editor_per_section_beside_the_tables(
    client: Client, world: World, clerk: Any, two_cases: None
) -> None:
    client.force_login(clerk)

    text = client.get(page_url(world)).content.decode()

    assert text.count('<textarea name="text"') == len(SECTIONS)
    assert "{三.本年新收}" in text  # the template's placeholder, in the text box
    assert 'data-placeholder="{三.本年新收.总计}"' in text  # a table cell beside the prose
    assert "reports/editor.js" in text


def test_the_supervisor_sees_the_prose_without_editors(
    client: Client, world: World, two_cases: None
) -> None:
    client.force_login(world.member(Role.SUPERVISOR))

    text = client.get(page_url(world)).content.decode()

    assert "<textarea" not in text
    assert "本机关新收政府信息公开申请2件" in text


def test_saving_from_the_page_without_javascript(
    client: Client, world: World, clerk: Any, two_cases: None
) -> None:
    client.force_login(clerk)

    response = client.post(
        page_url(world, f"narrative/{SECTION_PROBLEMS}/"),
        {"text": "本年度共新收政府信息公开申请9件。"},
        follow=True,
    )

    text = response.content.decode()
    assert "已保存“五、存在的主要问题及改进情况”的正文" in text
    assert response.redirect_chain[-1][0].endswith(f"#section-{SECTION_PROBLEMS}")
    assert "正文修改记录（1 次）" in text
    # The contradiction is shown next to its section after the save, and blocks publishing.
    assert "正文称" in text and "<q>本年度共新收政府信息公开申请9件。</q>" in text


def test_a_bad_placeholder_posted_from_the_page_gets_its_message(
    client: Client, world: World, clerk: Any
) -> None:
    client.force_login(clerk)

    response = client.post(
        page_url(world, f"narrative/{OVERVIEW}/"), {"text": "{三.无}"}, follow=True
    )

    assert "没有名为「无」的行" in response.content.decode()
    assert not NarrativeDraft.objects.exists()


def check(client: Client, world: World, text: str, section: str = OVERVIEW) -> Any:
    return client.post(page_url(world, f"narrative/{section}/check/"), {"text": text})


def test_the_check_endpoint_returns_the_findings_as_json(
    client: Client, world: World, clerk: Any, two_cases: None
) -> None:
    client.force_login(clerk)

    wrong = check(client, world, "本年度共新收政府信息公开申请7件。")
    right = check(client, world, "本年度共新收政府信息公开申请{三.本年新收}件。")

    assert wrong.status_code == 200
    data = json.loads(wrong.content)
    assert data["errors"] == 1
    (finding,) = data["findings"]
    assert finding["severity"] == "error" and finding["label"] == "错误"
    assert finding["excerpt"] == "本年度共新收政府信息公开申请7件。"
    assert json.loads(right.content) == {
        "resolved": "本年度共新收政府信息公开申请2件。",
        "findings": [],
        "errors": 0,
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{四.行政复议.撤销}", "表格「四」中没有名为「撤销」的列"),
        ("字" * (MAX_NARRATIVE_CHARS + 1), "超过了每个章节"),
    ],
)
def test_the_check_endpoint_refuses_bad_text_in_chinese(
    client: Client, world: World, clerk: Any, text: str, message: str
) -> None:
    client.force_login(clerk)

    response = check(client, world, text)

    assert response.status_code == 400
    assert message in json.loads(response.content)["error"]


def test_the_check_endpoint_refuses_someone_who_may_not_edit(client: Client, world: World) -> None:
    client.force_login(world.member(Role.SUPERVISOR))

    response = check(client, world, "正文")

    assert response.status_code == 404
    assert "编写年度报告正文" in json.loads(response.content)["error"]


def test_posts_without_the_csrf_token_are_refused(world: World, clerk: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)

    saved = client.post(page_url(world, f"narrative/{OVERVIEW}/"), {"text": "正文"})
    checked = client.post(page_url(world, f"narrative/{OVERVIEW}/check/"), {"text": "正文"})

    assert (saved.status_code, checked.status_code) == (403, 403)
    assert not NarrativeDraft.objects.exists()


def test_the_check_endpoint_accepts_the_token_in_the_header(world: World, clerk: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(clerk)
    client.get(page_url(world))
    token = client.cookies["csrftoken"].value

    response = client.post(
        page_url(world, f"narrative/{OVERVIEW}/check/"), {"text": "正文"}, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 200


def test_template_notes_left_in_are_warned_about_but_do_not_block(
    world: World, head: Any, two_cases: None
) -> None:
    draft = report_draft(user=head, unit_id=world.district.pk, year=YEAR)
    notes = [f for f in draft.findings if f.rule == "reports.template_note"]
    assert notes and all(not f.is_error and "〔请填写" in (f.excerpt or "") for f in notes)
    assert draft.publishable

    save(head, world, "本年度新收申请{三.本年新收}件，全部按时办结。")
    save(head, world, "暂无。", section=SECTION_PROBLEMS)

    draft = report_draft(user=head, unit_id=world.district.pk, year=YEAR)
    assert [f for f in draft.findings if f.rule == "reports.template_note"] == []
