"""The house rules that keep bot/ a neutral core: it never reaches into the adapters; and no module
binds a top-level name twice."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT

BOT = ROOT / "bot"
# `python -m bot` is the process entry point that starts the command line (adapters/cli.py);
# nothing in the core imports it.
ENTRY_POINT = BOT / "__main__.py"


def _imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in (
            "import_module",
            "__import__",
        ):
            names.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    return names


def test_no_module_under_bot_imports_an_adapter():
    offenders = {}
    for path in sorted(BOT.rglob("*.py")):
        if path == ENTRY_POINT:
            continue
        bad = sorted(n for n in _imported_modules(path) if n == "adapters" or n.startswith("adapters."))
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_importing_every_core_module_loads_no_adapter():
    modules = [
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in sorted(BOT.rglob("*.py"))
        if path != ENTRY_POINT
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m == 'adapters' or m.startswith('adapters.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_bot_is_four_rooms_and_a_few_modules():
    rooms = sorted(p.name for p in BOT.iterdir() if p.is_dir() and (p / "__init__.py").exists())
    top = sorted(p.name for p in BOT.glob("*.py"))
    assert rooms == ["chat", "schedule", "text", "translate"]
    # errors, config, settings, store, runtime, metrics, briefing, __init__ and __main__: the
    # modules every room shares.
    assert len(top) <= 9, top


def _top_level_names_bound_twice(path) -> list[tuple[str, int, int]]:
    """Module-level names a second assignment, def or class binds again: (name, first line, second)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    seen: dict[str, int] = {}
    twice = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names = [node.target.id]
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names = [node.name]
        else:
            names = []
        for name in names:
            if name in seen:
                twice.append((name, seen[name], node.lineno))
            seen[name] = node.lineno
    return twice


def test_no_module_binds_a_top_level_name_twice(tmp_path):
    # A second `_THANKS = …` further down a long module silently changes every use above it; ruff
    # does not see a plain re-assignment.
    found = {
        str(path.relative_to(ROOT)): twice
        for folder in (BOT, ROOT / "adapters")
        for path in sorted(folder.rglob("*.py"))
        if (twice := _top_level_names_bound_twice(path))
    }
    assert found == {}
    sample = tmp_path / "m.py"
    sample.write_text("_A = 1\n\n\ndef f():\n    return _A\n\n\n_A = 2\n", encoding="utf-8")
    assert _top_level_names_bound_twice(sample) == [("_A", 1, 8)]
