"""The packages depend in one direction only (DESIGN.md §2, layering rules), and the core is pure.

Every module under ``src/gongkai`` is checked against :data:`LAYERS`: a module may import its
own package and the packages of lower layers, never a package of its own layer (letters and
remedies stand side by side) or of a higher one, and never a private (``_name``) name of another
package. Every import statement counts — absolute,
relative, inside a function or under ``if TYPE_CHECKING`` — and each violation is named with
its file and line, so a cycle between packages cannot come back unnoticed.

``gongkai.core`` stays pure: no Django, nothing from the apps.

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


# ---------------------------------------------------------------------------------------------
# One direction between every package
# ---------------------------------------------------------------------------------------------

SRC_DIR = CORE_DIR.parent
# Lower imports higher never. A top-level package (or module) absent from this table fails the
# test below: say where a new package stands when adding it.
LAYERS: dict[str, int] = {
    "gongkai.core": 0,  # pure Python: law, formats, rules, parsers, renderers, clock
    "gongkai.agencies": 1,  # units, members, the gatekeeper, what every staff page shares
    "gongkai.calendars": 2,  # the entered holiday schedules every clock reads
    "gongkai.applications": 3,  # disclosure applications and their history
    "gongkai.letters": 4,  # letters about an application
    "gongkai.remedies": 4,  # reconsiderations and lawsuits over an application
    # The registers (section 二's data) read the cases; the reports read the registers and
    # everything below; portal and api may show reports; web composes all of them.
    "gongkai.registers": 5,
    "gongkai.reminders": 5,  # deadline reminders and notifications over the cases
    "gongkai.evaluations": 5,  # the evaluator's workspace: audits of published reports
    "gongkai.reports": 6,
    # The demo data builds cases, registers and published reports through every domain's
    # services (the reports' too), and is started from web and the CLI.
    "gongkai.demo": 7,
    "gongkai.portal": 7,
    "gongkai.api": 7,
    "gongkai.web": 8,  # the presentation layer: pages composing several domains, the server
    # Entry points: the Django project and the ``gongkai`` command, which may start anything.
    "gongkai.site": 9,
    "gongkai.cli": 9,
    "gongkai.backup": 8,  # the bodies of `gongkai backup` and `gongkai restore` (cli calls it)
}
# ``import gongkai`` and ``from gongkai import __version__`` read only the bare package.
NEUTRAL = frozenset({"gongkai", "gongkai.__version__"})


def package_of(name: str) -> str | None:
    """The entry of :data:`LAYERS` a module name belongs to (``None`` for the bare package)."""
    if name in NEUTRAL:
        return None
    parts = name.split(".")
    return ".".join(parts[:2]) if len(parts) >= 2 else None


def _private(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last.startswith("_") and not last.startswith("__")


def direction_violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """Each import in ``source`` (module ``module``) that points sideways or up, as text."""
    own = package_of(module)
    if own not in LAYERS:
        return [f"{module}: package {own} has no layer in LAYERS"]
    found = []
    seen: set[tuple[int, str]] = set()
    for line, name in imported_names(ast.parse(source), module, is_package):
        target = package_of(name) if name.split(".")[0] == "gongkai" else None
        if target is not None and target != own and _private(name):
            found.append(f"{module}:{line} imports {name} (a private name of {target})")
        if target is None or target == own or (line, target) in seen:
            continue
        seen.add((line, target))  # ``from gongkai.web import views``: one finding, not two
        if target not in LAYERS:
            found.append(f"{module}:{line} imports {name} (package {target} has no layer)")
        elif LAYERS[target] >= LAYERS[own]:
            where = "the same layer" if LAYERS[target] == LAYERS[own] else "a higher layer"
            found.append(f"{module}:{line} imports {name} ({target} is {where} than {own})")
    return found


def src_module_name(path: Path) -> str:
    parts = path.relative_to(SRC_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


ALL_FILES = sorted(SRC_DIR.rglob("*.py"))


def test_every_module_imports_only_down_the_layers() -> None:
    found = []
    for path in ALL_FILES:
        name = src_module_name(path)
        if name == "gongkai":
            continue
        source = path.read_text(encoding="utf-8")
        rel = path.relative_to(SRC_DIR.parent)
        found.extend(
            f"{rel}:{v.split(':', 1)[1]}" if ":" in v else f"{rel}: {v}"
            for v in direction_violations(source, name, path.name == "__init__.py")
        )
    assert found == [], "imports against the layering:\n" + "\n".join(found)


def test_every_top_level_package_has_a_layer() -> None:
    tops = {src_module_name(p).split(".")[:2][-1] for p in ALL_FILES if p.parent != SRC_DIR}
    tops |= {p.stem for p in SRC_DIR.glob("*.py") if p.stem != "__init__"}
    missing = sorted(f"gongkai.{t}" for t in tops if f"gongkai.{t}" not in LAYERS)
    assert missing == []


def test_every_package_holds_a_module() -> None:
    """No empty packages: a folder with only an ``__init__.py`` (and no docstring) is left over."""
    empty = []
    for init in SRC_DIR.rglob("__init__.py"):
        folder = init.parent
        if any(p for p in folder.iterdir() if p.name not in ("__init__.py", "__pycache__")):
            continue
        empty.append(str(folder.relative_to(SRC_DIR.parent)))
    assert empty == []


@pytest.mark.parametrize(
    ("source", "module", "bad"),
    [
        # upwards: the cycles this test was written against
        (
            "from gongkai.applications.models import Application",
            "gongkai.agencies.gatekeeper",
            True,
        ),
        (
            "from gongkai.letters.basis import default_legal_basis",
            "gongkai.applications.forms",
            True,
        ),
        # a private helper is no interface, even downwards
        ("from gongkai.applications.views import _render_case", "gongkai.letters.views", True),
        ("from gongkai.applications.views import _today", "gongkai.web.case_page.x", True),
        ("from .views import _render_case", "gongkai.applications.urls", False),
        ("from gongkai.web.case_page import views", "gongkai.letters.views", True),
        ("from gongkai import web", "gongkai.applications.views", True),
        ("from gongkai.site import settings", "gongkai.web.runner", True),
        ("from gongkai.web import runner", "gongkai.demo", True),
        ("from gongkai.cli import main", "gongkai.site.urls", True),
        ("from gongkai.agencies.models import Unit", "gongkai.core.law", True),
        # sideways: letters and remedies stand side by side
        ("from gongkai.remedies.models import Remedy", "gongkai.letters.context", True),
        ("from gongkai.letters import models", "gongkai.remedies.views", True),
        # relative, and inside a function or TYPE_CHECKING
        ("from ..letters import basis", "gongkai.applications.forms", True),
        ("from ...web import dashboard", "gongkai.applications.x.y", True),
        ("def f():\n    from gongkai.remedies import models", "gongkai.applications.views", True),
        (
            "if TYPE_CHECKING:\n    from gongkai.applications.models import Application",
            "gongkai.agencies.gatekeeper",
            True,
        ),
        # a package nobody placed
        ("import os", "gongkai.newthing.views", True),
        ("from gongkai.newthing import x", "gongkai.web.views", True),
        # downwards and within a package: allowed
        ("from gongkai.applications.models import Application", "gongkai.letters.models", False),
        ("from gongkai.agencies.gatekeeper import can", "gongkai.applications.services", False),
        ("from gongkai.web.case_page import urls", "gongkai.site.urls", False),
        ("from gongkai.web import runner", "gongkai.cli", False),
        ("from gongkai.demo import DemoSummary", "gongkai.web.runner", False),
        ("from . import services", "gongkai.applications.views", False),
        ("from .panels import case_panels", "gongkai.web.case_page.views", False),
        ("from gongkai import __version__", "gongkai.applications.views", False),
        ("from gongkai.core.results import basis_for", "gongkai.letters.context", False),
        ("import django.db", "gongkai.agencies.models", False),
    ],
)
def test_the_direction_check_itself(source: str, module: str, bad: bool) -> None:
    assert bool(direction_violations(source, module)) is bad


def test_a_violation_names_the_module_and_line() -> None:
    source = "import os\n\ndef f():\n    from gongkai.web import views\n"
    assert direction_violations(source, "gongkai.letters.views") == [
        "gongkai.letters.views:4 imports gongkai.web "
        "(gongkai.web is a higher layer than gongkai.letters)"
    ]


# ---------------------------------------------------------------------------------------------
# Views ask selectors, services and the gatekeeper; they query nothing themselves
# ---------------------------------------------------------------------------------------------

# Calls that filter, count or write through the ORM. Names that dicts and file storage share
# (``get``, ``update``, ``values``, ``delete``) are left out; ``.objects`` catches a model's
# manager whatever it calls, and a lookup by id is the gatekeeper's ``access_*_by_id``.
QUERY_METHODS = frozenset(
    {
        "filter",
        "exclude",
        "first",
        "last",
        "exists",
        "count",
        "aggregate",
        "annotate",
        "values_list",
        "create",
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "raw",
        "in_bulk",
        "select_for_update",
    }
)


def _is_storage(node: ast.expr) -> bool:
    """``default_storage.exists(…)``: a file, not a query."""
    return isinstance(node, ast.Name) and node.id.endswith("storage")


def view_query_calls(source: str) -> list[str]:
    """``Model.objects`` and queryset calls in a view module's source, with their lines."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"{node.lineno}: .objects")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in QUERY_METHODS
            and not _is_storage(node.func.value)
        ):
            found.append(f"{node.lineno}: .{node.func.attr}()")
    return found


VIEW_FILES = sorted(
    {*SRC_DIR.glob("*/views*.py"), *(SRC_DIR / "web").rglob("*.py")}
    - {SRC_DIR / "web" / "runner.py"}  # the server, not a view
)


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: str(p.relative_to(SRC_DIR)))
def test_a_view_module_runs_no_query_of_its_own(path: Path) -> None:
    assert view_query_calls(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("Remedy.objects.filter(pk=1)", True),
        ("units.exists()", True),
        ("units.filter(pk=2).first()", True),
        ("def v(r):\n    return r.user.membership_set.count()", True),
        ("request.GET.get('page')", False),
        ("default_storage.exists(name)", False),
        ("access_remedy_by_id(request.user, remedy_id)", False),
        ("selectors.remedy_list(user=request.user)", False),
    ],
)
def test_the_view_query_check_itself(source: str, bad: bool) -> None:
    assert bool(view_query_calls(source)) is bad
