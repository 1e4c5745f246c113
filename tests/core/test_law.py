"""Every legal fact in law.py is read by the code, or listed here as waiting for its feature.

A constant that nothing reads looks like a rule the software enforces while it enforces nothing
(issue 8 found three: two limits the clock enforced with numbers of its own, and a policy switch
the arithmetic never consulted). This test reads the source of every module under
``src/gongkai`` except law.py and requires each public constant of law.py, and each field of its
policy classes, to be named there (an import, a name or an attribute, not a comment).
"""

from __future__ import annotations

import ast
import dataclasses
from functools import cache
from pathlib import Path

import gongkai
from gongkai.core import law

SRC = Path(gongkai.__file__).resolve().parent
LAW = Path(law.__file__).resolve()

# Facts recorded ahead of the feature that will read them. Remove a name when its reader lands
# (the second test fails until you do, so the list only shrinks).
NOT_YET_READ: set[str] = set()


def law_facts() -> set[str]:
    constants = {
        name
        for name, value in vars(law).items()
        if name.isupper() and not isinstance(value, type) and not name.startswith("_")
    }
    policy_fields = {
        field.name for cls in (law.ClockPolicy, law.FeePolicy) for field in dataclasses.fields(cls)
    }
    return constants | policy_fields


@cache
def names_read_outside_law() -> frozenset[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path.resolve() == LAW or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Name):
                found.add(node.id)
            elif isinstance(node, ast.Attribute):
                found.add(node.attr)
            elif isinstance(node, ast.ImportFrom):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.keyword) and node.arg is not None:
                found.add(node.arg)
    return frozenset(found)


def test_every_law_fact_is_read_by_the_code() -> None:
    unread = law_facts() - names_read_outside_law() - NOT_YET_READ

    assert unread == set(), f"law.py facts nothing reads: {sorted(unread)}"


def test_the_waiting_list_holds_only_unread_facts() -> None:
    assert law_facts() >= NOT_YET_READ
    assert NOT_YET_READ & names_read_outside_law() == set()
