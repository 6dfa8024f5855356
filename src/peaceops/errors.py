"""Every exception peaceops raises.

The hierarchy keeps three cases apart: the input is wrong, the input is fine but the problem
has no solution, and the method gave up::

    PeaceopsError
    ├── ScenarioError (also ValueError)   malformed input: carries every Problem found
    │   └── OptionError                   a bad argument of a library call (path = its name)
    ├── InfeasibleError                   a well-formed request with no solution
    ├── ConvergenceError                  an iterative method stopped without converging
    └── StoreError                        the run store could not be opened, read or written

The CLI turns any ``PeaceopsError`` into one clear line: exit code 2 for a ``ScenarioError``
(bad input), 1 for the others; ``--debug`` shows the traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ConvergenceError",
    "InfeasibleError",
    "OptionError",
    "PeaceopsError",
    "Problem",
    "ScenarioError",
    "StoreError",
]


class PeaceopsError(Exception):
    """Base class of every error peaceops raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in an input file.

    Attributes
    ----------
    file
        The file the problem is in (``"<string>"`` for text given directly).
    line
        1-based line of the offending value, or ``None`` when it cannot be located.
    path
        Field path inside the document, e.g. ``stances[RUS][nato_share].salience``.
    message
        What is wrong, the value received and what is allowed.
    """

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioError(PeaceopsError, ValueError):
    """A scenario (or another input file) is malformed; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("ScenarioError needs at least one problem")
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} found"
        super().__init__(head + ":\n" + "\n".join(f"  {p}" for p in self.problems))

    @property
    def path(self) -> str:
        """Field path of the first problem."""
        return self.problems[0].path


class OptionError(ScenarioError):
    """A keyword option or array handed to a library function is invalid.

    No file sits behind it: ``file`` is ``"<options>"`` and ``path`` names the argument
    (``rounds``, ``perturbations[2].round``, ``inputs[x1]``), so an edge can map it to its own
    flag or field.

    >>> err = OptionError("rounds", "rounds must be an integer >= 0; got -1")
    >>> err.path, isinstance(err, ScenarioError), isinstance(err, ValueError)
    ('rounds', True, True)
    """

    def __init__(self, path: str, message: str) -> None:
        super().__init__([Problem("<options>", None, path, message)])


class InfeasibleError(PeaceopsError):
    """A well-formed request has no solution; ``conflicts`` names the constraints in conflict."""

    def __init__(self, message: str, *, conflicts: tuple[str, ...] = ()) -> None:
        self.conflicts = tuple(conflicts)
        detail = f" (conflicting: {'; '.join(self.conflicts)})" if self.conflicts else ""
        super().__init__(message + detail)


class ConvergenceError(PeaceopsError):
    """An iterative method stopped before meeting its tolerance."""

    def __init__(self, message: str, *, iterations: int, tolerance: float) -> None:
        self.iterations = iterations
        self.tolerance = tolerance
        super().__init__(f"{message} (after {iterations} iterations, tolerance {tolerance:g})")


class StoreError(PeaceopsError):
    """The run store could not be opened, read or written."""
