"""Every public engine function shows an example, every method module cites its papers.

The examples themselves run as doctests (pytest runs with ``--doctest-modules``); these tests
check that they exist. A public function is one a public module (no ``_`` in its dotted
path) exports: a name in its ``__all__``, or, for a module without ``__all__``, any name not
starting with ``_``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from types import ModuleType

import pytest

#: The engine packages, the scenario layer below them and the workflows above them.
PACKAGES = ("power", "planning", "forecast", "sweep", "venues", "scenario", "workflows")

#: A numpydoc "References" heading (the underline at least as long as five dashes).
REFERENCES = re.compile(r"^\s*References\n\s*-{5,}\s*$", re.MULTILINE)

#: Modules that implement no published method, and why. Everything else in PACKAGES that
#: defines code must have a References section (in the module's or one of its docstrings).
NO_METHOD: dict[str, str] = {
    # power: the engines' shared records and plumbing; the methods live in the engines
    "peaceops.power._counts": "a record of coalition counts; no method of its own",
    "peaceops.power._dense_kernels": "compiled loops of power._dense, whose References cite "
    "the generating-function method they run",
    "peaceops.power._critical_kernels": "compiled loops of power._critical, whose References "
    "cite the critical-member counting they run",
    "peaceops.power._reduce": "conditions a game on its required players (set algebra); the "
    "indices it feeds are cited in power.indices",
    "peaceops.power.result": "the result container of power_indices and its conversions",
    # planning: the project's own planning rules, stated in docs/planning.md
    "peaceops.planning._authorise": "venue verdicts written as CP-SAT constraints; the rule "
    "itself is venues.venue_game",
    "peaceops.planning.conditions": "pledge conditions as the scenario states them",
    "peaceops.planning.design": "mission designs and their issue-space coordinates",
    "peaceops.planning.options": "enumerates mission x route x levels and plans each",
    "peaceops.planning.plan": "the plan's result classes and shortfall explanations",
    "peaceops.planning.whatif": "applies a patch of data operations to a scenario",
    "peaceops.workflows._side": "runs an analysis branch in a forked process (plumbing)",
    # forecast: shared checks, adapters and the compiled twins of cited models
    "peaceops.forecast._core": "input checks, weights and perturbations shared by the models",
    "peaceops.forecast.drivers": "tabulates each actor's weight and movement from a forecast",
    "peaceops.forecast.registry": "the table of models and their call shapes",
    "peaceops.forecast.expected_utility._checks": "option checks of the cited model "
    "(forecast.expected_utility has the References)",
    "peaceops.forecast.expected_utility._kernel": "compiled round of the model cited in "
    "forecast.expected_utility",
    "peaceops.forecast.expected_utility.batch": "batch entry point of the model cited in "
    "forecast.expected_utility",
    "peaceops.forecast.smp._kernel": "compiled twin of forecast.smp.reference (cited there)",
    "peaceops.forecast.smp._kernel_core": "compiled twin of forecast.smp.election",
    "peaceops.forecast.smp._kernel_turn": "compiled twin of forecast.smp.reference",
    "peaceops.forecast.smp.batch": "batch entry point of the model cited in forecast.smp",
    "peaceops.forecast.smp.settings": "option tables and input checks of forecast.smp",
    # sweep: the vectorised twins of the planner's rules, and infrastructure
    "peaceops.sweep._compile": "scenario options compiled to arrays (planner rules, no method)",
    "peaceops.sweep._forecast": "calls the cited forecast models' batch engines",
    "peaceops.sweep._options": "the planner's acceptance rules on arrays (planning.acceptance "
    "cites the utility model)",
    "peaceops.sweep.evaluate": "names a replicate's outputs and evaluates them on a batch",
    "peaceops.sweep.executors": "where batches run (process, pool, Dask); no method",
    "peaceops.sweep.results": "the result container; the Wilson intervals it reports are "
    "computed and cited in sweep.aggregate",
    # venues: decision rules as the bodies' own charters state them (scenario sources)
    "peaceops.venues": "decision rules from the bodies' charters, cited as scenario sources",
    # scenario: the validated input, no method
    "peaceops.scenario._yaml": "a YAML/JSON reader that keeps line numbers",
    "peaceops.scenario.checks": "whole-file consistency checks of a scenario",
    "peaceops.scenario.events": "applies event effects to the scenario's items",
    "peaceops.scenario.load": "reads and validates scenario files",
    "peaceops.scenario.memberships": "packaged membership lists (sources in data/memberships.md)",
    "peaceops.scenario.migrate": "upgrades scenario documents between format versions",
    "peaceops.scenario.model": "the pydantic models of a scenario",
    "peaceops.scenario.tables": "flat tables of a scenario for display",
    # workflows: the order of steps; every step's method is cited in its engine
    "peaceops.workflows.analysis": "chains the engines on one scenario",
    "peaceops.workflows.sweep": "the durable, resumable sweep around sweep.montecarlo",
}


def _modules() -> list[ModuleType]:
    mods: list[ModuleType] = []
    for name in PACKAGES:
        pkg = importlib.import_module(f"peaceops.{name}")
        mods.append(pkg)
        if hasattr(pkg, "__path__"):
            for info in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."):
                mods.append(importlib.import_module(info.name))
    return mods


def _is_public(module: ModuleType) -> bool:
    return not any(part.startswith("_") for part in module.__name__.split(".")[1:])


def public_functions() -> dict[str, object]:
    """Qualified name -> function, for every public function of PACKAGES (deduplicated)."""
    found: dict[str, object] = {}
    for module in filter(_is_public, _modules()):
        names = getattr(module, "__all__", None)
        if names is None:
            names = [n for n in vars(module) if not n.startswith("_")]
        for name in names:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and obj.__module__.startswith("peaceops."):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


def _defines_code(module: ModuleType) -> bool:
    """Whether the module defines a function or class of its own (not a re-exporting facade)."""
    own = []
    for obj in vars(module).values():
        obj = getattr(obj, "py_func", obj)  # a numba kernel: its Python function
        if inspect.isfunction(obj) or inspect.isclass(obj):
            own.append(obj.__module__ == module.__name__)
    return any(own)


def test_the_collector_sees_the_public_api() -> None:
    functions = public_functions()
    assert "peaceops.power.indices.power_indices" in functions
    assert "peaceops.sweep.sensitivity.sobol_sensitivity" in functions
    assert "peaceops.workflows.analysis.analyse" in functions
    assert len(functions) > 100


def test_every_public_engine_function_has_an_example() -> None:
    missing = sorted(
        name for name, fn in public_functions().items() if ">>>" not in (fn.__doc__ or "")
    )
    assert missing == [], f"{len(missing)} public functions without a doctest example"


def test_every_method_module_has_a_references_section() -> None:
    missing = sorted(
        m.__name__
        for m in _modules()
        if _defines_code(m)
        and m.__name__ not in NO_METHOD
        and not REFERENCES.search(inspect.getsource(m))
    )
    assert missing == [], "modules without References (cite the paper, or add to NO_METHOD)"


@pytest.mark.parametrize("name", sorted(NO_METHOD))
def test_the_no_method_list_names_real_modules_without_references(name: str) -> None:
    module = importlib.import_module(name)
    assert _defines_code(module)
    assert not REFERENCES.search(inspect.getsource(module)), "it cites a paper: drop the entry"
