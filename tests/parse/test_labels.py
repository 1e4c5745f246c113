"""Label variants seen in real reports match the declared rows and columns."""

from __future__ import annotations

import pytest

from gongkai.core.cjk_equivalents import EQUIVALENT_UNIFIED
from gongkai.core.formats import FORMAT_2019, FORMAT_2021, T3
from gongkai.core.parse.labels import (
    compact,
    match_column,
    match_row,
    normalise,
    normalise_mapped,
    row_pattern,
)

T3_2021 = FORMAT_2021.table(T3)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("（一）予以公开", "(一)予以公开"),
        ("１．属于国家秘密", "1.属于国家秘密"),
        ("3.危及“三安全一稳定”", '3.危及"三安全一稳定"'),
        ("0<!--[if !supportMisalignedColumns]--><!--[endif]-->1", "01"),
        ("１２３", "123"),
    ],
)
def test_normalise_width_quotes_and_comments(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


@pytest.mark.parametrize(
    ("label", "row"),
    [
        ("（一）予以公开", "disclosed"),
        ("(一) 予以公开", "disclosed"),
        ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partly_disclosed"),
        ("(二) 部分公开(区分处理的, 只计这一情形, 不计其他情形)", "partly_disclosed"),
        ("3.危及'三安全一稳定'", "withheld.three_safety"),
        ("3.危及三安全一稳定", "withheld.three_safety"),
        ("3．危及“三安全一稳定”", "withheld.three_safety"),
        ("三、本年度办 理结果", "results"),
        ("三三、本年度办理结果", "results"),
        ("1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请", "other.no_correction"),
        ("3.其他", "other.other"),
        ("四、结转下年度继续办理", "carried_out"),
        ("（七）总计", "results_total"),
    ],
)
def test_table3_row_labels_and_variants(label: str, row: str) -> None:
    found = match_row(label, T3_2021)
    assert found is not None and found.code == row


def test_aliases_from_the_declaration() -> None:
    art20_1 = FORMAT_2021.table("s2.art20_1")
    assert match_column("本年废纸件数", art20_1).code == "repealed"  # type: ignore[union-attr]
    # Longest label wins: 「行政规范性文件」 is not read as 「规范性文件」 plus junk.
    assert match_row("行政规范性文件", art20_1).code == "normative_documents"  # type: ignore[union-attr]
    assert match_row("规范性文件", art20_1).code == "normative_documents"  # type: ignore[union-attr]
    assert match_column("本年增/ 减", FORMAT_2019.table("s2.art20_5")).code == "items_change"  # type: ignore[union-attr]


@pytest.mark.parametrize("label", ["社会公益 组织", "社会公益组织", "社 会 公 益 组 织"])
def test_column_labels_with_stray_spaces(label: str) -> None:
    assert match_column(label, T3_2021).code == "public_interest"  # type: ignore[union-attr]


def test_unknown_labels_match_nothing() -> None:
    assert match_row("其他主动公开文件", FORMAT_2019.table("s2.art20_1")) is None
    assert match_row("", T3_2021) is None
    assert match_column("合计", T3_2021) is None


def test_numbered_pattern_does_not_eat_the_previous_rows_digits() -> None:
    text = normalise("1.属于国家秘密00000002.其他法律行政法规禁止公开0000000")
    hit = row_pattern(T3_2021.row("withheld.prohibited_by_law")).search(text)
    assert hit is not None and text[: hit.start()].endswith("0000000")


def test_compact_removes_every_space() -> None:
    assert compact(" 商业 企业\t") == "商业企业"


# PDF text layers print CJK radicals for ideographs: the Kangxi Radicals (「⼀」 U+2F00,
# 「⼈」 U+2F08, NFKC maps them) and the CJK Radicals Supplement (「⺠」 U+2EA0, 「⻔」
# U+2ED4, NFKC does not): both read as the ideograph, by Unicode's EquivalentUnifiedIdeograph.
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("⼈⺠群众", "人民群众"),
        ("政府⻔户⽹站", "政府门户网站"),
        ("⻓期⻅效", "长期见效"),
        ("⻋⻢费", "车马费"),
    ],
)
def test_normalise_maps_cjk_radicals_to_ideographs(raw: str, expected: str) -> None:
    assert normalise(raw) == expected
    mapped = normalise_mapped(raw)
    assert mapped.text == expected and mapped.offsets is None  # one character for one


@pytest.mark.parametrize(
    ("label", "row"),
    [
        ("（⼀）予以公开", "disclosed"),
        ("（⼆）部分公开（区分处理的，只计这⼀情形，不计其他情形）", "partly_disclosed"),
        ("三、本年度办理结果", "results"),
    ],
)
def test_labels_written_with_radicals_match(label: str, row: str) -> None:
    found = match_row(label, T3_2021)
    assert found is not None and found.code == row


def test_equivalence_table_maps_radicals_and_strokes_to_ideographs() -> None:
    radicals = range(0x2E80, 0x2FE0)
    strokes = range(0x31C0, 0x31F0)
    assert EQUIVALENT_UNIFIED[0x2EA0] == ord("民") and EQUIVALENT_UNIFIED[0x2ED4] == ord("门")
    for source, target in EQUIVALENT_UNIFIED.items():
        assert source in radicals or source in strokes
        assert target >= 0x3400 and target not in radicals and target not in strokes
