"""Import of a clerk's Excel ledger: header detection, mapping, all-or-nothing, Chinese errors.

The ledgers are built here with openpyxl the way clerks keep them: a merged title row, the
header on row 2 or 3, dates as real date cells, ``2024年3月5日`` or ``2024.3.5``, blank rows.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from openpyxl import Workbook

from gongkai.agencies.gatekeeper import AccessDeniedError
from gongkai.agencies.models import Role
from gongkai.applications import services as s
from gongkai.applications.ledger_import import (
    MAX_ROWS,
    Field,
    LedgerError,
    LedgerImportError,
    OnDuplicate,
    ledger_import,
    ledger_preview,
)
from gongkai.applications.models import Application, ApplicationEvent

from .conftest import World

D = dt.date
HEADERS = [
    "序号",
    "申请人姓名",
    "身份证号码",
    "申请人类型",
    "申请方式",
    "收到日期",
    "申请公开内容",
    "联系电话",
    "办理结果",
    "答复日期",
]
GOOD_ROWS: list[list[Any]] = [
    [
        1,
        "张三",
        "350505199001011234",
        "自然人",
        "当面",
        dt.datetime(2024, 3, 5),  # noqa: DTZ001 — Excel date cells carry no time zone
        "道路改造立项批复",
        "13800000000",
        "予以公开",
        "2024年3月20日",
    ],
    [
        2,
        "泉州某某建设有限公司",
        "91350505MA2XXXXX0K",
        "商业企业",
        "网上申请",
        "2024.3.6",
        "2023年度招标文件",
        "",
        "不予公开-保护第三方合法权益",
        "2024.4.1",
    ],
    [],
    [3, "李四", "350505198502021111", "个人", "挂号信", "2024-03-11", "征地补偿方案", "", "", ""],
    [
        4,
        "王五",
        "350505197001012222",
        "自然人",
        "电子邮件",
        "2024年3月12日",
        "本机关不掌握的信息",
        "",
        "（四）无法提供 1.本机关不掌握相关政府信息",
        "2024年3月29日",
    ],
]


def ledger(rows: list[list[Any]], *, title_rows: int = 1, headers: list[str] = HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2024年台账"
    for i in range(title_rows):
        sheet.append(["泉港区人民政府2024年政府信息公开申请登记台账" if i == 0 else "（单位：件）"])
        sheet.merge_cells(start_row=i + 1, start_column=1, end_row=i + 1, end_column=len(headers))
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(s, "_today", lambda: D(2024, 6, 28))


@pytest.mark.parametrize("title_rows", [1, 2])
def test_the_preview_finds_the_header_and_proposes_the_mapping(
    world: World, clerk: User, title_rows: int
) -> None:
    preview = ledger_preview(
        user=clerk,
        unit=world.district,
        data=ledger(GOOD_ROWS, title_rows=title_rows),
        filename="台账.xlsx",
    )
    assert preview.header_row == title_rows + 1
    assert preview.mapping == {
        Field.APPLICANT_NAME: 1,
        Field.ID_NUMBER: 2,
        Field.APPLICANT_TYPE: 3,
        Field.CHANNEL: 4,
        Field.RECEIVED_ON: 5,
        Field.DESCRIPTION: 6,
        Field.PHONE: 7,
        Field.RESULT: 8,
        Field.REPLIED_ON: 9,
    }
    assert preview.missing == []
    assert preview.data_rows == 4  # the blank row is skipped
    assert preview.rows[0][:6] == [
        "1",
        "张三",
        "350505199001011234",
        "自然人",
        "当面",
        "2024-03-05",
    ]


def test_a_good_ledger_imports_every_case_through_the_services(world: World, clerk: User) -> None:
    result = ledger_import(
        acting_user=clerk, unit=world.district, data=ledger(GOOD_ROWS), filename="台账.xlsx"
    )

    assert (len(result.applications), result.decided, result.open) == (4, 3, 1)
    apps = {a.applicant_name: Application.objects.get(pk=a.pk) for a in result.applications}
    assert {n: (a.channel, a.received_on, a.result) for n, a in apps.items()} == {
        "张三": ("in_person", D(2024, 3, 5), "disclosed"),
        "泉州某某建设有限公司": ("online", D(2024, 3, 6), "withheld.third_party"),
        "李四": ("registered_mail", D(2024, 3, 11), ""),
        "王五": ("email", D(2024, 3, 12), "unavailable.not_held"),
    }
    assert apps["泉州某某建设有限公司"].id_document_type == "credit_code"
    assert apps["张三"].status == "replied" and apps["李四"].status == "in_progress"
    # the open case's clock runs like any other: 20 working days from 2024-03-11
    assert apps["李四"].due_date == D(2024, 4, 9)
    kinds = list(
        ApplicationEvent.objects.filter(application=apps["张三"]).values_list("kind", "date")
    )
    assert kinds == [
        ("received", D(2024, 3, 5)),
        ("decided", D(2024, 3, 20)),
        ("reply_sent", D(2024, 3, 20)),
    ]


BAD = [
    pytest.param(4, "飞鸽传书", "申请方式", "未知的申请渠道", id="channel"),
    pytest.param(5, "3月5日", "收到日期", "日期无法识别", id="date_unreadable"),
    pytest.param(5, "2024年2月30日", "收到日期", "2024年2月30日不是有效日期", id="date_invalid"),
    pytest.param(
        8,
        "同意公开",
        "办理结果",
        "不是2024年适用的年度报告格式表三中的办理结果行",
        id="result_label",
    ),
    pytest.param(8, "不予公开", "办理结果", "只写了类别，请写明具体情形", id="result_group"),
    pytest.param(8, "逾期不补正", "办理结果", "无法仅凭台账导入", id="result_workflow"),
    pytest.param(
        3, "法人或其他组织", "申请人类型", "请写明商业企业、科研机构等具体类别", id="type_group"
    ),
    pytest.param(3, "事业单位", "申请人类型", "申请人类型不是表三的申请人列", id="type"),
    pytest.param(1, "", "申请人姓名", "申请人不能为空", id="blank_name"),
    pytest.param(
        9, "2024年3月1日", "答复日期", "早于收到日期（2024-03-12）", id="reply_before_receipt"
    ),
    pytest.param(9, "", "答复日期", "已填写办理结果，但缺少答复日期", id="result_without_date"),
    pytest.param(5, "2024年7月1日", "收到日期", "晚于今天", id="future"),
]


@pytest.mark.parametrize(("column", "value", "header", "problem"), BAD)
def test_a_bad_row_is_reported_in_chinese_and_nothing_is_imported(
    world: World, clerk: User, column: int, value: str, header: str, problem: str
) -> None:
    # given a good ledger whose last row has one bad cell
    rows = [list(r) for r in GOOD_ROWS]
    rows[-1][column] = value

    # when it is imported
    with pytest.raises(LedgerImportError) as excinfo:
        ledger_import(
            acting_user=clerk, unit=world.district, data=ledger(rows), filename="台账.xlsx"
        )

    # then that cell is reported (row 7: title, header, 3 rows and a blank before it); a date
    # in the future also puts the row's reply before its receipt, reported in the same pass
    [error] = [e for e in excinfo.value.errors if e.column == header]
    assert len(excinfo.value.errors) == (2 if problem == "晚于今天" else 1)
    assert (error.row, error.column, error.value) == (7, header, value)
    assert problem in error.problem
    assert f"第 7 行“{header}”列" in str(excinfo.value)
    assert "未导入任何申请" in str(excinfo.value)
    assert Application.objects.count() == 0
    assert ApplicationEvent.objects.count() == 0


def test_every_bad_row_is_listed_at_once(world: World, clerk: User) -> None:
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][4] = "托人带来"
    rows[1][5] = "去年"
    with pytest.raises(LedgerImportError) as excinfo:
        ledger_import(
            acting_user=clerk, unit=world.district, data=ledger(rows), filename="台账.xlsx"
        )
    assert [(e.row, e.column) for e in excinfo.value.errors] == [(3, "申请方式"), (4, "收到日期")]


def test_the_clerk_may_correct_the_mapping(world: World, clerk: User) -> None:
    headers = ["编号", "来件人", "证件", "类别", "途径", "日期", "事项"]
    rows = [[1, "张三", "350505199001011234", "自然人", "当面", "2024.3.5", "立项批复"]]
    data = ledger(rows, headers=headers)
    with pytest.raises(LedgerError, match="没有找到表头行"):
        ledger_preview(user=clerk, unit=world.district, data=data, filename="a.xlsx")

    result = ledger_import(
        acting_user=clerk,
        unit=world.district,
        data=data,
        filename="a.xlsx",
        header_row=2,
        mapping={
            "applicant_name": 1,
            "id_document_number": 2,
            "applicant_type": 3,
            "channel": 4,
            "received_on": 5,
            "description": 6,
        },
    )
    assert [a.applicant_name for a in result.applications] == ["张三"]
    with pytest.raises(LedgerError, match="台账缺少必填列：申请内容"):
        ledger_import(
            acting_user=clerk,
            unit=world.district,
            data=data,
            filename="a.xlsx",
            header_row=2,
            mapping={
                "applicant_name": 1,
                "id_document_number": 2,
                "applicant_type": 3,
                "channel": 4,
                "received_on": 5,
            },
        )


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        pytest.param(b"a,b\n1,2\n", "台账.csv", "不是 Excel 工作簿（.xlsx）", id="csv"),
        pytest.param(b"\xd0\xcf\x11\xe0old xls", "台账.xls", "不是 Excel 工作簿", id="xls"),
        pytest.param(b"not a zip", "台账.xlsx", "不是有效的 .xlsx 文件", id="fake_xlsx"),
        pytest.param(b"\0" * (10 * 1024 * 1024 + 1), "台账.xlsx", "超过上限 10 MB", id="too_big"),
    ],
)
def test_files_of_the_wrong_type_or_size_are_refused(
    world: World, clerk: User, data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(LedgerError, match=message):
        ledger_preview(user=clerk, unit=world.district, data=data, filename=filename)


def test_a_ledger_over_the_row_limit_is_refused(world: World, clerk: User) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("台账")
    sheet.append(HEADERS)
    for i in range(MAX_ROWS + 1):
        sheet.append([i, "张三", "350505199001011234", "自然人", "当面", "2024.3.5", "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(LedgerError, match=f"超过 {MAX_ROWS} 行"):
        ledger_import(
            acting_user=clerk, unit=world.district, data=buffer.getvalue(), filename="big.xlsx"
        )
    assert Application.objects.count() == 0


def test_only_those_who_register_may_import(world: World) -> None:
    supervisor = world.member(Role.SUPERVISOR)
    with pytest.raises(AccessDeniedError):
        ledger_import(
            acting_user=supervisor, unit=world.district, data=ledger(GOOD_ROWS), filename="a.xlsx"
        )


def test_every_problem_of_every_row_is_reported_in_one_pass(world: World, clerk: User) -> None:
    """Before: future dates and replies before receipt appeared only once the rest was fixed,
    and a too-long name was reported in Django's words (“确保该变量…”)."""
    rows = [list(r) for r in GOOD_ROWS]
    rows[0][4] = "飞鸽传书"  # unknown channel: a parse error
    rows[1][9] = "2024.1.1"  # reply before receipt
    rows[3][1] = "李" * 201  # longer than the case's field
    rows[4][5] = "2099-01-01"  # received in the future (and so after its reply)

    with pytest.raises(LedgerImportError) as excinfo:
        ledger_import(
            acting_user=clerk, unit=world.district, data=ledger(rows), filename="台账.xlsx"
        )

    found = [(e.row, e.column) for e in excinfo.value.errors]
    assert found == [
        (3, "申请方式"),
        (4, "答复日期"),
        (6, "申请人姓名"),
        (7, "收到日期"),
        (7, "答复日期"),
    ]
    messages = [e.problem for e in excinfo.value.errors]
    assert "申请人最多 200 个字符，这里有 201 个" in messages
    assert not any("该变量" in m for m in messages)
    assert Application.objects.count() == 0


