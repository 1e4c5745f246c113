"""Formal details of a letter: its 文号, the place of the seal, the channel in formal words.

Every letter sent takes the unit's next 文号 of the letter's year (泉港政信〔2024〕3号, the prefix
set on the letterhead); a preview leaves the number blank and uses none; a refused letter uses
none. The issuer and date are set in with room above for the seal (GB/T 9704), in Word and PDF.
"""

from __future__ import annotations

import datetime as dt
import io

import pdfplumber
import pytest
from django.contrib.auth.models import User
from docx import Document
from docx.shared import Pt

from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.models import Application
from gongkai.letters import services
from gongkai.letters.context import LetterError
from gongkai.letters.document import Layout
from gongkai.letters.models import LetterKind, LetterNumber
from gongkai.letters.render_docx import SEAL_RIGHT_INDENT, SEAL_SPACE_BEFORE, STYLE_NAMES

from . import conftest
from .conftest import World
from .test_letters import step, version

D = dt.date


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2025, 1, 24))


def disclosed(clerk: User, world: World, *, unit: object = None, **fields: object) -> Application:
    app = conftest.register(clerk, unit or world.district, submitted_on=D(2024, 12, 2), **fields)
    step(
        s.application_decide,
        clerk,
        app,
        result="disclosed",
        legal_basis="《条例》第三十六条第（二）项",
        on=D(2024, 12, 20),
    )
    return Application.objects.get(pk=app.pk)


def send(clerk: User, app: Application, on: dt.date) -> str:
    return services.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=LetterKind.REPLY_DISCLOSED,
        on=on,
    ).reference


def test_numbers_run_per_unit_and_year_without_gaps(world: World, clerk: User, head: User) -> None:
    # given the unit's prefix on its letterhead
    services.letterhead_update(
        acting_user=head,
        unit=world.district,
        issuer="泉州市泉港区人民政府",
        number_prefix="泉港政信",
    )
    first, second, third = (disclosed(clerk, world) for _ in range(3))

    # when letters are sent in December and January, and one is refused in between
    assert send(clerk, first, D(2024, 12, 30)) == "泉港政信〔2024〕1号"
    with pytest.raises(LetterError):
        services.letter_send(
            acting_user=clerk,
            application_id=second.pk,
            expected_version=version(second),
            kind=LetterKind.CORRECTION,  # no 补正 in this case
            on=D(2024, 12, 31),
        )
    assert send(clerk, second, D(2024, 12, 31)) == "泉港政信〔2024〕2号"
    assert send(clerk, third, D(2025, 1, 2)) == "泉港政信〔2025〕1号"

    # then another unit counts on its own, with its short name where no prefix is set
    officer = world.member(Role.CLERK, world.department)
    other = disclosed(officer, world, unit=world.department)
    assert send(officer, other, D(2024, 12, 30)) == "泉港区教育局〔2024〕1号"
    assert LetterNumber.objects.get(unit=world.district, year=2024).last == 2


def test_a_preview_leaves_the_number_blank_and_uses_none(world: World, clerk: User) -> None:
    app = disclosed(clerk, world)
    preview = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.REPLY_DISCLOSED, on=D(2024, 12, 30)
    )
    assert preview.document.paragraphs[1].text == "泉港区政府办〔2024〕\u3000\u3000号"
    assert preview.document.paragraphs[1].layout is Layout.CENTER
    assert not LetterNumber.objects.exists()


def test_the_issuer_and_date_leave_room_for_the_seal(world: World, clerk: User) -> None:
    app = disclosed(clerk, world)
    letter = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.REPLY_DISCLOSED, on=D(2024, 12, 30)
    )

    # Word: the signature style is set in from the right, with two blank lines above it
    document = Document(io.BytesIO(letter.docx))
    signature = [p for p in document.paragraphs if p.style.name == STYLE_NAMES[Layout.RIGHT]]
    assert [p.text for p in signature] == ["泉州市泉港区人民政府", "2024年12月30日"]
    assert (
        document.styles[STYLE_NAMES[Layout.RIGHT]].paragraph_format.right_indent
        == SEAL_RIGHT_INDENT
    )
    assert signature[0].paragraph_format.space_before == SEAL_SPACE_BEFORE
    assert Pt(56) <= SEAL_SPACE_BEFORE

    # PDF: the issuer ends at least four characters (64 pt) short of the right margin, and
    # two lines below the text above
    with pdfplumber.open(io.BytesIO(letter.pdf)) as pdf:
        page = pdf.pages[-1]
        words = page.extract_words()
        issuer = next(w for w in words if w["text"].startswith("泉州市泉港区人民政府"))
        above = max(w["bottom"] for w in words if w["bottom"] < issuer["top"])
        right_margin = page.width - 26 / 25.4 * 72
        assert right_margin - issuer["x1"] >= 64
        assert issuer["top"] - above >= 56


@pytest.mark.parametrize(
    ("channel", "printed", "internal"),
    [
        ("registered_mail", "您通过信函方式提出", "需签收"),
        ("ordinary_mail", "您通过信函方式提出", "平信"),
        ("online", "您通过互联网方式提出", "网络平台"),
        ("in_person", "您通过当面递交方式提出", "当面提交"),
    ],
)
def test_the_channel_is_named_in_formal_words(
    world: World, clerk: User, channel: str, printed: str, internal: str
) -> None:
    extra = {"signed_for_on": D(2024, 12, 2)} if channel == "registered_mail" else {}
    if channel in ("ordinary_mail", "online"):
        extra = {"confirmed_on": D(2024, 12, 2)}
    app = disclosed(clerk, world, channel=channel, **extra)
    text = services.letter_preview(
        user=clerk, application_id=app.pk, kind=LetterKind.REPLY_DISCLOSED, on=D(2024, 12, 30)
    ).document.text
    assert printed in text
    assert internal not in text
