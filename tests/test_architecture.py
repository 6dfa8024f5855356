"""The layering rules hold: import contracts, and no private name imported across packages."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"


def _package_of(module: str, is_package: bool) -> str:
    """``peaceops.forecast.smp`` for both ``peaceops.forecast.smp.batch`` and its ``__init__``."""
    return module if is_package else module.rpartition(".")[0]


def _private_imports(src: Path = SRC) -> list[str]:
    """``file:line: module.name`` for every private name or module imported from another
    package (``peaceops.a`` may use ``peaceops.a._x`` and ``peaceops.a.b._y``, not
    ``peaceops.c._z``)."""
    found = []
    for path in sorted((src / "peaceops").rglob("*.py")):
        rel = path.relative_to(src).with_suffix("")
        is_package = rel.name == "__init__"
        module = ".".join(rel.parts[:-1] if is_package else rel.parts)
        home = _package_of(module, is_package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            if not node.module.startswith("peaceops"):
                continue
            parts = node.module.split(".")
            targets = [(node.module, parts)] + [
                (f"{node.module}.{a.name}", [*parts, a.name]) for a in node.names
            ]
            for name, pieces in targets:
                private = [k for k, p in enumerate(pieces) if p.startswith("_") and p[:2] != "__"]
                if not private:
                    continue
                owner = ".".join(pieces[: private[0]])  # the package the private part sits in
                if (src / owner.replace(".", "/")).with_suffix(".py").is_file():
                    owner = owner.rpartition(".")[0]  # a private name of a module
                if home != owner and not home.startswith(owner + "."):
                    found.append(f"{path.relative_to(src)}:{node.lineno}: {name}")
    return found


def test_no_private_name_is_imported_across_packages() -> None:
    assert _private_imports() == []


def test_the_private_import_check_finds_a_crossing(tmp_path: Path) -> None:
    """The check above can fail: it flags reaching into another package, not into one's own."""
    files = {
        "peaceops/__init__.py": "",
        "peaceops/a/__init__.py": "",
        "peaceops/a/_core.py": "def helper(): ...\n",
        "peaceops/a/model.py": "def _rule(): ...\n",
        "peaceops/a/sub/__init__.py": "from peaceops.a._core import helper\n",
        "peaceops/a/other.py": "from peaceops.a.model import _rule\n",
        "peaceops/b/__init__.py": "",
        "peaceops/b/user.py": (
            "from peaceops.a._core import helper\nfrom peaceops.a.model import _rule\n"
        ),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert _private_imports(tmp_path) == [
        "peaceops/b/user.py:1: peaceops.a._core",
        "peaceops/b/user.py:1: peaceops.a._core.helper",
        "peaceops/b/user.py:2: peaceops.a.model._rule",
    ]


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter not installed")
def test_import_contracts_are_kept() -> None:
    run = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))],
        capture_output=True,
        text=True,
        cwd=SRC.parent,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]
