"""The house's shape, kept: one folder per capability on both sides, small files, no import cycle, one process
runner. Read from the source tree (no build needed)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "jupyterlab_conda_envs"
CAPABILITIES = ("core", "environments", "kernels", "export", "create", "jobs", "gpu")
FRONTEND_CAPABILITIES = ("core", "environments", "kernels", "compat", "export", "create", "jobs", "gpu")
MAX_LINES = 400
# Tables whose every row names its source: long by nature, and split by framework already.
DATA_TABLES = REPO / "src" / "compat" / "data"


def _sources() -> list[Path]:
    python = [p for top in ("jupyterlab_conda_envs", "fixture_root", "benchmarks") for p in (REPO / top).rglob("*.py")]
    frontend = [p for p in (REPO / "src").rglob("*.ts*") if "__tests__" not in p.parts]
    return [p for p in python + frontend if "labextension" not in p.parts and DATA_TABLES not in p.parents]


def test_no_source_file_is_over_400_lines() -> None:
    long = {str(p.relative_to(REPO)): n for p in _sources() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long


def test_one_folder_per_capability_with_the_same_names_on_both_sides() -> None:
    for name in CAPABILITIES:
        assert (PACKAGE / name / "__init__.py").is_file(), name
    for name in FRONTEND_CAPABILITIES:
        assert (REPO / "src" / name).is_dir(), name
    # Routes stay with their capability: the core holds only the table.
    assert {p.parent.name for p in PACKAGE.rglob("routes.py")} >= {"environments", "kernels", "export", "create"}
    # At the top only the extension's entry points, the generated version, and the manager's documented path.
    assert {p.name for p in PACKAGE.glob("*.py")} - {"_version.py"} == {"__init__.py", "kernelspec_manager.py"}


def _module_graph(top: Path) -> dict[str, set[str]]:
    modules: dict[str, Path] = {}
    for path in top.rglob("*.py"):
        parts = path.relative_to(top.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text())):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                origin = (
                    ".".join(base[: len(base) - node.level + 1] + ([node.module] if node.module else []))
                    if node.level
                    else node.module or ""
                )
                targets = [origin, *(f"{origin}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            for target in targets:
                # A module's own packages are imported before it anyway: no edge.
                if target in modules and target != name and not name.startswith(target + "."):
                    graph[name].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []


@pytest.mark.parametrize("top", ["jupyterlab_conda_envs", "fixture_root"])
def test_no_import_cycle(top: str) -> None:
    assert _cycle(_module_graph(REPO / top)) == []


def test_the_cycle_check_sees_a_cycle(tmp_path: Path) -> None:
    """The check above can fail: two modules that import each other are found."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from .b import x\n")
    (package / "b.py").write_text("from . import a\nx = 1\n")
    assert _cycle(_module_graph(package)) == ["pkg.a", "pkg.b", "pkg.a"]


def test_every_child_process_starts_in_the_one_runner() -> None:
    """Only core/process.py starts programs; everything else calls it (jobs, probe, nvidia-smi, rattler, pip)."""
    starts = re.compile(
        r"\b(subprocess\.(Popen|run|call|check_output|check_call)|create_subprocess_(exec|shell)|os\.(system|popen|spawn\w*|exec\w*))\("
    )
    found = [
        str(p.relative_to(REPO))
        for p in PACKAGE.rglob("*.py")
        if p != PACKAGE / "core" / "process.py" and starts.search(p.read_text())
    ]
    assert found == []
