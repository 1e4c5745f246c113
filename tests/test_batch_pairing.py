"""The cluster's index of years on disk decides pairs exactly as one machine's does."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.core import audit, batch
from gongkai.core.audit_result import AuditResult
from gongkai.core.model import unit_key

UNITS = [
    ("洪泽区人民政府", 2023),
    ("淮安市洪泽区人民政府", 2024),
    ("南京市鼓楼区人民政府", 2022),
    ("福州市鼓楼区人民政府", 2022),
    ("鼓楼区人民政府", 2023),
    ("平潭综合实验区", 2021),
    ("平潭综合实验区", 2022),
    ("平潭综合实验区", 2022),  # a second copy: the first in input order is the one paired
    ("淮安市人民政府", 2023),
    ("人民政府", 2024),
]


@pytest.fixture
def results() -> list[AuditResult]:
    return [
        AuditResult(file=f"{i}.txt", kind="text", readable=True, unit=unit, year=year)
        for i, (unit, year) in enumerate(UNITS)
    ]


def test_the_index_on_disk_pairs_as_the_local_batch(
    results: list[AuditResult], tmp_path: Path
) -> None:
    index = batch.YearIndex(tmp_path / "years.sqlite")
    # Added in completion order, not input order: the index must still prefer the first.
    for i, result in reversed(list(enumerate(results))):
        index.add(batch.result_line(i, result), result.model_dump_json(), None)
    index.finish_loading()
    local = audit._YearIndex(results)
    position = {id(r): i for i, r in enumerate(results)}
    decided = 0
    for result in results:
        assert result.unit is not None and result.year is not None
        key = unit_key(result.unit)
        for year in (result.year - 1, result.year - 2):
            mine = index.find(key, audit.unit_core(key), year)
            theirs = local.find(result.unit, year)
            assert (mine is None) == (theirs is None), (result.unit, year)
            if mine is not None and theirs is not None:
                decided += 1
                assert mine.last == position[id(theirs.last)]
                assert mine.renamed == theirs.rename
    index.close()
    assert decided == 3  # 洪泽 across the rename, both 平潭 2022; 鼓楼 is ambiguous, refused
