"""The size limits of the files :mod:`peaceops.io` reads, and the one bounded reader they share.

Every reader of a user's file (KTAB CSV and XML, the expected-utility table, DEU data, KTAB
logs, a ``--input`` path) reads through :func:`read_text_limited`: a file over its limit is
refused **before it is read**, with the same kind of message as the scenario loader's (file,
limit; exit code 2 on the command line), so a 200 MB file costs no memory and no time.

This module imports nothing heavy: the command line checks a file with it before it imports
the readers (and the forecast engines behind them).

=====================  ==========  ====================================================
file                   limit       why
=====================  ==========  ====================================================
model file             8 MiB       the scenario loader's limit; the largest real input,
                                   the DEU data set, is under 1 MiB
KTAB ``smpc`` log      64 MiB      a log prints every actor's position every turn
=====================  ==========  ====================================================

>>> MAX_MODEL_BYTES, MAX_LOG_BYTES
(8388608, 67108864)
"""

from __future__ import annotations

from pathlib import Path

from peaceops._types import PathLike
from peaceops.errors import Problem, ScenarioError

__all__ = ["MAX_LOG_BYTES", "MAX_MODEL_BYTES", "check_file_size", "read_text_limited"]

#: Largest model file (KTAB CSV/XML, expected-utility table, DEU data) read, in bytes.
MAX_MODEL_BYTES = 8 * 1024 * 1024
#: Largest KTAB ``smpc`` log read, in bytes.
MAX_LOG_BYTES = 64 * 1024 * 1024


def _refused(path: PathLike, what: str, limit: int) -> ScenarioError:
    message = f"the {what} is larger than the limit of {limit:,} bytes"
    return ScenarioError([Problem(str(path), None, "", message)])


def check_file_size(path: PathLike, *, what: str = "file", limit: int = MAX_MODEL_BYTES) -> None:
    """Refuse ``path`` when it is larger than ``limit`` bytes (a missing file passes: the
    reader names it). Reads nothing.

    Raises
    ------
    ScenarioError
        When the file is a directory or larger than the limit.
    """
    target = Path(path)
    if target.is_dir():
        raise ScenarioError([Problem(str(path), None, "", f"is a directory; give the {what}")])
    try:
        size = target.stat().st_size
    except OSError:
        return
    if size > limit:
        raise _refused(path, what, limit)


def read_text_limited(path: PathLike, *, what: str = "file", limit: int = MAX_MODEL_BYTES) -> str:
    """The text of ``path`` (UTF-8, BOM allowed), refused unread when over ``limit`` bytes.

    At most ``limit + 1`` bytes are ever read, so a file that grows while it is read, or a
    device such as ``/dev/zero``, is refused too.

    Raises
    ------
    ScenarioError
        When the file cannot be read, is larger than ``limit`` or is not UTF-8 (the line of
        the first bad byte is given).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "big.csv"
    ...     _ = p.write_text("x" * 11)
    ...     try:
    ...         read_text_limited(p, what="model file", limit=10)
    ...     except ScenarioError as exc:
    ...         print(exc.problems[0].message)
    the model file is larger than the limit of 10 bytes
    """
    name = str(path)
    target = Path(path)
    if target.is_dir():
        raise ScenarioError([Problem(name, None, "", f"is a directory; give the {what}")])
    try:
        with target.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ScenarioError([Problem(name, None, "", f"cannot read the file: {reason}")]) from None
    if len(data) > limit:
        raise _refused(path, what, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(
            [Problem(name, line, "", f"not UTF-8 text (byte {data[exc.start]:#04x})")]
        ) from None