def test_a_repeated_row_is_skipped_and_the_same_ledger_twice_adds_nothing(
    world: World, clerk: User
) -> None:
    rows = [list(r) for r in GOOD_ROWS]
    rows.append(list(rows[0]))  # the same application typed twice
    data = ledger(rows)

    first = ledger_import(acting_user=clerk, unit=world.district, data=data, filename="台账.xlsx")

    assert len(first.applications) == 4
    assert [(d.row, d.earlier_row) for d in first.skipped] == [(8, 3)]
    assert "与本台账第 3 行相同" in str(first.skipped[0])

    again = ledger_import(acting_user=clerk, unit=world.district, data=data, filename="台账.xlsx")

    assert again.applications == []
    assert len(again.skipped) == 5
    assert {d.existing.applicant_name for d in again.skipped if d.existing} == {
        "张三",
        "泉州某某建设有限公司",
        "李四",
        "王五",
    }
    assert Application.objects.count() == 4


def test_a_row_like_a_registered_case_is_skipped_unless_the_clerk_imports_it(
    world: World, clerk: User
) -> None:
    from . import conftest

    case = conftest.register(
        clerk,
        world.district,
        applicant_name="李四",
        id_document_number="350505198502021111",
        description="征地补偿方案。",
        submitted_on=D(2024, 3, 8),
    )
    rows = [list(GOOD_ROWS[3])]

    skipped = ledger_import(
        acting_user=clerk, unit=world.district, data=ledger(rows), filename="台账.xlsx"
    )
    assert skipped.applications == []
    assert skipped.skipped[0].existing == case

    imported = ledger_import(
        acting_user=clerk,
        unit=world.district,
        data=ledger(rows),
        filename="台账.xlsx",
        on_duplicate=OnDuplicate.IMPORT,
    )
    assert len(imported.applications) == 1
    assert imported.skipped == []


@pytest.mark.parametrize(
    ("rule", "stored"),
    [
        # Art 31(三), the default: the day both sides confirm (the ledger's date)
        ("confirmed", {"channel": "email", "confirmed_on": "2024-03-12"}),
        # the older 207号 reading a deployment may choose: the day the mail system receives it
        ("submitted", {"channel": "email"}),
    ],
)
def test_an_email_row_follows_the_deployments_receipt_rule(
    world: World, clerk: User, settings: Any, rule: str, stored: dict[str, str]
) -> None:
    """LEGAL.md §5.6: the ledger import reads the e-mail rule where the case form does."""
    settings.GONGKAI_CLOCK_POLICY = {"email_receipt": rule}
    email_row = [r for r in GOOD_ROWS if r and r[4] == "电子邮件"]

    result = ledger_import(
        acting_user=clerk, unit=world.district, data=ledger(email_row), filename="台账.xlsx"
    )

    (app,) = result.applications
    received = ApplicationEvent.objects.get(application=app, kind="received")
    assert received.data == stored
    assert Application.objects.get(pk=app.pk).received_on == D(2024, 3, 12)
