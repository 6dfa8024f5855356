"""Read a what-if patch file: the file side of :func:`peaceops.planning.parse_patch`.

The planning engine checks and applies patches given as text or data; this edge reads the
file through the scenario loader's bounded reader (:func:`peaceops.scenario.load.read_text_bounded`:
size limit, UTF-8 check, messages with the file and line) and hands the text over.
"""

from __future__ import annotations

from pathlib import Path

from peaceops._types import PathLike
from peaceops.planning import Patch, parse_patch
from peaceops.scenario.load import builtin_patches, read_text_bounded

__all__ = ["read_builtin_patches", "read_patch"]


def read_patch(path: PathLike) -> Patch:
    """Read and check the what-if patch in the YAML or JSON file ``path``.

    Raises
    ------
    ScenarioError
        When the file cannot be read (missing, too large, not UTF-8) or any operation is
        malformed; every problem names the file and, where known, the line.

    Examples
    --------
    >>> from peaceops.scenario.load import builtin_patches
    >>> patch = read_patch(builtin_patches("ukraine-2025-04")[0])
    >>> patch.scenario, [op["op"] for op in patch.operations][:2]
    ('ukraine-2025-04', ['add_source', 'join_group'])
    """
    file = Path(path)
    return parse_patch(read_text_bounded(file, what="patch"), file=str(file))


def read_builtin_patches(scenario_id: str) -> tuple[Patch, ...]:
    """The packaged what-if patches written for the built-in scenario ``scenario_id``.

    Examples
    --------
    >>> [p.name for p in read_builtin_patches("ukraine-2025-04")]
    ['Turkey joins the reassurance force (hypothetical)']
    """
    return tuple(read_patch(path) for path in builtin_patches(scenario_id))
