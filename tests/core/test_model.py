"""The report model: cells by code, blank distinct from 0, lossless JSON, clear Chinese errors."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.errors import GongkaiError
from gongkai.core.formats import FORMAT_2019, FORMAT_2021, ReportFormat
from gongkai.core.model import AnnualReport, ReportKind, ReportMeta, json_schema

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "reports" / "seed_quangang_2021.json"


@pytest.fixture
def seed() -> AnnualReport:
    return AnnualReport.from_json(SEED.read_text(encoding="utf-8"))


def test_seed_cells_are_addressed_by_codes(seed: AnnualReport) -> None:
    assert seed.cell("t3", "new", "natural_person") == 67
    assert seed.cell("t3", "results_total", "total") == 61
    assert seed.cell("t4", "reconsideration", "upheld") == 3
    assert seed.cell("s2.art20_8", "admin_fees", "amount") == Decimal("22.5981")


def test_header_rows_sum_their_members(seed: AnnualReport) -> None:
    assert seed.group_sum("t3", "unavailable", "total") == 15
    assert seed.group_sum("t3", "other", "total") == 8
    assert seed.group_sum("t3", "disclosed", "total") == 36


def test_a_missing_cell_is_blank_not_zero() -> None:
    report = AnnualReport(
        meta=ReportMeta(unit="某局", year=2021, format_version="2021"),
        tables={"t3": {"new": {"natural_person": 0}}},
    )
    assert report.cell("t3", "new", "natural_person") == 0
    assert report.cell("t3", "new", "total") is None
    assert report.group_sum("t3", "withheld", "total") is None


def test_every_cell_of_the_format_is_present(seed: AnnualReport) -> None:
    for table in FORMAT_2021.tables:
        for row, column in table.cells():
            seed.cell(table.code, row.code, column.code)


def test_json_round_trip_is_lossless(seed: AnnualReport) -> None:
    again = AnnualReport.from_json(seed.to_json())
    assert again == seed
    assert again.to_json() == seed.to_json()


def test_with_cell_returns_a_changed_copy(seed: AnnualReport) -> None:
    changed = seed.with_cell("t3", "new", "natural_person", 68)
    assert changed.cell("t3", "new", "natural_person") == 68
    assert seed.cell("t3", "new", "natural_person") == 67


def test_the_report_is_frozen(seed: AnnualReport) -> None:
    with pytest.raises(ValueError, match="frozen"):
        seed.meta = seed.meta  # type: ignore[misc]


def test_report_kind_decides_the_article_49_deadline() -> None:
    assert ReportKind.DEPARTMENT.deadline_kind.value == "department"
    assert ReportKind.ROLLUP.deadline_kind.value == "government"


def test_json_schema_is_exported() -> None:
    schema = json_schema()
    versions = schema["$defs"]["ReportMeta"]["properties"]["format_version"]["enum"]
    assert versions == ["2019", "2021"]
    assert schema["title"] == "AnnualReport"
    assert "meta" in schema["properties"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "不是有效的 JSON 文件（第 1 行第 2 列"),
        ("[]", "JSON 顶层应为对象"),
        ('{"meta": {"unit": "x", "year": 2021}}', "meta.format_version：缺少此项"),
        (
            '{"meta": {"unit": "x", "year": 2018, "format_version": "2018"}}',
            "meta.format_version：取值无效 '2018'，可选：2019、2021",
        ),
        (
            '{"meta": {"unit": "x", "year": 2021, "format_version": "2021"},'
            ' "tables": {"t3": {"new": {"natural_person": "很多"}}}}',
            "应为数字",
        ),
        (
            '{"meta": {"unit": "x", "year": 2021, "format_version": "2021"},'
            ' "tables": {"t3": {"nonsense": {}}}}',
            "表格 t3 中没有行 'nonsense'",
        ),
        (
            '{"meta": {"unit": "x", "year": 2021, "format_version": "2021"},'
            ' "tables": {"t3": {"new": {"natural_person": 1, "nonsense": 2}}}}',
            "表格 t3 中没有列 'nonsense'",
        ),
        (
            '{"meta": {"unit": "x", "year": 2021, "format_version": "2021"},'
            ' "tables": {"t3": {"new": {"natural_person": 1.5}}}}',
            "应为整数",
        ),
        (
            '{"meta": {"unit": "x", "year": 2021, "format_version": "2021"},'
            ' "tables": {"s2.art20_9": {}}}',
            "格式 2021 中没有表格 's2.art20_9'",
        ),
    ],
)
def test_bad_report_json_gives_a_specific_chinese_error(text: str, message: str) -> None:
    with pytest.raises(GongkaiError, match=message.replace("(", r"\(").replace("（", "（")):
        AnnualReport.from_json(text, source="r.json")


def _cell_strategy(fmt: ReportFormat) -> st.SearchStrategy[dict[str, object]]:
    cells = [(t.code, r.code, c.code) for t in fmt.tables for r, c in t.cells()]
    return st.dictionaries(
        st.sampled_from(cells), st.one_of(st.none(), st.integers(0, 10**6)), max_size=30
    )


@given(data=st.data(), version=st.sampled_from(["2019", "2021"]))
def test_any_report_survives_a_json_round_trip(data: st.DataObject, version: str) -> None:
    fmt = FORMAT_2019 if version == "2019" else FORMAT_2021
    values = data.draw(_cell_strategy(fmt))
    tables: dict[str, dict[str, dict[str, object]]] = {}
    for (t, r, c), v in values.items():  # type: ignore[misc]
        tables.setdefault(t, {}).setdefault(r, {})[c] = v
    report = AnnualReport.model_validate(
        {"meta": {"unit": "单位", "year": 2020, "format_version": version}, "tables": tables}
    )
    assert AnnualReport.from_json(report.to_json()) == report
    assert json.loads(report.to_json())["meta"]["format_version"] == version


def test_a_whole_count_given_as_a_decimal_becomes_an_int_and_money_keeps_its_fraction() -> None:
    report = AnnualReport.from_json(
        '{"meta": {"unit": "x", "year": 2021, "format_version": "2021"},'
        ' "tables": {"t3": {"new": {"natural_person": 3.0}},'
        ' "s2.art20_8": {"admin_fees": {"amount": 22.5}}}}'
    )
    assert type(report.cell("t3", "new", "natural_person")) is int
    assert report.cell("t3", "new", "natural_person") == 3
    assert report.cell("s2.art20_8", "admin_fees", "amount") == Decimal("22.5")
    assert report.cell("t3", "new", "total") is None  # every cell of the format is present
