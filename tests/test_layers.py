"""The layers keep their direction: knowledge/ (the course as data) never imports tutor/ or ui/,
and tutor/ never imports ui/. Read from the source with :mod:`ast`, so a lazy import inside a
function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(folder: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        out[path.relative_to(ROOT).as_posix()] = names
    return out


def test_knowledge_imports_neither_tutor_nor_ui():
    bad = {p: sorted(n & {"tutor", "ui"}) for p, n in _imports("knowledge").items() if n & {"tutor", "ui"}}
    assert bad == {}


def test_tutor_does_not_import_ui():
    bad = {p: sorted(n & {"ui"}) for p, n in _imports("tutor").items() if "ui" in n}
    assert bad == {}
