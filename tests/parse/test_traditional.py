"""Reports printed in traditional script, as sites serve a page on request (「繁體」) and
crawlers store that copy: read like the simplified report they are.

Such a report used to be refused as no report at all (「文本中既没有「政府信息公开」也没有
「年度报告」字样」). The words the readers look for are now read with their characters made
simplified (``labels.simplified``); a simplified report is never touched. The labels below
are the format's, written in traditional script (OpenCC's s2t, with its word forms 複議,
製作, 反覆).
"""

from __future__ import annotations

import io

import docx
import pytest
from docx.oxml.ns import qn

from gongkai.core.audit import audit_parsed
from gongkai.core.findings import Severity
from gongkai.core.formats import FORMAT_2021
from gongkai.core.model import AnnualReport
from gongkai.core.parse.docx import parse_docx
from gongkai.core.parse.html import parse_html
from gongkai.core.parse.labels import compact, simplified
from gongkai.core.parse.text import parse_text
from tests.fixtures.rendered.make_fixtures import load
from tests.parse.synth import render
from tests.parse.test_office_layouts import word_report

TRADITIONAL_LABELS = [
    "規章",
    "行政規範性文件",
    "行政許可",
    "行政處罰",
    "行政強制",
    "行政事業性收費",
    "一、本年新收政府信息公開申請數量",
    "二、上年結轉政府信息公開申請數量",
    "三、本年度辦理結果",
    "（一）予以公開",
    "（二）部分公開（區分處理的，只計這一情形，不計其他情形）",
    "（三）不予公開",
    "1.屬於國家祕密",
    "2.其他法律行政法規禁止公開",
    "3.危及“三安全一穩定”",
    "4.保護第三方合法權益",
    "5.屬於三類內部事務信息",
    "6.屬於四類過程性信息",
    "7.屬於行政執法案卷",
    "8.屬於行政查詢事項",
    "（四）無法提供",
    "1.本機關不掌握相關政府信息",
    "2.沒有現成信息需要另行製作",
    "3.補正後申請內容仍不明確",
    "（五）不予處理",
    "1.信訪舉報投訴類申請",
    "2.重複申請",
    "3.要求提供公開出版物",
    "4.無正當理由大量反覆申請",
    "5.要求行政機關確認或重新出具已獲取信息",
    "（六）其他處理",
    "1.申請人無正當理由逾期不補正、行政機關不再處理其政府信息公開申請",
    "2.申請人逾期未按收費通知要求繳納費用、行政機關不再處理其政府信息公開申請",
    "3.其他",
    "（七）總計",
    "四、結轉下年度繼續辦理",
    "行政複議",
    "未經複議直接起訴",
    "複議後起訴",
    "本年制發件數",
    "本年廢止件數",
    "現行有效件數",
    "本年處理決定數量",
    "本年收費金額（單位：萬元）",
    "自然人",
    "商業企業",
    "科研機構",
    "社會公益組織",
    "法律服務機構",
    "其他",
    "總計",
    "結果維持",
    "結果糾正",
    "其他結果",
    "尚未審結",
    "第二十條第（一）項",
    "第二十條第（五）項",
    "第二十條第（六）項",
    "第二十條第（八）項",
    "第二十條第（一）項",
    "第二十條第（五）項",
    "第二十條第（六）項",
    "第二十條第（八）項",
    # As crawled copies print some: 隻 for 只, 覆 for 复.
    "（二）部分公開（區分處理的，隻計這一情形，不計其他情形）",
    "行政覆議",
]
FORMAT_LABELS = {
    compact(label)
    for label in (
        *(r.label for t in FORMAT_2021.tables for r in t.rows),
        *(c.label for t in FORMAT_2021.tables for c in t.columns),
        *(t.header for t in FORMAT_2021.section2),
    )
}


@pytest.mark.parametrize("label", TRADITIONAL_LABELS)
def test_every_label_in_traditional_script_is_the_formats(label: str) -> None:
    text, traditional = simplified(f"政府信息公開\n{label}")
    assert traditional
    assert compact(text.split("\n")[1]) in FORMAT_LABELS


def test_a_simplified_text_is_left_as_it_is() -> None:
    text = "政府信息公开工作年度报告：行政复议 3 件，另行制作 2 件，覆盖全区。"
    assert simplified(text) == (text, False)


def _traditional(text: str) -> str:
    """The text in traditional script, word by word, for the words of TRADITIONAL_LABELS."""
    pairs = sorted(
        ((compact(simplified(f"公開{t}")[0])[2:], t) for t in TRADITIONAL_LABELS),
        key=lambda pair: -len(pair[0]),
    )
    headings = {
        "总体情况": "總體情況",
        "主动公开政府信息情况": "主動公開政府信息情況",
        "收到和处理政府信息公开申请情况": "收到和處理政府信息公開申請情況",
        "政府信息公开行政复议、行政诉讼情况": "政府信息公開行政複議、行政訴訟情況",
        "存在的主要问题及改进情况": "存在的主要問題及改進情況",
        "其他需要报告的事项": "其他需要報告的事項",
        "行政诉讼": "行政訴訟",
        "信息内容": "信息內容",
        "政府信息公开": "政府信息公開",
        "年度报告": "年度報告",
    }
    for plain, traditional in [*pairs, *headings.items()]:
        text = text.replace(plain, traditional)
    return text


def test_a_report_in_traditional_script_is_read_in_full(seed: AnnualReport) -> None:
    text = _traditional(render(seed, sep="\t"))
    assert "申請數量" in text and "申请" not in text
    parsed = parse_text(text, source="traditional.txt")
    assert parsed.report is not None, parsed.reason
    for table in FORMAT_2021.tables:
        assert parsed.report.tables[table.code] == seed.tables[table.code], table.code
    assert any(p.code == "traditional_script" for p in parsed.problems)
    result = audit_parsed("traditional.txt", "text", parsed)
    assert not [f.message for f in result.findings if f.severity is Severity.ERROR]


def test_an_html_page_in_traditional_script_is_read(seed: AnnualReport) -> None:
    rows = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in line.split("\t")) + "</tr>"
        for line in _traditional(render(seed, sep="\t")).split("\n")
    )
    parsed = parse_html(f"<html><body><table>{rows}</table></body></html>", source="t.html")
    assert parsed.report is not None, parsed.reason
    assert parsed.report.tables["t3"] == seed.tables["t3"]
    assert any(p.code == "traditional_script" for p in parsed.problems)


def test_a_word_document_in_traditional_script_is_read() -> None:
    """Word and PDF blocks go through the same assembly as a page's: a traditional report
    there is read as in a text, and says so once."""
    report = load("seed_2021")
    document = docx.Document(io.BytesIO(word_report(report, "普通")))
    for text in document.element.body.iter(qn("w:t")):
        text.text = _traditional(text.text or "")
    out = io.BytesIO()
    document.save(out)

    parsed = parse_docx(out.getvalue(), source="t.docx")

    assert parsed.report is not None, parsed.reason
    assert parsed.report.tables["t3"] == report.tables["t3"]
    assert [p.code for p in parsed.problems].count("traditional_script") == 1
