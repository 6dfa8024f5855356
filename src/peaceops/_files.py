"""Write files atomically: all of a file or nothing, never a half-written one.

Every file peaceops writes (reports, exports, templates) goes through :func:`atomic_path`: the
content is written to a temporary file in the target's directory, flushed to disk and renamed
over the target, so a crash or a full disk leaves the old file (or none), never a partial one.
A path that cannot be written (a directory, a parent that is a file, no permission) is a
:class:`~peaceops.errors.ScenarioError` naming the path, raised before anything is written.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peaceops.errors import Problem, ScenarioError

__all__ = ["atomic_path", "write_atomic"]


def _refuse(path: Path, why: str) -> ScenarioError:
    return ScenarioError([Problem(str(path), None, "", f"cannot write here: {why}")])


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path to write; on success it is synced and renamed to ``path``.

    Raises
    ------
    ScenarioError
        When ``path`` is a directory, its parent is a file, or it cannot be written.
    """
    path = Path(path)
    if path.is_dir():
        raise _refuse(path, "it is a directory")
    parent = path.parent
    for up in (parent, *parent.parents):
        if up.exists():
            if not up.is_dir():
                raise _refuse(path, f"{up} is a file, not a directory")
            break
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise _refuse(path, exc.strerror or type(exc).__name__) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        tmp.chmod(0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise _refuse(path, exc.strerror or type(exc).__name__) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; returns ``path``."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)
