"""No bare table code outside the format declaration (issue 8, item 3).

A row or column code of table 三, table 四 or a section 二 block, written as a string literal
anywhere under ``src/gongkai`` except :mod:`gongkai.core.formats`, is a second copy of the
declaration: renaming the row would leave it behind, silently. Code names a cell through the
validated constants of :mod:`gongkai.core.formats` (``T3_NEW``, ``COL_TOTAL``, …), which fail at
import when the declaration no longer has them.

Which literals count as a code:

- a *distinctive* code (with ``.`` or ``_``, such as ``withheld.state_secret`` or
  ``natural_person``, and the table codes ``t3``, ``t4``, ``s2.…``) always;
- a *plain word* that is also a code (``new``, ``other``, ``total``, ``pending`` …) only where
  the literal is used as a code: as an argument of ``.table()``/``.row()``/``.column()``/
  ``.cell()``/``CellRef``/``Target`` and their kin, as a ``table=``/``row=``/``column=``
  keyword, or beside a distinctive code in the same tuple, list, set or comparison. Such words
  are everyday English elsewhere (a form's ``"new"`` action, a dict key ``"other"``), and a
  check that flagged those would be switched off rather than obeyed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from gongkai.core.formats import FORMATS

SRC: Final = Path(__file__).resolve().parents[1] / "src" / "gongkai"
DECLARATION: Final = Path("core/formats.py")

# Files outside the core that may still spell a code out, with the literals they use. Empty:
# every code reads its constant from gongkai.core.formats. A new entry needs a reason.
KNOWN_OUTSIDE_CORE: Final[dict[str, frozenset[str]]] = {}

# Calls whose arguments are cell addresses, and keywords that name one part of an address.
_ADDRESS_CALLS: Final = frozenset(
    {
        "table",
        "row",
        "column",
        "cell",
        "group_sum",
        "row_values",
        "with_cell",
        "CellRef",
        "Target",
    }
)
# Names (of variables, attributes, keywords) that hold a part of a cell address.
_ADDRESS_NAMES: Final = frozenset(
    {"table", "row", "column", "rows", "columns", "table_code", "row_code", "column_code"}
)


def _all_codes() -> tuple[frozenset[str], frozenset[str]]:
    codes: set[str] = set()
    for fmt in FORMATS.values():
        for table in fmt.tables:
            codes.add(table.code)
            codes.update(row.code for row in table.rows)
            codes.update(column.code for column in table.columns)
    distinctive = {
        c
        for c in codes
        if "." in c or "_" in c or c in {t.code for f in FORMATS.values() for t in f.tables}
    }
    return frozenset(distinctive), frozenset(codes - distinctive)


DISTINCTIVE, PLAIN = _all_codes()


@dataclass(frozen=True, slots=True)
class BareCode:
    path: str
    line: int
    code: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code!r}"


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _address_name(node: ast.AST) -> bool:
    """A name or attribute that holds a part of a cell address (``target.columns``, ``row``)."""
    if isinstance(node, ast.Attribute):
        return node.attr in _ADDRESS_NAMES
    if isinstance(node, ast.Name):
        return node.id in _ADDRESS_NAMES
    return False


def _literals_in(node: ast.AST) -> Iterator[int]:
    """The ids of the string literals in an expression, through tuples, lists and sets."""
    for child in ast.walk(node):
        if _literal(child) is not None:
            yield id(child)


def bare_codes(source: str, path: str = "<string>") -> Iterator[BareCode]:
    """Every string literal of ``source`` that is a table code, by the rules of the module."""
    tree = ast.parse(source)
    in_address: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if _call_name(node) in _ADDRESS_CALLS:
                for arg in node.args:
                    in_address.update(_literals_in(arg))
            for kw in node.keywords:
                if kw.arg in _ADDRESS_NAMES:
                    in_address.update(_literals_in(kw.value))
        elif isinstance(node, ast.Compare):
            parts = [node.left, *node.comparators]
            if any(_address_name(p) for p in parts) or any(
                _literal(p) in DISTINCTIVE for p in parts
            ):
                for part in parts:
                    in_address.update(_literals_in(part))
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None and any(_address_name(t) for t in targets):
                in_address.update(_literals_in(node.value))
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and any(
            _literal(p) in DISTINCTIVE for p in node.elts
        ):
            in_address.update(id(p) for p in node.elts)
    # Docstrings are prose, not code.
    docstrings = {
        id(body[0].value)
        for body in (
            getattr(n, "body", None)
            for n in ast.walk(tree)
            if isinstance(n, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        )
        if body and isinstance(body[0], ast.Expr)
    }
    found = []
    for node in ast.walk(tree):
        value = _literal(node)
        if value is None or id(node) in docstrings:
            continue
        if value in DISTINCTIVE or (value in PLAIN and id(node) in in_address):
            found.append((getattr(node, "lineno", 0), getattr(node, "col_offset", 0), value))
    for line, _, value in sorted(found):
        yield BareCode(path, line, value)


def _files() -> Iterator[tuple[str, str]]:
    for file in sorted(SRC.rglob("*.py")):
        relative = file.relative_to(SRC)
        if relative == DECLARATION or "migrations" in relative.parts:
            continue
        yield relative.as_posix(), file.read_text(encoding="utf-8")


def test_no_bare_table_code_outside_the_format_declaration() -> None:
    found = [
        code
        for path, source in _files()
        for code in bare_codes(source, path)
        if code.code not in KNOWN_OUTSIDE_CORE.get(path, frozenset())
    ]
    assert found == [], (
        "bare table codes (use the constants of gongkai.core.formats):\n"
        + "\n".join(map(str, found))
    )


def test_the_allowlist_lists_only_what_is_still_there() -> None:
    """An entry the code no longer needs goes, so the list only shrinks."""
    present = {(path, code.code) for path, source in _files() for code in bare_codes(source, path)}
    stale = [
        (path, code)
        for path, codes in KNOWN_OUTSIDE_CORE.items()
        for code in codes
        if (path, code) not in present
    ]
    assert stale == []


def test_the_allowlist_holds_no_core_file() -> None:
    assert [path for path in KNOWN_OUTSIDE_CORE if path.startswith("core/")] == []


def test_a_planted_distinctive_code_is_caught() -> None:
    planted = 'def f(report):\n    return report.tables[T3]["withheld.state_secret"]\n'
    assert [(c.line, c.code) for c in bare_codes(planted)] == [(2, "withheld.state_secret")]


def test_a_planted_plain_code_used_as_a_code_is_caught() -> None:
    planted = (
        "a = fmt.table3.row('new')\n"
        "b = CellRef(table=T3, row=ROW, column='total')\n"
        "c = ('carried_in', 'other')\n"
        "if target.columns == ('total',):\n"
        "    rows: tuple[str, ...] = ('new',)\n"
    )
    assert [(c.line, c.code) for c in bare_codes(planted)] == [
        (1, "new"),
        (2, "total"),
        (3, "carried_in"),
        (3, "other"),
        (4, "total"),
        (5, "new"),
    ]


def test_a_plain_word_in_another_sense_is_not_a_code() -> None:
    source = (
        '"""Say what is new."""\n'
        "action = 'new'\n"
        "label = {'other': '其他'}['other']\n"
        "mode = kind == 'total'\n"
    )
    assert list(bare_codes(source)) == []
