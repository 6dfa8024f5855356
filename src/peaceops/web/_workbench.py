"""The workbench's reads: scenarios by name and version, and cached library results.

Every result here is a library call (:mod:`peaceops.planning`, :mod:`peaceops.forecast`,
:mod:`peaceops.venues`, :mod:`peaceops.scenario.tables`) on a validated scenario; results are
cached by scenario hash and arguments, so a page viewed by fifty analysts is computed once.
Reads never write to the store.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from peaceops.errors import InfeasibleError, PeaceopsError, StoreError
from peaceops.scenario import Scenario, builtin_scenarios, parse_scenario, scenario_hash
from peaceops.store import Engine, get_version, list_versions

__all__ = ["Loaded", "NotFoundError", "ResultCache", "Workbench"]

T = TypeVar("T")


class NotFoundError(PeaceopsError):
    """A scenario, version or run the client asked for does not exist."""


@dataclass(frozen=True)
class Loaded:
    """A scenario as the workbench shows it: its line, version, text and validated model."""

    name: str
    version: int
    origin: str
    text: str
    scenario: Scenario
    hash: str


class ResultCache:
    """A bounded, thread-safe memo of library results; each key is computed once at a time."""

    def __init__(self, size: int = 128) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, computing it with ``compute()`` when absent."""
        with self._guard:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[no-any-return]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._items:
                    return self._items[key]  # type: ignore[no-any-return]
            value = compute()
            with self._guard:
                self._items[key] = value
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
                self._locks.pop(key, None)
            return value


class Workbench:
    """Scenarios and results for the pages and the API, over one store engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.cache = ResultCache()

    # ------------------------------------------------------------------ scenarios

    def lines(self) -> list[dict[str, Any]]:
        """Every scenario line: built-in and uploaded, each with its stored versions."""
        with self.engine.connect() as conn:
            stored = list_versions(conn)
        by_name: dict[str, list[dict[str, Any]]] = {}
        for v in stored:
            by_name.setdefault(v.name, []).append(v.to_row())
        out = []
        for name in builtin_scenarios():
            out.append({"name": name, "origin": "built-in", "versions": by_name.pop(name, [])})
        for name, versions in sorted(by_name.items()):
            out.append({"name": name, "origin": "uploaded", "versions": versions})
        return out

    def latest(self, name: str) -> int:
        """The latest version of line ``name`` (0: the built-in file)."""
        with self.engine.connect() as conn:
            versions = list_versions(conn, name)
        if not versions and name not in builtin_scenarios():
            raise NotFoundError(f"no scenario named {name!r}")
        return versions[0].version if versions else 0

    def load(self, name: str, version: int | None = None) -> Loaded:
        """Version ``version`` (default: the latest) of scenario line ``name``."""
        if version is None:
            version = self.latest(name)
        return self.cache.get(("load", name, version), lambda: self._load(name, version))

    def builtin_text(self, name: str) -> str:
        """Text of a built-in scenario (version 0 of its line); empty for other lines."""
        path = builtin_scenarios().get(name)
        return path.read_text(encoding="utf-8") if path else ""

    def _load(self, name: str, version: int) -> Loaded:
        if version == 0:
            path = builtin_scenarios().get(name)
            if path is None:
                raise NotFoundError(f"no built-in scenario named {name!r}")
            text = path.read_text(encoding="utf-8")
            origin = "built-in"
        else:
            try:
                with self.engine.connect() as conn:
                    info = get_version(conn, name, version)
            except StoreError as exc:
                raise NotFoundError(str(exc)) from exc
            text, origin = info.text, info.origin
        s = parse_scenario(text, file=f"{name}.yaml")
        return Loaded(name, version, origin, text, s, scenario_hash(s))

    def warm(self) -> None:
        """Compute the built-in scenarios' option matrices and venue power (start-up)."""
        for name in builtin_scenarios():
            try:
                s = self.load(name, 0).scenario
                self.computed(s, "power")
                self.computed(s, "options")
            except PeaceopsError:
                continue  # the page shows the error when someone opens it

    # ------------------------------------------------------------------ results

    def computed(self, s: Scenario, what: str, *args: Any) -> Any:
        """The cached result of library call ``what`` on ``s`` (see :data:`CALLS`)."""
        call = CALLS[what]
        return self.cache.get((scenario_hash(s), what, *args), lambda: call(s, *args))


def _options(s: Scenario) -> Any:
    from peaceops.planning import option_matrix

    return option_matrix(s) if s.missions else None


def _plan(
    s: Scenario,
    mission: str | None,
    route: str | None,
    levels: tuple[tuple[str, float], ...] | None,
) -> Any:
    """The force plan, or the ``InfeasibleError`` that explains why there is none."""
    from peaceops.planning import solve_force_generation

    host = (s.planning.host,) if s.planning.host else ()
    try:
        return solve_force_generation(
            s,
            mission,
            route=route,
            levels=dict(levels) if levels else None,
            require_acceptance=host,
        )
    except InfeasibleError as exc:
        return exc


def _frontier(s: Scenario, mission: str | None) -> Any:
    from peaceops.planning import pareto_frontier

    return pareto_frontier(s, mission)


def _forecast(s: Scenario, models: tuple[str, ...]) -> Any:
    from peaceops.forecast.timeline import forecast_scenario

    return forecast_scenario(s, models=models) if s.stances else None


def _power(s: Scenario) -> Any:
    from peaceops.venues import venue_power

    return venue_power(s)


#: Library calls the workbench caches, by name.
CALLS: dict[str, Callable[..., Any]] = {
    "options": _options,
    "plan": _plan,
    "frontier": _frontier,
    "forecast": _forecast,
    "power": _power,
}
