"""The corpus as the specification: every text report parses to its hand-verified golden file.

Golden files (tests/fixtures/golden/<id>.json) hold every table cell and the metadata, checked
by hand against the source text and ../shared/reports/answers.tsv; where the source is
genuinely ambiguous (digits run together that the arithmetic cannot split), the cells are
null and the golden file lists the candidate readings.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from gongkai.core.parse import ParseResult, parse_text

GOLDEN = Path(__file__).resolve().parent.parent / "fixtures" / "golden"
IDS = sorted(p.stem for p in GOLDEN.glob("*.json"))


def _golden(ident: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / f"{ident}.json").read_text(encoding="utf-8"))
    return data


def _parse(shared: Path, ident: str) -> ParseResult:
    source = _golden(ident)["source"]
    return parse_text((shared / source).read_text(encoding="utf-8"), source=source)


def test_every_text_report_has_a_golden_file(shared_dir: Path) -> None:
    texts = {p.stem for p in (shared_dir / "reports").glob("*.txt")}
    assert texts <= set(IDS)
    assert "000" in IDS  # the seed


@pytest.mark.parametrize("ident", IDS)
def test_tables_match_golden(shared_dir: Path, ident: str) -> None:
    result = _parse(shared_dir, ident)
    assert result.report is not None, result.reason
    assert result.to_dict()["tables"] == _golden(ident)["tables"]


@pytest.mark.parametrize("ident", IDS)
def test_metadata_matches_golden(shared_dir: Path, ident: str) -> None:
    meta = _parse(shared_dir, ident).meta.to_dict()
    meta.pop("evidence")
    assert meta == _golden(ident)["meta"]


@pytest.mark.parametrize("ident", IDS)
def test_ambiguities_and_problems_match_golden(shared_dir: Path, ident: str) -> None:
    result = _parse(shared_dir, ident)
    golden = _golden(ident)
    ambiguous = [
        {"table": p.table, "row": p.row, "candidates": p.to_dict()["candidates"]}
        for p in result.ambiguous
    ]
    assert ambiguous == golden["ambiguous"]
    problems = sorted([p.code, p.table or "", p.row or ""] for p in result.problems)
    assert problems == golden["problems"]


def _answers(shared: Path) -> list[dict[str, str]]:
    with (shared / "reports" / "answers.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


ANSWER_ROWS = {
    "new_total": "new",
    "carried_in_total": "carried_in",
    "disclosed_total": "disclosed",
    "partly_total": "partly_disclosed",
    "result_total": "results_total",
    "carried_out_total": "carried_out",
}


def test_key_figures_match_answers(shared_dir: Path) -> None:
    """answers.tsv's 总计 figures, read directly (not through the golden files)."""
    checked = 0
    for answer in _answers(shared_dir):
        path = shared_dir / "reports" / f"{answer['id']}.txt"
        if not path.exists():
            continue  # 017 is HTML: the HTML front end's test
        report = parse_text(path.read_text(encoding="utf-8")).report
        assert report is not None
        for column, row in ANSWER_ROWS.items():
            assert report.cell("t3", row, "total") == int(answer[column]), (answer["id"], row)
        t3 = report.tables["t3"]
        balance = all(
            (t3["new"][c] or 0) + (t3["carried_in"][c] or 0)
            == (t3["results_total"][c] or 0) + (t3["carried_out"][c] or 0)
            for c in t3["new"]
        )
        assert balance == (answer["balance_holds(yes|no)"] == "yes"), answer["id"]
        checked += 1
    assert checked == 11


def test_seed_matches_the_hand_verified_fixture(shared_dir: Path, fixtures_dir: Path) -> None:
    from gongkai.core.model import AnnualReport

    expected = AnnualReport.from_json(
        (fixtures_dir / "reports" / "seed_quangang_2021.json").read_text(encoding="utf-8")
    )
    result = _parse(shared_dir, "000")
    assert result.report is not None
    assert result.report.tables == expected.tables
    assert result.report.meta.model_copy(update={"source": None}) == expected.meta.model_copy(
        update={"source": None}
    )
    assert result.problems == ()
