"""Layers hold: model/ has no Qt, render/ no widgets, ui/ and export/ never import each other."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "briefing_app"


def imports_of(folder):
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, alias.name
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                yield path, "." * node.level + module


def test_importing_the_model_does_not_import_qt():
    code = ("import sys, briefing_app.model.storage, briefing_app.model.search, "
            "briefing_app.model.dates; import briefing_app.model as m, pkgutil, importlib\n"
            "for info in pkgutil.iter_modules(m.__path__): "
            "importlib.import_module('briefing_app.model.' + info.name)\n"
            "print('PySide6' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("folder, forbidden", [
    ("model", ("PySide6", "..ui", "..render", "..export")),
    ("render", ("PySide6.QtWidgets", "..ui", "..export")),
    ("export", ("PySide6.QtWidgets", "..ui")),
    ("ui", ("..export.", )),
])
def test_layer_imports(folder, forbidden):
    bad = [(p.name, name) for p, name in imports_of(folder)
           if any(name == f.rstrip(".") or name.startswith(f) for f in forbidden)]
    assert bad == []
