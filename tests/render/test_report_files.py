"""The file suffix chooses the rendering."""

from __future__ import annotations

import pytest

from gongkai.core.model import AnnualReport
from gongkai.core.render.report_files import REPORT_SUFFIXES, render_report_file


def test_json_is_the_report_itself(seed: AnnualReport) -> None:
    assert AnnualReport.from_json(render_report_file(seed, "out/r.JSON")) == seed


@pytest.mark.parametrize(
    ("name", "magic"),
    [("r.html", b"<!DOCTYPE html>"), ("r.docx", b"PK"), ("r.xlsx", b"PK")],
)
def test_each_suffix_its_format(seed: AnnualReport, name: str, magic: bytes) -> None:
    assert render_report_file(seed, name).startswith(magic)


def test_an_unknown_suffix_is_refused(seed: AnnualReport) -> None:
    assert ".odt" not in REPORT_SUFFIXES
    with pytest.raises(KeyError):
        render_report_file(seed, "r.odt")
