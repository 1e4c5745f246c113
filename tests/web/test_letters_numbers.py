"""The 文号 of a letter back-filled from paper: the number the paper bore, or the next one of
the letter's year marked 补录; never a number the unit already used that year.

Today is 2025-01-24. The office sent letters on paper in December 2024 and types them in now.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from gongkai.applications.models import Application, ApplicationEvent, EventKind
from gongkai.letters import services
from gongkai.letters.context import LetterError
from gongkai.letters.models import LetterKind, LetterNumber, SentLetter

from .conftest import World
from .test_letters import version
from .test_letters_formal import disclosed, today  # noqa: F401 (today: the autouse fixture)

D = dt.date
TODAY = D(2025, 1, 24)


@pytest.fixture(autouse=True)
def prefix(world: World, head: User) -> None:
    services.letterhead_update(
        acting_user=head,
        unit=world.district,
        issuer="泉州市泉港区人民政府",
        number_prefix="泉港政信",
    )


def send(clerk: User, app: Application, on: dt.date, serial: int | None = None) -> SentLetter:
    return services.letter_send(
        acting_user=clerk,
        application_id=app.pk,
        expected_version=version(app),
        kind=LetterKind.REPLY_DISCLOSED,
        on=on,
        serial=serial,
    )


def test_a_back_filled_letter_keeps_the_number_its_paper_copy_bore(
    world: World, clerk: User
) -> None:
    first, second, third = (disclosed(clerk, world) for _ in range(3))

    # the paper reply of 2024-12-23 bore 泉港政信〔2024〕2号
    letter = send(clerk, first, D(2024, 12, 23), serial=2)
    assert letter.reference == "泉港政信〔2024〕2号"
    assert (letter.year, letter.serial, letter.backfilled) == (2024, 2, False)
    assert "泉港政信〔2024〕2号" in letter.text

    # letters numbered by the system skip the number taken by hand
    assert send(clerk, second, D(2024, 12, 30)).reference == "泉港政信〔2024〕1号"
    assert send(clerk, third, D(2024, 12, 31)).reference == "泉港政信〔2024〕3号"
    assert LetterNumber.objects.get(unit=world.district, year=2024).last == 3


def test_a_back_filled_letter_without_its_number_takes_its_years_next_and_is_marked(
    world: World, clerk: User
) -> None:
    earlier, now = disclosed(clerk, world), disclosed(clerk, world)
    send(clerk, now, TODAY)  # 〔2025〕1号, today's letter: not back-filled

    # a December letter typed in today takes 2024's next number, marked 补录
    letter = send(clerk, earlier, D(2024, 12, 23))

    assert letter.reference == "泉港政信〔2024〕1号"
    assert letter.backfilled is True
    assert SentLetter.objects.get(application=now).backfilled is False
    summary = ApplicationEvent.objects.filter(application=earlier, kind=EventKind.LETTER_SENT).get()
    assert "补录：文号按录入时的顺序取得" in str(summary.payload.summary())


def test_a_number_already_used_is_refused_and_nothing_is_written(world: World, clerk: User) -> None:
    first, second = disclosed(clerk, world), disclosed(clerk, world)
    send(clerk, first, D(2024, 12, 20))  # 〔2024〕1号
    events = ApplicationEvent.objects.filter(application=second).count()

    with pytest.raises(LetterError) as refused:
        send(clerk, second, D(2024, 12, 23), serial=1)

    assert str(refused.value) == (
        f"文号“泉港政信〔2024〕1号”已用于申请 {first.tracking_number} 的《政府信息公开申请答复书》"
        "（落款日期 2024-12-20）。同一单位同一年度的文号不能重复，请核对纸质文书上实际使用的文号"
    )
    assert ApplicationEvent.objects.filter(application=second).count() == events
    assert not SentLetter.objects.filter(application=second).exists()
    # the same serial in another year, or of another unit, is free
    assert send(clerk, second, D(2025, 1, 2), serial=1).reference == "泉港政信〔2025〕1号"


def test_a_serial_that_is_no_positive_number_is_refused(world: World, clerk: User) -> None:
    app = disclosed(clerk, world)
    with pytest.raises(LetterError, match="文号序号应为正整数"):
        send(clerk, app, D(2024, 12, 23), serial=0)
    assert not SentLetter.objects.exists()


def test_the_database_refuses_a_duplicate_number(world: World, clerk: User) -> None:
    """The service's check has a race; the constraint has none."""
    letter = send(clerk, disclosed(clerk, world), D(2024, 12, 20))
    other = disclosed(clerk, world)
    event = ApplicationEvent.objects.filter(application=other).latest("id")
    copy = SentLetter(
        application=other,
        event=event,
        kind=letter.kind,
        title=letter.title,
        recipient=letter.recipient,
        letter_date=letter.letter_date,
        reference="手工〔2024〕1号",
        unit=world.district,
        year=2024,
        serial=1,
        text="",
        template_body="",
        docx=b"",
        docx_sha256="",
        pdf=b"",
        pdf_sha256="",
        sent_by=clerk,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_the_migration_splits_the_numbers_of_letters_already_sent(
    world: World, clerk: User
) -> None:
    from importlib import import_module

    migration = import_module("gongkai.letters.migrations.0003_letter_number_parts")
    letter = send(clerk, disclosed(clerk, world), D(2024, 12, 20))
    SentLetter.objects.filter(pk=letter.pk).update(unit=None, year=None, serial=None)

    migration.split_references(apps, None)

    row = SentLetter.objects.get(pk=letter.pk)
    assert (row.unit, row.year, row.serial) == (world.district, 2024, 1)


def post(client: Client, app: Application, **fields: Any) -> Any:
    prefix = f"letter-{LetterKind.REPLY_DISCLOSED.value}-0"
    data = {
        f"{prefix}-version": version(app),
        f"{prefix}-kind": LetterKind.REPLY_DISCLOSED.value,
        f"{prefix}-party": "",
        **{f"{prefix}-{k}": v for k, v in fields.items()},
    }
    return client.post(reverse("letters:send", args=[app.pk]), data)


def test_the_case_page_takes_the_paper_number(world: World, clerk: User) -> None:
    first, second = disclosed(clerk, world), disclosed(clerk, world)
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("applications:case", args=[first.pk])).content.decode()
    assert "文号序号" in page

    sent = post(client, first, on="2024-12-23", serial="5")
    assert sent.status_code == 302
    assert SentLetter.objects.get(application=first).reference == "泉港政信〔2024〕5号"

    refused = post(client, second, on="2024-12-24", serial="5")
    assert refused.status_code == 400
    assert "同一单位同一年度的文号不能重复" in refused.content.decode()
    assert post(client, second, on="2024-12-24", serial="-1").status_code == 400
    assert not SentLetter.objects.filter(application=second).exists()

    # left blank: the next number, 补录 on the case page's list
    assert post(client, second, on="2024-12-24", serial="").status_code == 302
    page = client.get(reverse("applications:case", args=[second.pk])).content.decode()
    assert '泉港政信〔2024〕1号 <span class="badge">补录</span>' in page
