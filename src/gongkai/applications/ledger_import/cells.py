"""Reading one ledger cell: pure functions from what a clerk typed to a typed value.

Each parser takes the cell's value (text, or the date or number openpyxl read) and returns the
value the import service needs, or raises ``ValueError`` with a Chinese message saying what is
wrong and what would be accepted. They touch no database and no file, so property tests
(``tests/web/test_ledger_cells.py``) can feed them anything.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

from openpyxl.utils.datetime import from_excel  # type: ignore[import-untyped]

from gongkai.applications.models import Delivery, IdDocument
from gongkai.core.formats import (
    APPLICANT_COLUMNS,
    COL_NATURAL_PERSON,
    COL_OTHER_ORG,
    T3_FEE_UNPAID,
    T3_NO_CORRECTION,
    format_for_year,
)
from gongkai.core.law import CHANNEL_LABELS, Channel
from gongkai.core.results import result_label, result_rows

# Ledger words for channels, checked in this order (平信 before 信函, 电子邮件 before 邮件…).
# A plain "信函/邮寄" is taken as mail that was signed for, the usual way letters reach an office.
CHANNEL_WORDS: Final[tuple[tuple[str, Channel], ...]] = (
    ("平信", Channel.ORDINARY_MAIL),
    ("电子邮件", Channel.EMAIL),
    ("邮箱", Channel.EMAIL),
    ("EMAIL", Channel.EMAIL),
    ("传真", Channel.FAX),
    ("口头", Channel.ORAL),
    ("挂号", Channel.REGISTERED_MAIL),
    ("EMS", Channel.REGISTERED_MAIL),
    ("快递", Channel.REGISTERED_MAIL),
    ("邮寄", Channel.REGISTERED_MAIL),
    ("信函", Channel.REGISTERED_MAIL),
    ("当面", Channel.IN_PERSON),
    ("现场", Channel.IN_PERSON),
    ("窗口", Channel.IN_PERSON),
    ("网", Channel.ONLINE),
    ("在线", Channel.ONLINE),
    ("平台", Channel.ONLINE),
)
APPLICANT_TYPE_WORDS: Final[dict[str, str]] = {
    **{column.label: column.code for column in APPLICANT_COLUMNS},
    "个人": COL_NATURAL_PERSON,
    "公民": COL_NATURAL_PERSON,
    "企业": "commercial",
    "公司": "commercial",
    "其他组织": COL_OTHER_ORG,
}


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_SPACE: Final = re.compile(r"\s+")


def norm(text: str) -> str:
    return _SPACE.sub("", text).upper()


_DATE_PATTERNS: Final = (
    re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
DATE_FORMATS_HINT: Final = "可用格式：2024年3月5日、2024.3.5、2024-03-05、2024/3/5"


def parse_date(value: Any) -> dt.date:
    """A ledger date: an Excel date cell, an Excel serial number or common Chinese writings."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 20_000 <= value <= 80_000:  # an Excel serial date (1954–2119) stored as a number
            converted = from_excel(value)
            if isinstance(converted, dt.datetime):
                return converted.date()
        raise ValueError(f"数字 {cell_text(value)} 不是日期；{DATE_FORMATS_HINT}")
    text = _SPACE.sub("", str(value or "")).replace("．", ".").replace("－", "-")
    text = re.sub(r"(\d)(号)$", r"\1", text)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"{year}年{month}月{day}日不是有效日期") from None
    raise ValueError(f"日期无法识别；{DATE_FORMATS_HINT}")


def parse_channel(value: str) -> Channel:
    text = norm(value)
    for channel, label in CHANNEL_LABELS.items():
        if text == norm(label) or text == channel.value.upper():
            return channel
    for word, channel in CHANNEL_WORDS:
        if word in text:
            return channel
    allowed = "、".join(CHANNEL_LABELS.values())
    raise ValueError(f"未知的申请渠道；可选：{allowed}")


def parse_applicant_type(value: str) -> str:
    text = norm(value)
    if text in APPLICANT_TYPE_WORDS:
        return APPLICANT_TYPE_WORDS[text]
    if text in ("法人或其他组织", "法人"):
        raise ValueError("“法人或其他组织”不是表三的一列，请写明商业企业、科研机构等具体类别")
    allowed = "、".join(c.label for c in APPLICANT_COLUMNS)
    raise ValueError(f"申请人类型不是表三的申请人列；可选：{allowed}")


_NUMBERING: Final = re.compile(r"^(?:[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
_PUNCT: Final = re.compile(r"[\s“”\"'‘’：:、，,。．.（）()\-—_/]+")


def _result_key(text: str) -> str:
    text = _SPACE.sub("", text)
    text = _NUMBERING.sub("", text)
    return _PUNCT.sub("", text)


def _result_index(year: int) -> tuple[dict[str, str], dict[str, str]]:
    """Ledger spelling → result code, and group names → their rows' labels (for messages)."""
    index: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for row, group in result_rows(format_for_year(year).table3):
        names = {row.label, row.name, result_label(row, group)}
        if group is not None:
            bare = _NUMBERING.sub("", row.label)
            names |= {bare, f"{group.name}{bare}", f"{group.name}-{bare}"}
            groups.setdefault(_result_key(group.name), []).append(result_label(row, group))
        for name in names:
            index[_result_key(name)] = row.code
    return index, {k: "、".join(v) for k, v in groups.items()}


_NOT_FROM_LEDGER: Final = {
    T3_NO_CORRECTION: "须有补正告知和补正期限的记录",
    T3_FEE_UNPAID: "须有收费通知的记录",
}


def parse_result(value: str, year: int) -> str:
    index, groups = _result_index(year)
    key = _result_key(value)
    if key in groups:
        raise ValueError(f"“{value}”只写了类别，请写明具体情形，可选：{groups[key]}")
    code = index.get(key)
    if code is None:
        raise ValueError(f"办理结果不是{year}年适用的年度报告格式表三中的办理结果行")
    if code in _NOT_FROM_LEDGER:
        raise ValueError(
            f"该结果{_NOT_FROM_LEDGER[code]}，无法仅凭台账导入；请删去该行的办理结果，"
            "导入后在系统中办理“逾期未补正”或“逾期未缴费”"
        )
    return code


def parse_delivery(value: str) -> str:
    text = norm(value)
    for choice in Delivery:
        if text == norm(str(choice.label)) or str(choice.label) in text:
            return str(choice.value)
    if "邮" in text and "电子" not in text:
        return str(Delivery.POST.value)
    allowed = "、".join(str(label) for label in Delivery.labels)
    raise ValueError(f"未知的送达方式；可选：{allowed}")


def id_document(number: str, applicant_type: str) -> str:
    if re.fullmatch(r"\d{17}[\dX]", number):
        if applicant_type == COL_NATURAL_PERSON:
            return str(IdDocument.RESIDENT_ID.value)
        return str(IdDocument.CREDIT_CODE.value)
    if re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", number):
        return str(IdDocument.CREDIT_CODE.value)
    return str(IdDocument.OTHER.value)
