"""Where a unit is, and which listed unit a report belongs to — from names alone.

**Region.** A published report names its unit, not its province; the workspace has no
gazetteer. The region of a unit is the *highest administrative division its name prints*:
「淮安市洪泽区人民政府」 → 「淮安市」, 「洪泽区人民政府」 → 「洪泽区」, 「福建省财政厅」 →
「福建省」, 「平潭综合实验区管委会办公室」 → 「平潭综合实验区」. A division is two to seven
characters ending in 省, 自治区, 特别行政区, 市, 自治州, 地区, 盟, 区, 县 or 旗, at the start of the
name. A name that begins with no division (「国家统计局」) has the region :data:`NO_REGION`. An
evaluator who uploads one province's reports therefore sees them grouped by city (or by
district where the city is not printed), which is what the summary is for.

Within a batch, a name without its city takes the region of the same unit's longer name
(:func:`regions_of`), so one unit is never counted under two regions.

**Coverage.** Listed names and reported names are compared by the core's
:func:`gongkai.core.model.unit_key` (spacing and bracket variants do not matter). A listed name
that matches no key exactly may still match by the core's :func:`gongkai.core.audit.unit_core`
(the name without the divisions above the unit: 「洪泽区人民政府」 and
「淮安市洪泽区人民政府」), but only when exactly one reported unit has that core, so
「鼓楼区人民政府」 is never given to 南京's or 福州's 鼓楼区 by guess.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from gongkai.core.audit import unit_core
from gongkai.core.model import unit_key

NO_REGION: Final = "未识别地区"

# 「市」 followed by 「场」 is 市场 (a market regulator), not a city.
_DIVISION = re.compile(
    r"[\u4e00-\u9fff]{2,7}?(?:省|自治区|特别行政区|市(?!场)|自治州|地区|盟|区|县|旗)"
)


def region_of(unit: str | None) -> str:
    """The highest division the unit's name prints (see the module docstring)."""
    if not unit:
        return NO_REGION
    found = _DIVISION.match(unit_key(unit))
    return found.group(0) if found else NO_REGION


def regions_of(units: Iterable[str]) -> dict[str, str]:
    """The region of each name, a short name taking the region of its batch's longer form.

    「洪泽区人民政府」 (2023) and 「淮安市洪泽区人民政府」 (2024) are one unit (the core's
    :func:`~gongkai.core.audit.unit_core`); both are counted under 「淮安市」, as long as every
    name of that core in the batch is the end of the longest (else the names are different
    units, and each keeps its own region).
    """
    names = {unit_key(u): u for u in units if u}
    by_core: dict[str, list[str]] = {}
    for key in names:
        by_core.setdefault(unit_core(key), []).append(key)
    out: dict[str, str] = {}
    for keys in by_core.values():
        longest = max(keys, key=len)
        chain = all(longest.endswith(k) for k in keys)
        for key in keys:
            out[names[key]] = region_of(longest if chain else key)
    return out


@dataclass(frozen=True, slots=True)
class Coverage:
    """One listed unit and the reported unit matched to it (None: no report that year)."""

    listed: str
    matched: str | None
    basis: str  # how it was matched, in Chinese; empty when not matched


def match_units(listed: Sequence[str], reported: Iterable[str]) -> list[Coverage]:
    """Each listed name with the reported unit it is, in the list's order."""
    by_key: dict[str, str] = {}
    by_core: dict[str, set[str]] = {}
    for name in reported:
        key = unit_key(name)
        by_key.setdefault(key, name)
        by_core.setdefault(unit_core(key), set()).add(key)
    out: list[Coverage] = []
    for name in listed:
        key = unit_key(name)
        if key in by_key:
            out.append(Coverage(name, by_key[key], "名称相同"))
            continue
        keys = by_core.get(unit_core(key), set())
        if len(keys) == 1:
            [other] = keys
            out.append(
                Coverage(
                    name,
                    by_key[other],
                    f"名称只差上级行政区划（「{by_key[other]}」），视为同一单位",
                )
            )
            continue
        out.append(Coverage(name, None, ""))
    return _shared(out)


def _shared(rows: list[Coverage]) -> list[Coverage]:
    """Two listed names matched to one reported unit are one unit listed twice (「洪泽区人民
    政府」 and 「淮安市洪泽区人民政府」), or two units one of which has no report: each says so,
    so that the list is corrected rather than both counted as covered."""
    names: dict[str, list[str]] = {}
    for row in rows:
        if row.matched is not None:
            names.setdefault(row.matched, []).append(row.listed)
    out = []
    for row in rows:
        others = [n for n in names.get(row.matched or "", ()) if n != row.listed]
        if others:
            shown = "」「".join(others)
            row = Coverage(
                row.listed,
                row.matched,
                f"{row.basis}；名单中的「{shown}」也对应这份报告，请核对名单是否重复",
            )
        out.append(row)
    return out


def parse_unit_list(text: str) -> list[str]:
    """Unit names from pasted text or a .txt/.csv file: one a line, the first column of a
    comma- or tab-separated line; blank lines, duplicates and a 「单位名称」 heading dropped."""
    names: list[str] = []
    seen: set[str] = set()
    for line in text.splitlines():
        first = re.split(r"[,，\t]", line.strip().lstrip("\ufeff"), maxsplit=1)[0].strip()
        if not first or first in ("单位", "单位名称", "名称"):
            continue
        key = unit_key(first)
        if key and key not in seen:
            seen.add(key)
            names.append(first)
    return names
