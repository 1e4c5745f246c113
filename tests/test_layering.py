"""``gongkai.core`` stays pure: no Django, nothing from the apps (DESIGN.md §2, layering rules).

The core is used as a library and from the CLI on machines without a database; one stray import
of Django or of an app would make ``from gongkai.core import audit`` configure Django settings or
fail outright. Two checks: every import statement in the source (so the failure names the file
and line), and a real import of every core module in a fresh interpreter (so an import hidden
behind a third-party package is caught too).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import gongkai.core

CORE_DIR = Path(gongkai.core.__file__).resolve().parent
# Top-level packages that are Django or need it configured.
FORBIDDEN_ROOTS = frozenset({"django", "ninja", "rest_framework", "pytest_django"})


def module_name(path: Path) -> str:
    parts = path.relative_to(CORE_DIR.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """Every absolute module name an import statement in ``tree`` refers to, with its line."""
    names: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                base = node.module or ""
            else:
                package = module.split(".") if is_package else module.split(".")[:-1]
                keep = len(package) - (node.level - 1)
                base = ".".join([*package[: max(keep, 0)], *([node.module] if node.module else [])])
            names.append((node.lineno, base))
            # ``from gongkai import site`` imports the module gongkai.site.
            names.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return names


def _inside_core(name: str) -> bool:
    # ``from gongkai import __version__`` names the bare package, which imports nothing.
    return name in ("gongkai", "gongkai.__version__", "gongkai.core") or name.startswith(
        "gongkai.core."
    )


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    found = []
    for line, name in imported_names(ast.parse(source), module, is_package):
        root = name.split(".")[0]
        if root in FORBIDDEN_ROOTS:
            found.append(f"{module}:{line} imports {name} (Django)")
        elif root == "gongkai" and not _inside_core(name):
            found.append(f"{module}:{line} imports {name} (outside gongkai.core)")
    return found


CORE_FILES = sorted(CORE_DIR.rglob("*.py"))


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(CORE_DIR)))
def test_core_module_imports_nothing_outside_the_core(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert violations(source, module_name(path), path.name == "__init__.py") == []


@pytest.mark.parametrize(
    ("source", "module", "bad"),
    [
        ("import django", "gongkai.core.x", True),
        ("from django.db import models", "gongkai.core.x", True),
        ("import ninja", "gongkai.core.x", True),
        ("from gongkai.applications import models", "gongkai.core.x", True),
        ("from gongkai import site", "gongkai.core.x", True),
        ("from .. import cli", "gongkai.core.x", True),
        ("from ...site import settings", "gongkai.core.parse.x", True),
        ("def f():\n    import django.conf", "gongkai.core.x", True),
        ("from gongkai.core import law", "gongkai.core.x", False),
        ("from . import law", "gongkai.core.x", False),
        ("from .. import law", "gongkai.core.parse.x", False),
        ("from gongkai.core.law import FeeBand", "gongkai.core.x", False),
        ("import pydantic\nimport decimal", "gongkai.core.x", False),
        ("import djangoish", "gongkai.core.x", False),
    ],
)
def test_the_import_check_itself(source: str, module: str, bad: bool) -> None:
    assert bool(violations(source, module)) is bad


def test_the_walk_sees_the_core_modules() -> None:
    names = {module_name(p) for p in CORE_FILES}
    assert {"gongkai.core", "gongkai.core.law", "gongkai.core.fees"} <= names


IMPORT_ALL = """
import importlib, pkgutil, sys
import gongkai.core
for info in pkgutil.walk_packages(gongkai.core.__path__, "gongkai.core."):
    importlib.import_module(info.name)
    leaked = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
    if leaked:
        print(f"importing {info.name} loaded {leaked[0]}")
        sys.exit(1)
    apps = sorted(m for m in sys.modules if m.startswith("gongkai.")
                  and not m.startswith("gongkai.core"))
    if apps:
        print(f"importing {info.name} loaded {apps[0]}")
        sys.exit(1)
print("ok")
"""


def test_importing_every_core_module_loads_no_django() -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ok"
