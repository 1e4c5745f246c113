"""Letters print what the clerk typed: ``& < > " '`` never become HTML entities.

A company named 泉州A&B贸易有限公司, a description with quotes and angle brackets, a party, a
reason, 补正 items and a letterhead with the same characters go through every letter kind; the
Word file, the PDF, the template editor's preview and the archived copy are read back as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.core.results import default_legal_basis
from gongkai.letters import services
from gongkai.letters.models import LetterKind

from .conftest import World
from .test_letters import docx_text, pdf_text, reasons_for, register, step, version

D = dt.date
LETTER_DAY = D(2024, 3, 27)

APPLICANT = "泉州A&B贸易有限公司"
DESCRIPTION = "关于\"<城区>道路\"改造的'立项'批复 & 附件"
ADDRESS = '泉州市<泉港区> "山腰" 街道1号 & 2号'
ISSUER = "泉州市泉港区人民政府办公室（A&B）"
PARTY = '泉州"<某某>"建设&开发有限公司'
AGENCY = "泉港区住房和城乡建设局 & 城管局"
ITEMS = "请写明所需文件的文号（如“泉港政〔2023〕5号”）& 发文日期 <必填>"
REASON = '需要调取"档案" & 逐页审查 <涉密>'
FACTS = '申请内容中的"投标人报价" & 评分明细 <第三方商业秘密>'
ENTITIES = ("&amp;", "&lt;", "&gt;", "&quot;", "&#x27;", "&#39;")


def _correction(c: User, h: User, app: Application) -> list[str]:
    step(
        s.application_request_correction,
        c,
        app,
        items=ITEMS,
        supplement_deadline=D(2024, 3, 22),
        on=D(2024, 3, 6),
    )
    return [ITEMS]


def _extension(c: User, h: User, app: Application) -> list[str]:
    step(s.application_request_extension, c, app, working_days=15, reason=REASON, on=D(2024, 3, 25))
    step(s.application_approve_extension, h, app, on=D(2024, 3, 26))
    return [REASON]


def _consultation(kind: str, party: str) -> Callable[[User, User, Application], list[str]]:
    def drive(c: User, h: User, app: Application) -> list[str]:
        step(
            s.application_start_consultation,
            c,
            app,
            consultation=kind,
            party=party,
            on=D(2024, 3, 8),
        )
        return [party]

    return drive


def _fee(c: User, h: User, app: Application) -> list[str]:
    step(s.application_send_fee_notice, c, app, method="per_page", pages=150, on=D(2024, 3, 8))
    return []


def _decided(result: str) -> Callable[[User, User, Application], list[str]]:
    def drive(c: User, h: User, app: Application) -> list[str]:
        step(
            s.application_decide,
            c,
            app,
            result=result,
            legal_basis=default_legal_basis(result),
            on=D(2024, 3, 18),
            **{k: FACTS if k != "withheld_ground" else v for k, v in reasons_for(result).items()},
        )
        return [FACTS] if reasons_for(result) else []

    return drive


def _abandoned(c: User, h: User, app: Application) -> list[str]:
    _correction(c, h, app)
    step(s.application_abandon_correction, c, app, on=D(2024, 3, 25))
    return []


CASES: list[Any] = [
    pytest.param(LetterKind.CORRECTION, _correction, id="correction"),
    pytest.param(LetterKind.EXTENSION, _extension, id="extension"),
    pytest.param(
        LetterKind.CONSULTATION_THIRD_PARTY, _consultation("third_party", PARTY), id="third_party"
    ),
    pytest.param(LetterKind.CONSULTATION_AGENCY, _consultation("agency", AGENCY), id="agency"),
    pytest.param(LetterKind.FEE, _fee, id="fee"),
    pytest.param(LetterKind.REPLY_DISCLOSED, _decided("disclosed"), id="disclosed"),
    pytest.param(LetterKind.REPLY_PARTLY_DISCLOSED, _decided("partly_disclosed"), id="partly"),
    pytest.param(LetterKind.REPLY_WITHHELD, _decided("withheld.third_party"), id="withheld"),
    pytest.param(LetterKind.REPLY_UNAVAILABLE, _decided("unavailable.not_held"), id="unavailable"),
    pytest.param(
        LetterKind.REPLY_NOT_PROCESSED, _decided("not_processed.repeat"), id="not_processed"
    ),
    pytest.param(LetterKind.REPLY_OTHER, _abandoned, id="abandoned"),
]


def test_every_letter_kind_is_covered() -> None:
    assert {p.values[0] for p in CASES} == set(LetterKind)


def _letterhead(world: World, head: User) -> None:
    services.letterhead_update(
        acting_user=head,
        unit=world.district,
        issuer=ISSUER,
        address=ADDRESS,
        phone="0595-8700'0000",
        reconsideration_body="泉州市人民政府 & 行政复议局",
        court="泉州市<中级>人民法院",
    )


def _squash(text: str) -> str:
    return "".join(text.split())


@pytest.mark.parametrize(("kind", "drive"), CASES)
def test_hostile_characters_print_literally_in_every_file_of_every_letter(
    world: World, clerk: User, head: User, kind: LetterKind, drive: Any
) -> None:
    # given a company applicant, a description, a letterhead and step texts with & < > " '
    _letterhead(world, head)
    app = register(clerk, world, applicant_name=APPLICANT, description=DESCRIPTION, address=ADDRESS)
    typed = [*drive(clerk, head, app), ISSUER]
    if kind.value.startswith("reply."):
        typed += ["泉州市人民政府 & 行政复议局", "泉州市<中级>人民法院"]
    if kind not in (LetterKind.CONSULTATION_THIRD_PARTY, LetterKind.CONSULTATION_AGENCY):
        typed.append(APPLICANT)
    typed.append(DESCRIPTION)

    # when the letter is previewed and then sent (archived)
    preview = services.letter_preview(user=clerk, application_id=app.pk, kind=kind, on=LETTER_DAY)
    letter = services.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=kind,
        on=LETTER_DAY,
    )

    # then every text the applicant reads holds the characters as typed, and no entity
    texts = {
        "preview": preview.document.text,
        "archived text": letter.text,
        "docx": docx_text(bytes(letter.docx)),
        "pdf": pdf_text(bytes(letter.pdf)),
        "preview docx": docx_text(preview.docx),
    }
    for where, text in texts.items():
        for entity in ENTITIES:
            assert entity not in text, f"{entity} in the {where} of {kind.label}"
        for wanted in typed:
            assert _squash(wanted) in _squash(text), f"{wanted!r} missing from {where}"


def test_the_template_editors_preview_escapes_once_for_the_page(world: World, head: User) -> None:
    # given a letterhead with & in the issuer
    _letterhead(world, head)
    client = Client()
    client.force_login(head)

    # when the head previews the shipped reply template
    url = reverse("letters:template_edit", args=[LetterKind.REPLY_DISCLOSED.value])
    body = services.default_template(LetterKind.REPLY_DISCLOSED)
    page = client.post(f"{url}?unit={world.district.pk}", {"body": body, "action": "preview"})

    # then the page's HTML escapes it exactly once: the browser shows "（A&B）"
    content = page.content.decode()
    assert "（A&amp;B）" in content
    assert "&amp;amp;" not in content
