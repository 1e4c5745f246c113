"""The registers' page: who sees and enters what, refusals in Chinese, the derived section 二."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.agencies.models import Role
from gongkai.registers import services
from gongkai.registers.models import (
    ART21,
    LICENSING,
    NEW_MEDIA,
    NORMATIVE,
    OPENED,
    TRAINING,
    WEBSITE,
    AdminFeeTotal,
    DecisionCount,
    NormativeDocument,
    ProactiveItem,
    WorkRecord,
)

from .conftest import World
from .test_decisions_import import workbook

URL = "/registers/"


def login(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def document_post(unit: Any, **fields: Any) -> dict[str, Any]:
    return {
        "unit": unit.pk,
        "year": 2021,
        "doc-kind": NORMATIVE,
        "doc-number": "泉港政〔2021〕1号",
        "doc-title": "关于印发某办法的通知",
        "doc-issued_on": "2021-03-01",
        "doc-repealed_on": "",
        **fields,
    }


def test_the_clerk_registers_a_document_and_sees_the_counts(world: World, clerk: Any) -> None:
    client = login(clerk)

    response = client.post(URL + "documents/", document_post(world.district))
    assert response.status_code == 302
    page = client.get(URL, {"unit": world.district.pk, "year": 2021})

    assert page.status_code == 200
    text = page.content.decode()
    assert "泉港政〔2021〕1号" in text
    assert "本年制发件数" in text and "现行有效件数" in text
    assert "登记文件" in text
    assert NormativeDocument.objects.get().recorded_by == clerk


def test_a_duplicate_and_a_backdated_repeal_are_refused_on_the_page(
    world: World, clerk: Any
) -> None:
    client = login(clerk)
    client.post(URL + "documents/", document_post(world.district))

    duplicate = client.post(URL + "documents/", document_post(world.district))
    backwards = client.post(
        URL + "documents/",
        document_post(world.district, **{"doc-number": "2号", "doc-repealed_on": "2021-01-01"}),
    )
    document = NormativeDocument.objects.get()
    repeal = client.post(
        f"{URL}documents/{document.pk}/repeal/", {"year": 2021, "repealed_on": "2020-12-31"}
    )

    assert duplicate.status_code == 400
    assert "文号“泉港政〔2021〕1号”已登记" in duplicate.content.decode()
    assert backwards.status_code == 400
    assert "早于印发日期 2021-03-01" in backwards.content.decode()
    assert repeal.status_code == 400
    assert "早于印发日期" in repeal.content.decode()
    assert NormativeDocument.objects.count() == 1


def test_repeal_through_the_page(world: World, head: Any) -> None:
    document = services.normative_document_create(
        acting_user=head,
        unit=world.district,
        kind=NORMATIVE,
        number="1号",
        title="办法",
        issued_on=dt.date(2021, 3, 1),
    )
    response = login(head).post(
        f"{URL}documents/{document.pk}/repeal/", {"year": 2021, "repealed_on": "2021-06-01"}
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.repealed_on == dt.date(2021, 6, 1)


def test_decisions_and_fees_through_the_page(world: World, clerk: Any) -> None:
    client = login(clerk)
    base = {"unit": world.district.pk, "year": 2021}

    missing = client.post(URL + "decisions/", {**base, "dec-kind": NORMATIVE, "dec-month": 1})
    saved = client.post(
        URL + "decisions/", {**base, "dec-kind": LICENSING, "dec-month": 3, "dec-count": 12}
    )
    negative = client.post(
        URL + "decisions/", {**base, "dec-kind": LICENSING, "dec-month": 3, "dec-count": -2}
    )
    fee = client.post(URL + "fees/", {**base, "fee-amount": "12.5"})
    bad_fee = client.post(URL + "fees/", {**base, "fee-amount": "十二万"})

    assert missing.status_code == 400
    assert saved.status_code == 302
    assert negative.status_code == 400
    assert "处理决定数量不能为负数" in negative.content.decode()
    assert DecisionCount.objects.get().quantity == 12
    assert fee.status_code == 302
    assert bad_fee.status_code == 400
    assert "不是数字" in bad_fee.content.decode()
    assert str(AdminFeeTotal.objects.get().amount).startswith("12.5")


def test_a_supervisor_reads_a_child_unit_but_may_not_enter(world: World) -> None:
    supervisor = login(world.member(Role.SUPERVISOR))

    page = supervisor.get(URL, {"unit": world.township.pk, "year": 2021})
    refused = supervisor.post(URL + "documents/", document_post(world.township))

    assert page.status_code == 200
    assert "登记文件" not in page.content.decode()
    assert refused.status_code == 404
    assert not NormativeDocument.objects.exists()


def test_another_district_sees_nothing(world: World, clerk: Any) -> None:
    stranger = login(world.member(Role.CLERK, world.other_district))

    assert stranger.get(URL, {"unit": world.district.pk}).status_code == 404
    assert stranger.post(URL + "documents/", document_post(world.district)).status_code == 404
    assert login(world.member(Role.ADMIN)).get(URL).status_code == 404


def test_the_catalogue_through_the_page(world: World, clerk: Any, today_is: Any) -> None:
    today_is(dt.date(2022, 1, 10))
    client = login(clerk)
    base = {"unit": world.district.pk, "year": 2021, "item-category": ART21}

    late = client.post(
        URL + "items/",
        {
            **base,
            "item-title": "征收公告",
            "item-formed_on": "2021-03-01",
            "item-published_on": "2021-06-01",
        },
    )
    pending = client.post(
        URL + "items/", {**base, "item-title": "预算", "item-formed_on": "2021-12-01"}
    )
    backwards = client.post(
        URL + "items/",
        {
            **base,
            "item-title": "决算",
            "item-formed_on": "2021-03-01",
            "item-published_on": "2021-02-01",
        },
    )
    item = ProactiveItem.objects.get(title="预算")
    published = client.post(
        f"{URL}items/{item.pk}/publish/", {"year": 2021, "published_on": "2021-12-03"}
    )
    page = client.get(URL, {"unit": world.district.pk, "year": 2021}).content.decode()

    assert (late.status_code, pending.status_code, published.status_code) == (302, 302, 302)
    assert backwards.status_code == 400
    assert "早于形成或变更日期" in backwards.content.decode()
    assert "逾期 " in page and "个工作日" in page
    assert "本年公开：第二十一条" in page and "2 条（逾期 1 条）" in page


def test_decisions_imported_through_the_page(world: World, clerk: Any) -> None:
    client = login(clerk)
    base = {"unit": world.district.pk, "year": 2021}
    good = SimpleUploadedFile("统计.xlsx", workbook((1, 5, 1, None), (2, 6, None, None)))
    bad = SimpleUploadedFile("统计.xlsx", workbook((1, -5, None, None)))

    saved = client.post(URL + "decisions/import/", {**base, "import-workbook": good}, follow=True)
    refused = client.post(URL + "decisions/import/", {**base, "import-workbook": bad})

    assert "已导入 2021 年 1 月、2 月的 3 项数量" in saved.content.decode()
    assert refused.status_code == 400
    assert "第 3 行“行政许可”列的数量不能为负数" in refused.content.decode()
    assert DecisionCount.objects.count() == 3


def test_a_mistaken_entry_is_deleted_by_its_unit_only(world: World, clerk: Any) -> None:
    document = services.normative_document_create(
        acting_user=clerk,
        unit=world.district,
        kind=NORMATIVE,
        number="误登1号",
        title="办法",
        issued_on=dt.date(2021, 3, 1),
    )
    item = services.proactive_item_create(
        acting_user=clerk,
        unit=world.district,
        category=ART21,
        title="误登公告",
        formed_on=dt.date(2021, 3, 1),
    )
    supervisor = login(world.member(Role.SUPERVISOR))

    assert supervisor.post(f"{URL}documents/{document.pk}/delete/").status_code == 404
    assert supervisor.post(f"{URL}items/{item.pk}/delete/").status_code == 404
    client = login(clerk)
    assert client.post(f"{URL}documents/{document.pk}/delete/", {"year": 2021}).status_code == 302
    assert client.post(f"{URL}items/{item.pk}/delete/", {"year": 2021}).status_code == 302
    assert not NormativeDocument.objects.exists()
    assert not ProactiveItem.objects.exists()


def test_work_records_through_the_page(world: World, clerk: Any) -> None:
    client = login(clerk)
    base = {"unit": world.district.pk, "year": 2021}

    opened = client.post(
        URL + "work/",
        {
            **base,
            "work-kind": NEW_MEDIA,
            "work-name": "泉港发布",
            "work-happened_on": "2021-02-01",
            "work-change": OPENED,
        },
    )
    trained = client.post(
        URL + "work/",
        {
            **base,
            "work-kind": TRAINING,
            "work-name": "条例培训",
            "work-happened_on": "2021-04-01",
            "work-quantity": "60",
        },
    )
    refused = client.post(
        URL + "work/",
        {**base, "work-kind": WEBSITE, "work-name": "某网站", "work-happened_on": "2021-04-01"},
    )
    page = client.get(URL, base).content.decode()

    assert (opened.status_code, trained.status_code, refused.status_code) == (302, 302, 400)
    assert "请选择政府网站“某网站”的变化" in refused.content.decode()
    assert "政务新媒体账号：1 项（开设 1）" in page
    assert "培训：1 项，参训人次共 60" in page
    assert "<title>公开工作台账 · 公开 gongkai</title>" in page
    record = WorkRecord.objects.get(kind=TRAINING)
    assert client.post(f"{URL}work/{record.pk}/delete/", base).status_code == 302
    assert WorkRecord.objects.count() == 1


def test_a_write_for_a_bad_year_is_refused_not_moved_to_this_year(world: World, clerk: Any) -> None:
    client = login(clerk)
    fields = {"unit": world.district.pk, "dec-kind": LICENSING, "dec-month": 1, "dec-count": 5}

    old = client.post(URL + "decisions/", {**fields, "year": 2018})
    fee = client.post(URL + "fees/", {"unit": world.district.pk, "year": 2999, "fee-amount": "1"})

    assert old.status_code == 400
    assert "年度 2018 不在可登记的范围内" in old.content.decode()
    assert fee.status_code == 400
    assert "年度 2999 不在可登记的范围内" in fee.content.decode()
    assert not DecisionCount.objects.exists()
    assert not AdminFeeTotal.objects.exists()
