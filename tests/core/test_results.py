"""The result rows and their legal basis, read without Django (gongkai.core.results)."""

from __future__ import annotations

from gongkai.core import results
from gongkai.core.formats import FORMAT_2019, FORMAT_2021
from gongkai.core.law import FEE_ARTICLE, REGULATION_NAME


def test_every_2021_result_row_has_a_basis() -> None:
    codes = {row.code for row, _ in results.result_rows(FORMAT_2021.table3)}
    assert codes == set(results.RESULT_BASIS)
    assert "disclosed" in codes
    assert not any(row.sum_of for row, _ in results.result_rows(FORMAT_2021.table3))


def test_a_result_reads_with_its_group() -> None:
    labels = {
        row.code: results.result_label(row, group)
        for row, group in results.result_rows(FORMAT_2021.table3)
    }
    assert "：" in labels["withheld.state_secret"]
    assert "：" not in labels["disclosed"]


def test_the_2019_single_other_row_reads_as_other() -> None:
    assert results.basis_for("other") is results.RESULT_BASIS["other.other"]
    assert {row.code for row, _ in results.result_rows(FORMAT_2019.table3)}


def test_the_default_basis_is_the_article_else_the_instrument() -> None:
    assert results.default_legal_basis("disclosed") == f"{REGULATION_NAME}第三十六条第（二）项"
    assert results.default_legal_basis("other.fee_unpaid") == FEE_ARTICLE
    assert results.default_legal_basis("not_processed.confirmation") == REGULATION_NAME


def test_every_result_has_a_plain_label_without_the_reports_numbering_or_notes() -> None:
    labels = {
        row.code: results.result_plain_label(row, group)
        for row, group in results.result_rows(FORMAT_2021.table3)
    }
    assert labels["disclosed"] == "予以公开"
    assert labels["partly_disclosed"] == "部分公开"
    assert labels["withheld.state_secret"] == "不予公开：属于国家秘密"
    assert labels["other.no_correction"] == "其他处理：逾期不补正"
    assert all(len(label) <= 24 for label in labels.values()), labels
    assert len(set(labels.values())) == len(labels)
