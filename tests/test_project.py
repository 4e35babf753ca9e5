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
