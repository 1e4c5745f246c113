"""Print the line coverage of the core and of the Django apps, and fail below their floors.

Run by ``scripts/test`` after the whole SQLite suite ran under pytest-cov:

    python scripts/coverage_floor.py DATA_FILE

The core (``src/gongkai/core``) is a library other people call with inputs we never saw, so it
is held to 95 % of its lines; the rest of ``src/gongkai`` (the Django apps, the CLI, the site,
but not migrations, which Django writes) to 90 %. Every ``.py`` file counts, including one that
no test imports (it counts as not covered at all). A part below its floor is named in Chinese
with its worst-covered modules, so the failure says where to write tests.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NamedTuple

import coverage

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "gongkai"
CORE = PACKAGE / "core"

# (name printed, floor in percent of lines)
FLOORS = {"core": ("核心 src/gongkai/core", 95.0), "apps": ("应用（src/gongkai 其余部分）", 90.0)}
WORST_SHOWN = 8


class FileLines(NamedTuple):
    path: Path
    statements: int
    missing: int

    @property
    def percent(self) -> float:
        return 100.0 * (self.statements - self.missing) / self.statements


def part_of(path: Path) -> str | None:
    if "migrations" in path.relative_to(PACKAGE).parts:
        return None
    return "core" if path.is_relative_to(CORE) else "apps"


def measure(data_file: Path) -> dict[str, list[FileLines]]:
    cov = coverage.Coverage(data_file=str(data_file), config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    parts: dict[str, list[FileLines]] = {"core": [], "apps": []}
    for path in sorted(PACKAGE.rglob("*.py")):
        part = part_of(path)
        if part is None:
            continue
        _, statements, _, missing, _ = cov.analysis2(str(path))
        if statements:
            parts[part].append(FileLines(path, len(statements), len(missing)))
    return parts


def percent(files: list[FileLines]) -> float:
    statements = sum(f.statements for f in files)
    covered = statements - sum(f.missing for f in files)
    return 100.0 * covered / statements if statements else 100.0


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("用法：coverage_floor.py 覆盖率数据文件", file=sys.stderr)
        return 2
    data_file = Path(argv[0])
    if not data_file.is_file():
        print(
            f"错误：找不到覆盖率数据 {data_file}（测试没有在 pytest-cov 下运行完？）",
            file=sys.stderr,
        )
        return 1
    parts = measure(data_file)
    below = []
    for key, files in parts.items():
        name, floor = FLOORS[key]
        figure = percent(files)
        lines = sum(f.statements for f in files)
        print(f"    {name}：{figure:.1f}% 的代码行被测试覆盖（共 {lines} 行，下限 {floor:.0f}%）")
        if figure < floor:
            below.append((key, name, figure, floor))
    for key, name, figure, floor in below:
        print(f"    覆盖率不足：{name} 为 {figure:.1f}%，低于下限 {floor:.0f}%。覆盖率最低的模块：")
        worst = sorted(parts[key], key=lambda f: (f.percent, -f.missing))[:WORST_SHOWN]
        for f in worst:
            where = f.path.relative_to(ROOT)
            print(f"      {f.percent:5.1f}%  {where}（{f.missing}/{f.statements} 行未覆盖）")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
