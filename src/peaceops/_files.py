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

__all__ = ["FORCE_HINT", "atomic_path", "write_atomic"]


def _refuse(path: Path, why: str) -> ScenarioError:
    return ScenarioError([Problem(str(path), None, "", f"cannot write here: {why}")])


#: What to do when the target exists and may not be replaced.
FORCE_HINT = "the file exists; use --force to overwrite it"


@contextmanager
def atomic_path(
    path: Path, *, overwrite: bool = True, exists_hint: str = FORCE_HINT
) -> Iterator[Path]:
    """A temporary path to write; on success it is synced and renamed to ``path``.

    With ``overwrite`` false an existing ``path`` is refused before anything is written, and
    the final step is a hard link that fails rather than replace a file that appeared
    meanwhile. The file gets the mode a plain ``open()`` would give it (the umask applies).

    Raises
    ------
    ScenarioError
        When ``path`` is a directory, its parent is a file, it cannot be written, or it exists
        and ``overwrite`` is false (the message is ``exists_hint``).
    """
    path = Path(path)
    if path.is_dir():
        raise _refuse(path, "it is a directory")
    if not overwrite and path.exists():
        raise ScenarioError([Problem(str(path), None, "", exists_hint)])
    parent = path.parent
    for up in (parent, *parent.parents):
        if up.exists():
            if not up.is_dir():
                raise _refuse(path, f"{up} is a file, not a directory")
            break
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=f".tmp{path.suffix}", dir=parent
        )
    except OSError as exc:
        raise _refuse(path, exc.strerror or type(exc).__name__) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        tmp.chmod(0o666 & ~_umask())
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
    except FileExistsError:
        raise ScenarioError([Problem(str(path), None, "", exists_hint)]) from None
    except OSError as exc:
        raise _refuse(path, exc.strerror or type(exc).__name__) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(
    path: Path, text: str, *, overwrite: bool = True, exists_hint: str = FORCE_HINT
) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; returns ``path`` (see :func:`atomic_path`)."""
    with atomic_path(path, overwrite=overwrite, exists_hint=exists_hint) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
