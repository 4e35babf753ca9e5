"""Promises the project makes about itself: a pure core, documented commands, faithful seeds."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest

from cchc.cli import build_parser
from tests.seeds import ROOT, SEEDS, SHARED_SEEDS

CORE = ROOT / "cchc" / "core"
ALLOWED_THIRD_PARTY = {"holidays"}  # a data library: the Vietnamese public holidays


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "module", sorted(CORE.rglob("*.py")), ids=lambda p: str(p.relative_to(CORE))
)
def test_the_core_imports_only_the_standard_library_and_itself(module: Path) -> None:
    outside = {
        name
        for name in _imports(module)
        if name.split(".")[0] not in sys.stdlib_module_names
        and not name.startswith("cchc.core")
        and name.split(".")[0] not in ALLOWED_THIRD_PARTY
    }
    assert outside == set()


def _documentation() -> str:
    """The README and every page under docs/: where a user looks for a command or a rule."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return "\n".join(page.read_text(encoding="utf-8") for page in pages)


def test_the_readme_stays_a_newcomers_length() -> None:
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 200


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in (ROOT / "cchc").rglob("*.py")}


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node, function bodies included, but not `if TYPE_CHECKING:` blocks:
    those imports never run."""
    out: list[ast.AST] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        stack.extend(ast.iter_child_nodes(node))
    return out


def _cchc_imports(module: str) -> set[str]:
    """The cchc modules `module` imports anywhere in its code, each named by its file."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def known(name: str) -> str:
        while name not in MODULES:
            name = name.rpartition(".")[0]
        return name

    out: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(known(a.name) for a in node.names if a.name.startswith("cchc."))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                head = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*head, base] if base else head)
            if base.startswith("cchc"):
                for a in node.names:
                    full = f"{base}.{a.name}"
                    out.add(full if full in MODULES else known(base))
    out.discard(module)
    return out


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


GRAPH = {m: _cchc_imports(m) for m in MODULES}


def test_the_cycle_finder_can_fail() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_of_cchc_is_in_an_import_cycle() -> None:
    """Function-level imports included: a cycle hidden in a function is still a cycle."""
    assert _cycles(GRAPH) == []


def _layer_breaches(layer: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{m} → {target}"
        for m, targets in GRAPH.items()
        if m == layer or m.startswith(layer + ".")
        for target in targets
        if any(target == f or target.startswith(f + ".") for f in forbidden)
    )


def test_the_core_imports_only_the_core() -> None:
    outside = sorted(
        f"{m} → {t}"
        for m, targets in GRAPH.items()
        if m.startswith("cchc.core")
        for t in targets
        if not t.startswith("cchc.core")
    )
    assert outside == []


@pytest.mark.parametrize("layer", ["cchc.documents", "cchc.importers", "cchc.bundled_templates"])
def test_documents_and_importers_never_import_the_web(layer: str) -> None:
    assert _layer_breaches(layer, ("cchc.web", "cchc.cli", "cchc.cli_web")) == []


@pytest.mark.parametrize(
    "layer",
    [
        "cchc.web.reporting",
        "cchc.web.organisation",
        "cchc.web.notices",
        "cchc.web.signing",
        "cchc.web.accounts",
    ],
)
def test_the_domain_never_imports_views(layer: str) -> None:
    assert _layer_breaches(layer, ("cchc.web.views", "cchc.web.urls")) == []


def _commands() -> list[str]:
    parser = build_parser()
    out: list[str] = []
    for name, sub in parser._subparsers._group_actions[0].choices.items():
        nested = [a for a in sub._actions if a.__class__.__name__ == "_SubParsersAction"]
        if nested:
            out.extend(f"cchc {name} {child}" for child in nested[0].choices)
        else:
            out.append(f"cchc {name}")
    return out


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(command: str) -> None:
    assert command in _documentation()


def test_every_finding_rule_of_the_engine_is_documented() -> None:
    docs = _documentation()
    sources = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "cchc").rglob("*.py"))
    import re

    rules = set(re.findall(r'Finding\(\s*"([a-z-]+)"', sources)) | set(
        re.findall(r'finding\("([a-z-]+)"', sources)
    )
    assert rules, "no rule ids found"
    assert sorted(r for r in rules if f"`{r}`" not in docs) == []


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name)
def test_bundled_seeds_are_identical_to_the_shared_ones(seed: Path) -> None:
    assert seed.read_bytes() == (SHARED_SEEDS / seed.name).read_bytes()


def test_every_setting_read_from_the_environment_is_documented() -> None:
    import re

    settings_source = (ROOT / "cchc" / "web" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"((?:CCHC|DATABASE)_[A-Z_]+)"', settings_source))
    docs = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert names and sorted(n for n in names if f"`{n}`" not in docs) == []


def _pins(path: Path) -> dict[str, str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    pairs = (line.split("==") for line in lines if "==" in line and not line.startswith("#"))
    return {name.lower().replace("_", "-"): version for name, version in pairs}


def _declared(specs: list[str]) -> dict[str, str]:
    out = {}
    for spec in specs:
        name, version = spec.split("#")[0].strip().split("==")
        out[name.split("[")[0].lower().replace("_", "-")] = version
    return out


def test_the_runtime_lock_holds_every_runtime_pin_and_no_test_tool() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = _pins(ROOT / "requirements.lock")
    dev_lock = _pins(ROOT / "requirements-dev.lock")
    wanted = _declared(project["dependencies"])
    tools = _declared(project["optional-dependencies"]["dev"])
    assert {name: runtime.get(name) for name in wanted} == wanted
    assert {name: dev_lock.get(name) for name in tools} == tools
    assert set(runtime) & set(tools) == set()
    assert set(runtime) & set(dev_lock) == set()  # the dev lock adds to the runtime lock
    assert "-r requirements.lock" in (ROOT / "requirements-dev.lock").read_text(encoding="utf-8")
