"""Property tests of the ledger's cell parsers: whatever a clerk typed, each parser returns a
value of its kind or refuses with a ``ValueError`` — and every spelling it promises to read is
read back to what was written."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.applications.ledger_import.cells import (
    cell_text,
    id_document,
    parse_applicant_type,
    parse_channel,
    parse_date,
    parse_delivery,
    parse_result,
)
from gongkai.applications.models import Delivery, IdDocument, result_label, result_rows
from gongkai.core.formats import APPLICANT_COLUMNS, format_for_year
from gongkai.core.law import CHANNEL_LABELS, Channel

EXCEL_EPOCH = dt.date(1899, 12, 30)
DATE_WRITINGS = (
    "{y}年{m}月{d}日",
    "{y}年{m}月{d}号",
    "{y}年{m:02d}月{d:02d}日",
    "{y}.{m}.{d}",
    "{y}．{m}．{d}",
    "{y}-{m:02d}-{d:02d}",
    "{y}－{m}－{d}",
    "{y}/{m}/{d}",
    "{y}{m:02d}{d:02d}",
)
spaces = st.text(alphabet=" \t\u3000", max_size=2)
dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))
anything = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(),
    st.booleans(),
    dates,
    st.datetimes(),
)


@st.composite
def spaced(draw: st.DrawFn, text: str) -> str:
    """``text`` with whitespace a clerk might have typed between its characters."""
    return "".join(draw(spaces) + char for char in text) + draw(spaces)


@given(day=dates, writing=st.sampled_from(DATE_WRITINGS), data=st.data())
def test_every_promised_date_writing_reads_back(
    day: dt.date, writing: str, data: st.DataObject
) -> None:
    written = writing.format(y=day.year, m=day.month, d=day.day)
    assert parse_date(data.draw(spaced(written))) == day


@given(day=st.dates(min_value=dt.date(1954, 10, 3), max_value=dt.date(2118, 12, 31)))
def test_date_cells_and_excel_serial_numbers_read_as_the_day(day: dt.date) -> None:
    serial = (day - EXCEL_EPOCH).days
    assert parse_date(day) == day
    assert parse_date(dt.datetime.combine(day, dt.time(15, 30))) == day
    assert parse_date(serial) == parse_date(float(serial)) == day


@given(value=anything)
def test_any_cell_is_a_date_or_a_chinese_refusal(value: Any) -> None:
    try:
        assert isinstance(parse_date(value), dt.date)
    except ValueError as refusal:
        assert "日期" in str(refusal)


@given(day=dates, days=st.integers(min_value=1, max_value=3))
def test_an_impossible_calendar_day_is_named(day: dt.date, days: int) -> None:
    impossible = calendar.monthrange(day.year, day.month)[1] + days
    with pytest.raises(ValueError, match="不是有效日期"):
        parse_date(f"{day.year}年{day.month}月{impossible}日")


@given(channel=st.sampled_from(list(Channel)), data=st.data())
def test_every_channel_reads_from_its_label_or_code(channel: Channel, data: st.DataObject) -> None:
    assert parse_channel(data.draw(spaced(CHANNEL_LABELS[channel]))) == channel
    code = data.draw(st.sampled_from([channel.value, channel.value.upper()]))
    assert parse_channel(code) == channel


@given(value=st.text())
def test_any_text_is_a_channel_or_a_refusal_listing_them(value: str) -> None:
    try:
        assert parse_channel(value) in Channel
    except ValueError as refusal:
        assert all(label in str(refusal) for label in CHANNEL_LABELS.values())


@given(column=st.sampled_from(APPLICANT_COLUMNS), data=st.data())
def test_every_applicant_column_reads_from_its_label(column: Any, data: st.DataObject) -> None:
    assert parse_applicant_type(data.draw(spaced(column.label))) == column.code


@given(value=st.text())
def test_any_text_is_an_applicant_column_or_a_refusal(value: str) -> None:
    codes = {column.code for column in APPLICANT_COLUMNS}
    try:
        assert parse_applicant_type(value) in codes
    except ValueError as refusal:
        assert "申请人" in str(refusal)


WORKFLOW_ONLY = {"other.no_correction", "other.fee_unpaid"}


@settings(max_examples=200)
@given(year=st.integers(min_value=2019, max_value=2030), data=st.data())
def test_every_result_row_reads_from_its_full_label(year: int, data: st.DataObject) -> None:
    row, group = data.draw(st.sampled_from(result_rows(format_for_year(year).table3)))
    written = data.draw(spaced(result_label(row, group)))
    if row.code in WORKFLOW_ONLY:
        with pytest.raises(ValueError, match="无法仅凭台账导入"):
            parse_result(written, year)
    else:
        assert parse_result(written, year) == row.code


@given(year=st.integers(min_value=2019, max_value=2030), value=st.text())
def test_any_text_is_a_result_row_of_the_years_format_or_a_refusal(year: int, value: str) -> None:
    codes = {row.code for row, _ in result_rows(format_for_year(year).table3)}
    with contextlib.suppress(ValueError):
        assert parse_result(value, year) in codes - WORKFLOW_ONLY


@given(choice=st.sampled_from(list(Delivery)), data=st.data())
def test_every_delivery_reads_from_its_label(choice: Delivery, data: st.DataObject) -> None:
    assert parse_delivery(data.draw(spaced(str(choice.label)))) == choice.value


@given(value=st.text())
def test_any_text_is_a_delivery_or_a_refusal(value: str) -> None:
    try:
        assert parse_delivery(value) in Delivery.values
    except ValueError as refusal:
        assert "送达方式" in str(refusal)


@given(
    digits=st.text(alphabet="0123456789", min_size=17, max_size=17),
    check=st.sampled_from("0123456789X"),
    applicant=st.sampled_from([c.code for c in APPLICANT_COLUMNS]),
)
def test_an_eighteen_digit_number_is_an_id_card_for_a_person_else_a_credit_code(
    digits: str, check: str, applicant: str
) -> None:
    expected = IdDocument.RESIDENT_ID if applicant == "natural_person" else IdDocument.CREDIT_CODE
    assert id_document(digits + check, applicant) == expected


@given(number=st.text(), applicant=st.sampled_from([c.code for c in APPLICANT_COLUMNS]))
def test_any_number_has_some_document_type(number: str, applicant: str) -> None:
    assert id_document(number, applicant) in IdDocument.values


@given(value=anything)
def test_a_cell_as_text_is_trimmed_and_whole_numbers_lose_their_point(value: Any) -> None:
    text = cell_text(value)
    assert text == text.strip()
    if isinstance(value, float) and value.is_integer():
        assert text == str(int(value))
