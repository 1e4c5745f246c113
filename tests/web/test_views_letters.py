"""Letters through HTTP: preview without archiving, 发送并存档 with the version, archived
downloads with Chinese file names, and the template editor and letterhead of a unit's head.

"Today" is pinned to Wednesday 2025-06-18.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from typing import Any
from urllib.parse import quote

import docx
import pytest
from django.test import Client
from django.urls import reverse

from gongkai.agencies import pages
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application, EventKind, result_rows
from gongkai.core import law
from gongkai.core.formats import FORMAT_2021
from gongkai.letters import services
from gongkai.letters.context import full_citation
from gongkai.letters.models import LetterKind, LetterTemplate, SentLetter
from gongkai.letters.selectors import CONTENT_TYPES
from gongkai.letters.services import default_template

from . import conftest
from .conftest import World

TODAY = dt.date(2025, 6, 18)
D = dt.date
# Why this case's information is withheld, as the clerk records it with the decision.
FACTS = "所申请的发放明细载有领取人的身份证号码和银行账号，属于个人隐私"


@pytest.fixture(autouse=True)
def pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: TODAY)
    monkeypatch.setattr(pages, "today", lambda: TODAY)


def register(clerk: Any, world: World) -> Application:
    return conftest.register(
        clerk,
        world.district,
        applicant_name="陈某某",
        id_document_number="350505198805051234",
        description="泉港区2024年度城乡居民最低生活保障资金发放明细",
        submitted_on=D(2025, 6, 3),
    )


@pytest.fixture
def decided(clerk: Any, world: World) -> Application:
    app = register(clerk, world)
    return s.application_decide(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        result="withheld.third_party",
        legal_basis="《条例》第十五条",
        facts=FACTS,
        on=D(2025, 6, 16),
    )


def client_for(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def send(client: Client, app: Application, kind: str, *, index: int = 0, **fields: Any) -> Any:
    prefix = f"letter-{kind}-{index}"
    data = {
        f"{prefix}-version": fields.pop("version", Application.objects.get(pk=app.pk).version),
        f"{prefix}-kind": kind,
        f"{prefix}-party": fields.pop("party", ""),
        f"{prefix}-on": fields.pop("on", TODAY.isoformat()),
    }
    return client.post(reverse("letters:send", args=[app.pk]), data)


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)


def test_the_case_page_offers_the_reply_letter_the_result_calls_for(
    clerk: Any, decided: Application
) -> None:
    page = client_for(clerk).get(reverse("applications:case", args=[decided.pk])).content.decode()

    assert "答复书（不予公开）" in page
    assert reverse("letters:preview", args=[decided.pk, "reply.withheld", "docx"]) in page
    assert "补正告知书" not in page  # no 补正 in this history
    assert "尚未发出文书" in page


@pytest.mark.parametrize("file_format", ["docx", "pdf"])
def test_a_preview_downloads_the_letter_and_archives_nothing(
    clerk: Any, decided: Application, file_format: str
) -> None:
    events = decided.events.count()

    response = client_for(clerk).get(
        reverse("letters:preview", args=[decided.pk, "reply.withheld", file_format])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[file_format]
    name = f"{decided.tracking_number}-答复书（不予公开）-预览.{file_format}"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')  # an ASCII fallback for old browsers
    assert disposition.endswith(f"; filename*=UTF-8''{quote(name)}")
    assert disposition.isascii()
    if file_format == "docx":
        assert "陈某某" in docx_text(response.content)
    else:
        assert response.content.startswith(b"%PDF-")
    assert SentLetter.objects.count() == 0
    assert decided.events.count() == events


def test_sending_archives_the_letter_writes_the_event_and_offers_the_downloads(
    clerk: Any, decided: Application
) -> None:
    client = client_for(clerk)

    response = send(client, decided, "reply.withheld")

    assert response.status_code == 302
    letter = SentLetter.objects.get()
    assert (letter.kind, letter.recipient, letter.letter_date) == (
        "reply.withheld",
        "陈某某",
        TODAY,
    )
    last = decided.events.order_by("id").last()
    assert last is not None
    assert (last.kind, last.data["docx_sha256"]) == (EventKind.LETTER_SENT, letter.docx_sha256)
    page = client.get(reverse("applications:case", args=[decided.pk])).content.decode()
    assert reverse("letters:download", args=[letter.pk, "docx"]) in page

    download = client.get(reverse("letters:download", args=[letter.pk, "docx"]))
    assert download.status_code == 200
    assert download.content == bytes(letter.docx)
    assert download["Content-Type"] == CONTENT_TYPES["docx"]
    name = f"{decided.tracking_number}-答复书（不予公开）-20250618.docx"
    assert download["Content-Disposition"].endswith(f"filename*=UTF-8''{quote(name)}")
    text = docx_text(download.content)
    assert "陈某某" in text
    assert decided.tracking_number in text
    assert "第十五条" in text
    assert f"{law.RECONSIDERATION_PERIOD_DAYS}日内" in text
    # 不予公开 served after 2024-01-01: 行政复议 first (行政复议法 2023, Art 23 ¶1 (四))
    assert "应当先自收到本答复之日起" in text
    assert f"{law.LITIGATION_PERIOD_MONTHS}个月内" not in text
    pdf = client.get(reverse("letters:download", args=[letter.pk, "pdf"]))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    assert pdf.content == bytes(letter.pdf)


@pytest.mark.parametrize(
    ("kind", "title"),
    [("reply.withheld", "政府信息公开申请答复书"), ("extension", "政府信息公开申请延期答复告知书")],
)
def test_the_case_history_names_each_letter_sent_by_title_kind_and_recipient(
    clerk: Any, head: Any, world: World, kind: str, title: str
) -> None:
    app = register(clerk, world)
    if kind == "extension":
        app = s.application_request_extension(
            acting_user=clerk,
            application_id=app.pk,
            expected_version=app.version,
            working_days=10,
            reason="需要调取档案并逐页审查",
            on=D(2025, 6, 16),
        )
        s.application_approve_extension(
            acting_user=head, application_id=app.pk, expected_version=app.version, on=TODAY
        )
    else:
        s.application_decide(
            acting_user=clerk,
            application_id=app.pk,
            expected_version=app.version,
            result="withheld.third_party",
            legal_basis="《条例》第十五条",
            facts=FACTS,
            on=D(2025, 6, 16),
        )
    client = client_for(clerk)

    assert send(client, app, kind).status_code == 302

    label = LetterKind(kind).label
    event = app.events.filter(kind=EventKind.LETTER_SENT).get()
    summary = f"发出《{title}》（泉港区政府办〔2025〕1号，文书类型：{label}），收件人：陈某某"
    assert event.data["summary"] == summary
    page = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    history = page[page.index(f"{TODAY.isoformat()} {EventKind.LETTER_SENT.label}") :]
    assert history.startswith(f"{TODAY.isoformat()} {EventKind.LETTER_SENT.label}</strong>：")
    assert summary in html.unescape(history)


def test_a_stale_version_is_refused_by_the_form_and_nothing_is_archived(
    clerk: Any, decided: Application
) -> None:
    response = send(client_for(clerk), decided, "reply.withheld", version=decided.version - 1)

    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert SentLetter.objects.count() == 0


@pytest.mark.parametrize(
    ("_case", "kind", "fields", "message"),
    [
        ("letter before the step", "correction", {}, "尚未发出补正告知，不能生成该文书"),
        ("wrong reply letter", "reply.disclosed", {}, "应使用“答复书（不予公开）”"),
        (
            "dated before the decision",
            "reply.withheld",
            {"on": "2025-06-10"},
            "文书落款日期 2025-06-10 早于申请",
        ),
        ("dated in the future", "reply.withheld", {"on": "2025-06-19"}, "不能晚于今天"),
        ("no date", "reply.withheld", {"on": ""}, "请填写落款日期"),
    ],
)
def test_a_letter_that_cannot_be_sent_is_explained_and_nothing_is_written(
    clerk: Any, decided: Application, _case: str, kind: str, fields: dict[str, str], message: str
) -> None:
    events = decided.events.count()

    response = send(client_for(clerk), decided, kind, **fields)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert SentLetter.objects.count() == 0
    assert decided.events.count() == events


def test_a_preview_that_cannot_be_made_is_shown_on_the_case_page(
    clerk: Any, decided: Application
) -> None:
    response = client_for(clerk).get(
        reverse("letters:preview", args=[decided.pk, "extension", "docx"])
    )
    assert response.status_code == 400
    assert "无法预览延期答复告知书" in response.content.decode()


def test_letters_of_other_units_are_not_found_and_supervisors_only_read(
    world: World, clerk: Any, decided: Application
) -> None:
    send(client_for(clerk), decided, "reply.withheld")
    letter = SentLetter.objects.get()
    outsider = client_for(world.member(Role.CLERK, world.other_district))
    supervisor = client_for(world.member(Role.SUPERVISOR))
    download = reverse("letters:download", args=[letter.pk, "docx"])
    preview = reverse("letters:preview", args=[decided.pk, "reply.withheld", "docx"])

    assert outsider.get(download).status_code == 404
    assert outsider.get(preview).status_code == 404
    assert send(outsider, decided, "reply.withheld").status_code == 404
    assert (
        client_for(clerk).get(reverse("letters:download", args=[letter.pk, "odt"])).status_code
        == 404
    )
    assert supervisor.get(download).status_code == 200
    refused = send(supervisor, decided, "reply.withheld")
    assert refused.status_code == 403
    assert "无权发送文书" in refused.content.decode()
    assert SentLetter.objects.count() == 1


def test_a_head_edits_previews_and_resets_a_template(world: World, head: Any) -> None:
    client = client_for(head)
    url = reverse("letters:template_edit", args=["correction"])
    body = default_template("correction").replace("请您于", "请您务必于")
    assert body != default_template("correction")

    listing = client.get(reverse("letters:templates"))
    assert listing.status_code == 200
    assert "补正告知书" in listing.content.decode()
    preview = client.post(url, {"body": body, "action": "preview"})
    assert preview.status_code == 200
    assert "请您务必于" in preview.content.decode()
    assert LetterTemplate.objects.count() == 0

    saved = client.post(url, {"body": body, "action": "save"})
    assert saved.status_code == 302
    assert LetterTemplate.objects.get().body.strip() == body.strip()

    client.post(reverse("letters:template_reset", args=["correction"]), {})
    newest = LetterTemplate.objects.order_by("-id").first()
    assert newest is not None
    assert newest.body == default_template("correction")
    assert LetterTemplate.objects.count() == 2


def test_a_broken_template_is_explained_and_not_saved(head: Any) -> None:
    url = reverse("letters:template_edit", args=["fee"])
    response = client_for(head).post(url, {"body": "{% if %}", "action": "save"})

    assert response.status_code == 400
    assert "“收费通知书”模板有语法错误" in response.content.decode()
    assert LetterTemplate.objects.count() == 0


def test_the_letterhead_is_saved_and_printed(world: World, head: Any, clerk: Any) -> None:
    client = client_for(head)
    response = client.post(
        reverse("letters:letterhead"),
        {
            "issuer": "泉州市泉港区人民政府办公室",
            "address": "泉港区山腰街道",
            "phone": "0595-87000000",
            "reconsideration_body": "泉州市人民政府",
            "court": "泉州市中级人民法院",
        },
    )
    assert response.status_code == 302
    refused = client.post(reverse("letters:letterhead"), {"issuer": " "})
    assert refused.status_code == 400
    assert "请填写落款机关名称" in refused.content.decode()

    app = register(clerk, world)
    s.application_decide(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=app.version,
        result="disclosed",
        legal_basis="《条例》第三十六条第（二）项",
        on=D(2025, 6, 16),
    )
    preview = client_for(clerk).get(
        reverse("letters:preview", args=[app.pk, "reply.disclosed", "docx"])
    )
    text = docx_text(preview.content)
    assert "泉州市泉港区人民政府办公室" in text
    assert "向泉州市人民政府申请行政复议" in text


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.CLERK, 404), (Role.SUPERVISOR, 404), (Role.HEAD, 200), (Role.ADMIN, 200)],
)
def test_only_heads_and_administrators_manage_templates(
    world: World, role: Role, status: int
) -> None:
    client = client_for(world.member(role))
    assert client.get(reverse("letters:templates")).status_code == status
    edit = reverse("letters:template_edit", args=["fee"])
    assert client.get(edit).status_code == status
    assert client.get(reverse("letters:letterhead")).status_code == status
    nav = client.get(reverse("applications:dashboard", args=[world.district.pk]))
    if nav.status_code == 200:
        assert ("告知书模板" in nav.content.decode()) is (status == 200)


def test_another_units_templates_are_not_found(world: World, head: Any) -> None:
    client = client_for(head)
    other = world.other_district.pk
    assert client.get(f"{reverse('letters:templates')}?unit={other}").status_code == 404
    edit = reverse("letters:template_edit", args=["fee"])
    assert client.post(f"{edit}?unit={other}", {"body": "x", "action": "save"}).status_code == 404
    assert LetterTemplate.objects.count() == 0


def test_the_decision_form_offers_the_default_legal_basis(clerk: Any, world: World) -> None:
    app = register(clerk, world)
    client = client_for(clerk)
    page = client.get(reverse("applications:case", args=[app.pk])).content.decode()
    assert "data-bases" in page
    assert "《中华人民共和国政府信息公开条例》第十五条" in page

    response = client.post(
        reverse("applications:step", args=[app.pk, "decide"]),
        {
            "decide-version": app.version,
            "decide-on": TODAY.isoformat(),
            "decide-result": "withheld.third_party",
            "decide-legal_basis": "",
            "decide-facts": FACTS,
        },
    )
    assert response.status_code == 302
    event = app.events.get(kind=EventKind.DECIDED)
    assert event.data["legal_basis"] == "《中华人民共和国政府信息公开条例》第十五条"


# Text a letter shows when a value it prints is empty: 「根据的规定」「（）」「“”」「即前」…
EMPTY_PLACEHOLDERS = ["根据的规定", "（）", "“”", "（即前）", "于前", "起个工作日", "延长个工作日"]


@pytest.mark.parametrize("kind", list(LetterKind), ids=[k.value for k in LetterKind])
def test_every_default_template_previews_without_an_empty_placeholder(
    head: Any, kind: LetterKind
) -> None:
    response = client_for(head).post(
        reverse("letters:template_edit", args=[kind.value]),
        {"body": default_template(kind), "action": "preview"},
    )

    assert response.status_code == 200
    found = re.search(r'<pre[^>]*id="preview"[^>]*>(.*?)</pre>', response.content.decode(), re.S)
    assert found is not None
    preview = html.unescape(found.group(1))
    for empty in EMPTY_PLACEHOLDERS:
        assert empty not in preview, f"{kind.label} preview shows 「{empty}」"
    assert law.REGULATION_NAME in preview or law.FEE_ARTICLE in preview


def leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in leaves(v)] or [value]
    return [value]


@pytest.mark.parametrize("kind", list(LetterKind), ids=[k.value for k in LetterKind])
def test_the_sample_context_fills_every_value_from_the_law(world: World, kind: LetterKind) -> None:
    sample = services.sample_context(world.district, kind)

    # every value but the letterhead's optional contacts is filled (the flag may be False)
    contacts = {k: sample.pop(k) for k in ("unit_address", "unit_phone")}
    assert contacts == {"unit_address": "", "unit_phone": ""}  # no letterhead set
    assert all(leaf not in ("", 0, [], None) for leaf in leaves(sample) if leaf is not False)
    assert sample["correction"]["article"] == full_citation(law.CORRECTION_NOTICE_PERIOD.article)
    assert sample["extension"]["working_days"] == law.EXTENSION_MAX.working_days
    assert sample["fee"]["period"] == law.FEE_PAYMENT_PERIOD.working_days
    period = (
        law.INTER_AGENCY_CONSULTATION_PERIOD
        if kind is LetterKind.CONSULTATION_AGENCY
        else law.THIRD_PARTY_CONSULTATION_PERIOD
    )
    assert (sample["consultation"]["article"], sample["consultation"]["period"]) == (
        full_citation(period.article),
        period.working_days,
    )
    if kind.value.startswith("reply."):
        # the sample decision is a table 三 result row of the reply's own group
        labels = {row.label: (group or row).code for row, group in result_rows(FORMAT_2021.table3)}
        assert labels[sample["decision"]["result"]] == kind.value.removeprefix("reply.")
