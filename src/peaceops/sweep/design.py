r"""Sampling designs: a scenario's uncertainty fields as named random inputs, and their draws.

A scenario states its uncertainty in its own fields: ranges on positions and saliences
(``Stance.uncertainty``), on clout (``Actor.clout.range``) and on pledge quantities
(``Pledge.quantity`` low/high); probabilities on pledge approvals (``Approval.probability``)
and on events (``Event.probability``). :func:`sampling_design` turns each of them into an
:class:`UncertainInput` with its distribution; :func:`draw_inputs` draws replicates.

Every input is drawn by the inverse of its distribution function from one uniform number
:math:`u \in [0, 1)`:

.. math::

    x = \begin{cases}
        a + (b - a)\,u & \text{uniform on } [a, b]\\
        a + \lfloor (b - a + 1)\,u \rfloor & \text{integer uniform on } \{a, \dots, b\}\\
        [u < p] & \text{Bernoulli}(p)
    \end{cases}

so the same transform serves Monte Carlo (``u`` from each replicate's own random stream) and
the quasi-random Saltelli design of :mod:`peaceops.sweep.sensitivity` (``u`` from a Sobol'
sequence). Replicate ``i`` of a sweep with seed ``s`` draws its ``k`` uniforms from the
generator seeded by ``SeedSequence(s, spawn_key=(i,))``, the ``i``-th child of
``SeedSequence(s).spawn(n)``: its inputs depend on ``s`` and ``i`` only, never on which worker
draws them, in which batch or in which order (``docs/randomness.md``).

References
----------
.. [1] Devroye, L. (1986). *Non-Uniform Random Variate Generation*, ch. 2 (the inversion
   method). Springer. doi:10.1007/978-1-4613-8643-8
.. [2] O'Neill, M. E. (2014). PCG: a family of simple fast space-efficient statistically good
   algorithms for random number generation. Harvey Mudd College, HMC-CS-2014-0905.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from peaceops._frames import FrameMixin
from peaceops._types import Seed, make_rng
from peaceops.errors import OptionError
from peaceops.scenario.model import (
    Actor,
    Approval,
    Event,
    Pledge,
    Quantity,
    Scenario,
    Stance,
    Threat,
)

__all__ = [
    "InputKind",
    "SamplingDesign",
    "UncertainInput",
    "draw_inputs",
    "realise_scenario",
    "resolve_seed",
    "sampling_design",
]

FloatArray = npt.NDArray[np.float64]
InputKind = Literal[
    "position", "salience", "clout", "quantity", "approval", "event", "threat", "parameter"
]
Distribution = Literal["uniform", "integer", "bernoulli"]


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input and its distribution.

    Attributes
    ----------
    name
        Unique name: ``position:ACTOR:ISSUE``, ``salience:ACTOR:ISSUE``, ``clout:ACTOR``,
        ``quantity:PLEDGE``, ``approval:ACTOR:BODY`` (one per approving body, as the planner
        keys approvals), ``event:EVENT``; any name for a ``parameter`` of a design built by
        hand.
    kind
        What the input is; ``parameter`` for designs that are not read from a scenario.
    distribution
        ``uniform`` on ``[low, high]``, ``integer`` uniform on ``low..high``, or
        ``bernoulli`` with probability ``probability`` (value 1.0 or 0.0).
    low, high
        Bounds (0 and 1 for a Bernoulli input).
    probability
        Success probability of a Bernoulli input, else ``None``.
    nominal
        The scenario's point value (the planner's value: the stance, the clout, the low end of
        a quantity, the probability of an approval or event).
    path
        Where the uncertainty is stated in the scenario, e.g. ``stances[TUR][mandate]``.
    actor
        The actor the input belongs to (``None`` for events and parameters).
    label
        A short human description (the parliament for an approval, the event's name).
    """

    name: str
    kind: InputKind
    distribution: Distribution
    low: float
    high: float
    probability: float | None = None
    nominal: float = 0.0
    path: str = ""
    actor: str | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if self.distribution == "bernoulli":
            p = self.probability
            if p is None or not 0.0 <= p <= 1.0:
                raise OptionError(
                    f"inputs[{self.name}]",
                    f"{self.name}: a Bernoulli input needs a probability in 0..1",
                )
        elif not (np.isfinite(self.low) and np.isfinite(self.high) and self.low <= self.high):
            raise OptionError(
                f"inputs[{self.name}]", f"{self.name}: bounds must be finite with low <= high"
            )
        if self.distribution == "integer" and (
            self.low != int(self.low) or self.high != int(self.high)
        ):
            raise OptionError(
                f"inputs[{self.name}]", f"{self.name}: an integer input needs whole-number bounds"
            )

    def to_row(self) -> dict[str, Any]:
        """Flat row for tables and exports."""
        return {
            "input": self.name,
            "kind": self.kind,
            "distribution": self.distribution,
            "low": self.low,
            "high": self.high,
            "probability": self.probability,
            "nominal": self.nominal,
            "actor": self.actor,
            "path": self.path,
            "label": self.label,
        }


@dataclass(frozen=True)
class SamplingDesign(FrameMixin):
    """A list of independent uncertain inputs; draws are ``(b, k)`` arrays in this order.

    Attributes
    ----------
    inputs
        The inputs, in a fixed order (the column order of every draw).
    """

    inputs: tuple[UncertainInput, ...]
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {x.name: i for i, x in enumerate(self.inputs)}
        if len(index) != len(self.inputs):
            raise OptionError("inputs", "input names must be unique")
        object.__setattr__(self, "_index", index)

    @property
    def names(self) -> tuple[str, ...]:
        """Input names in column order."""
        return tuple(x.name for x in self.inputs)

    @property
    def k(self) -> int:
        """Number of inputs."""
        return len(self.inputs)

    def index(self, name: str) -> int:
        """Column of input ``name`` (``KeyError`` if absent)."""
        return self._index[name]

    def transform(self, u: npt.ArrayLike) -> FloatArray:
        """Map uniforms ``u`` in ``[0, 1)`` (shape ``(b, k)``) to input values.

        Uniform inputs map linearly, integer inputs by ``low + floor((high - low + 1) u)``
        and Bernoulli inputs to ``1.0`` where ``u < p``, else ``0.0`` (the inverse
        distribution functions). Returns a new ``(b, k)`` float array.
        """
        arr = np.asarray(u, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[1] != self.k:
            raise OptionError("u", f"u must have shape (b, {self.k}); got {arr.shape!r}")
        lo, hi, p, kind = self._columns()
        out = np.empty_like(arr)
        uni = kind == 0
        out[:, uni] = lo[uni] + (hi[uni] - lo[uni]) * arr[:, uni]
        integer = kind == 1
        width = hi[integer] - lo[integer] + 1.0
        out[:, integer] = np.minimum(lo[integer] + np.floor(width * arr[:, integer]), hi[integer])
        bern = kind == 2
        out[:, bern] = (arr[:, bern] < p[bern]).astype(np.float64)
        return out

    def nominal(self) -> FloatArray:
        """The scenario's point values, shape ``(k,)``."""
        return np.array([x.nominal for x in self.inputs], dtype=np.float64)

    def salib_problem(self, groups: Sequence[str] | None = None) -> dict[str, Any]:
        """The SALib problem on the unit cube (inputs enter through :meth:`transform`)."""
        problem: dict[str, Any] = {
            "num_vars": self.k,
            "names": list(self.names),
            "bounds": [[0.0, 1.0]] * self.k,
        }
        if groups is not None:
            if len(groups) != self.k:
                raise OptionError(
                    "groups", f"groups must name a group for each of the {self.k} inputs"
                )
            problem["groups"] = list(groups)
        return problem

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per input."""
        return [x.to_row() for x in self.inputs]

    def _columns(self) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.int8]]:
        codes = {"uniform": 0, "integer": 1, "bernoulli": 2}
        lo = np.array([x.low for x in self.inputs], dtype=np.float64)
        hi = np.array([x.high for x in self.inputs], dtype=np.float64)
        p = np.array([x.probability or 0.0 for x in self.inputs], dtype=np.float64)
        kind = np.array([codes[x.distribution] for x in self.inputs], dtype=np.int8)
        return lo, hi, p, kind


def sampling_design(scenario: Scenario) -> SamplingDesign:
    """The uncertain inputs a scenario states, in a fixed order.

    Order: clout ranges (actors in scenario order), stance ranges (by actor, then issue, in
    scenario order; position before salience), pledge quantity ranges, pledge approvals (by
    first appearance), events, threat probability ranges. The order depends only on the
    scenario's lists, never on the order of keys in its mappings, so a scenario read back from
    canonical JSON (the store) gives the same design. A range whose ends coincide, or a
    probability of exactly 0 or 1, is certain and left out.

    Parameters
    ----------
    scenario
        A validated scenario.

    Returns
    -------
    SamplingDesign
        The inputs; ``k = 0`` when the scenario states no uncertainty.

    Examples
    --------
    >>> from peaceops import load_scenario
    >>> design = sampling_design(load_scenario("ukraine-2025-04"))
    >>> design.inputs[0].name, design.inputs[0].distribution
    ('clout:UKR', 'uniform')
    """
    inputs: list[UncertainInput] = []
    for actor in scenario.actors:
        inputs += _clout(actor)
    for actor in scenario.actors:  # scenario order, not the mapping's (JSON sorts keys)
        by_issue = scenario.stances.get(actor.id, {})
        for issue in scenario.issues:
            stance = by_issue.get(issue.id)
            if stance is not None:
                inputs += _stance(actor.id, issue.id, stance)
    for pledge in scenario.pledges:
        inputs += _quantity(pledge)
    inputs += _approvals(scenario)
    for event in scenario.events:
        inputs += _event(event)
    for threat in scenario.threats:  # last, so that a design without threats is unchanged
        inputs += _threat(threat)
    return SamplingDesign(tuple(inputs))


def resolve_seed(seed: Seed) -> int:
    """The non-negative integer root seed of a sweep (what a stored run records).

    ``None`` draws fresh entropy from the operating system (``SeedSequence().entropy``); an
    ``int`` is used as is; a ``SeedSequence`` gives its entropy (its spawn key must be empty);
    a ``Generator`` gives a 128-bit integer drawn from it, so a sweep inside a larger seeded
    computation is reproducible too.

    Raises
    ------
    OptionError (a ScenarioError, so also a ValueError)
        For a negative integer or a spawned ``SeedSequence``.

    Examples
    --------
    >>> import numpy as np
    >>> resolve_seed(7), resolve_seed(np.random.default_rng(0)) < 2**128
    (7, True)
    """
    if isinstance(seed, np.random.Generator):
        hi, lo = (int(v) for v in seed.integers(0, 2**64, size=2, dtype=np.uint64))
        return (hi << 64) | lo
    if isinstance(seed, np.random.SeedSequence):
        if seed.spawn_key:
            raise OptionError("seed", "pass the root SeedSequence of a sweep, not a spawned child")
        entropy = seed.entropy
        if not isinstance(entropy, int):
            raise OptionError("seed", "the SeedSequence's entropy must be a single integer")
        return entropy
    if seed is None:
        entropy = np.random.SeedSequence().entropy
        assert isinstance(entropy, int)
        return entropy
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise OptionError(
            "seed", f"seed must be a non-negative integer, a Generator or None; got {seed!r}"
        )
    return int(seed)


def draw_inputs(design: SamplingDesign, seed: int, start: int, stop: int) -> FloatArray:
    """Input values of replicates ``start .. stop - 1`` of a sweep with root seed ``seed``.

    Replicate ``i`` takes ``k`` uniforms from ``make_rng(SeedSequence(seed, spawn_key=(i,)))``
    (the ``i``-th child of ``SeedSequence(seed).spawn(n)``) and maps them through
    :meth:`SamplingDesign.transform`. Row ``j`` of the result is replicate ``start + j``.

    Returns
    -------
    numpy.ndarray
        ``(stop - start, k)`` input values.

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("ukraine-2025-04")
    >>> design = sampling_design(s)
    >>> u = draw_inputs(design, 1, 10, 13)  # replicates 10, 11, 12 of root seed 1
    >>> u.shape == (3, design.k), bool((draw_inputs(design, 1, 11, 12) == u[1]).all())
    (True, True)
    """
    if not 0 <= start <= stop:
        raise OptionError("start, stop", f"need 0 <= start <= stop; got {start!r}, {stop!r}")
    u = np.empty((stop - start, design.k), dtype=np.float64)
    for j, i in enumerate(range(start, stop)):
        u[j] = replicate_rng(seed, i).random(design.k)
    return design.transform(u)


def replicate_rng(seed: int, replicate: int) -> np.random.Generator:
    """The random stream of replicate ``replicate``: child ``(replicate,)`` of ``seed``."""
    return make_rng(np.random.SeedSequence(seed, spawn_key=(replicate,)))


def realise_scenario(scenario: Scenario, design: SamplingDesign, values: npt.ArrayLike) -> Scenario:
    """The scenario one replicate stands for: every uncertain value replaced by its draw.

    Ranges collapse to the drawn value (a stance's ``uncertainty`` and a clout's ``range`` are
    dropped, a quantity becomes ``{low: q, high: q}``); an approval or event drawn true gets
    probability 1, drawn false probability 0. The engines' own functions on this scenario give
    what the vectorised sweep kernels compute for the replicate, which is how the tests check
    those kernels. The result is a drawn world, not an input file: a refused approval has
    probability 0, which the scenario checks reject in a file.

    Parameters
    ----------
    scenario
        The scenario ``design`` was built from.
    design
        Its sampling design.
    values
        ``(k,)`` input values of one replicate (a row of :func:`draw_inputs`).

    Examples
    --------
    >>> from peaceops.scenario import load_scenario
    >>> s = load_scenario("ukraine-2025-04")
    >>> design = sampling_design(s)
    >>> realise_scenario(s, design, draw_inputs(design, 1, 0, 1)[0]).id
    'ukraine-2025-04'
    """
    row = np.asarray(values, dtype=np.float64)
    if row.shape != (design.k,):
        raise OptionError("values", f"values must have shape ({design.k},); got {row.shape!r}")
    drawn = dict(zip(design.names, (float(v) for v in row), strict=True))
    actors = tuple(_realise_actor(a, drawn) for a in scenario.actors)
    stances = {
        a: {i: _realise_stance(a, i, st, drawn) for i, st in by_issue.items()}
        for a, by_issue in scenario.stances.items()
    }
    by_name = {x.name: x for x in design.inputs}
    pledges = tuple(_realise_pledge(p, drawn, by_name) for p in scenario.pledges)
    events = tuple(
        e.model_copy(update={"probability": drawn[f"event:{e.id}"]})
        if f"event:{e.id}" in drawn
        else e
        for e in scenario.events
    )
    threats = tuple(
        t.model_copy(update={"probability": drawn[f"threat:{t.id}"], "range": None})
        if f"threat:{t.id}" in drawn
        else t
        for t in scenario.threats
    )
    return scenario.model_copy(
        update={
            "actors": actors,
            "stances": stances,
            "pledges": pledges,
            "events": events,
            "threats": threats,
        }
    )


# ----------------------------------------------------------------------------- helpers


def _clout(actor: Actor) -> list[UncertainInput]:
    rng = actor.clout.range
    if rng is None or rng[0] == rng[1]:
        return []
    return [
        UncertainInput(
            name=f"clout:{actor.id}",
            kind="clout",
            distribution="uniform",
            low=rng[0],
            high=rng[1],
            nominal=actor.clout.value,
            path=f"actors[{actor.id}].clout.range",
            actor=actor.id,
            label=actor.name,
        )
    ]


def _stance(actor_id: str, issue_id: str, stance: Stance) -> list[UncertainInput]:
    unc = stance.uncertainty
    out: list[UncertainInput] = []
    if unc is None:
        return out
    base = f"stances[{actor_id}][{issue_id}].uncertainty"
    for kind, rng, nominal in (
        ("position", unc.position, stance.position),
        ("salience", unc.salience, stance.salience),
    ):
        if rng is not None and rng[0] < rng[1]:
            out.append(
                UncertainInput(
                    name=f"{kind}:{actor_id}:{issue_id}",
                    kind="position" if kind == "position" else "salience",
                    distribution="uniform",
                    low=rng[0],
                    high=rng[1],
                    nominal=nominal,
                    path=f"{base}.{kind}",
                    actor=actor_id,
                    label=f"{actor_id} {kind} on {issue_id}",
                )
            )
    return out


def _quantity(pledge: Pledge) -> list[UncertainInput]:
    q = pledge.quantity
    if q.low == q.high:
        return []
    return [
        UncertainInput(
            name=f"quantity:{pledge.id}",
            kind="quantity",
            distribution="integer",
            low=float(q.low),
            high=float(q.high),
            nominal=float(q.low),
            path=f"pledges[{pledge.id}].quantity",
            actor=pledge.actor,
            label=f"{pledge.actor} {pledge.capability} units",
        )
    ]


def approval_bodies(scenario: Scenario) -> dict[tuple[str, str], tuple[float, ...]]:
    """``(actor, body) -> probabilities`` of the approval conditions naming that body, in order."""
    out: dict[tuple[str, str], list[float]] = {}
    for pledge in scenario.pledges:
        for cond in pledge.conditions:
            if isinstance(cond, Approval):
                out.setdefault((pledge.actor, cond.body), []).append(cond.probability)
    return {k: tuple(v) for k, v in out.items()}


def approval_name(actor: str, body: str) -> str:
    """Input name of the approval by ``actor``'s ``body``."""
    return f"approval:{actor}:{body}"


def approval_holds(inp: UncertainInput, value: float, probability: float) -> bool:
    """Whether an approval condition of ``probability`` holds when ``inp`` drew ``value``."""
    if inp.distribution == "bernoulli":
        return value >= 0.5
    return value < probability


def _approvals(scenario: Scenario) -> list[UncertainInput]:
    """One input per approving body (``(actor, body)``, as the planner keys approvals).

    A body named by conditions of a single probability ``p`` is Bernoulli(``p``). When its
    conditions state different probabilities (Turkey's parliament: 0.8 for ships, 0.6 for
    troops) the input is the body's latent uniform willingness ``u`` and a condition of
    probability ``p`` holds when ``u < p``: each condition keeps its own probability, and a
    body that approves the less likely contribution approves the likelier one too.
    """
    out: list[UncertainInput] = []
    for (actor, body), probs in approval_bodies(scenario).items():
        uncertain = [p for p in probs if 0.0 < p < 1.0]
        if not uncertain:
            continue
        path = f"pledges[actor={actor}].conditions[approval {body!r}]"
        if len(set(probs)) == 1:
            out.append(
                UncertainInput(
                    name=approval_name(actor, body),
                    kind="approval",
                    distribution="bernoulli",
                    low=0.0,
                    high=1.0,
                    probability=probs[0],
                    nominal=probs[0],
                    path=path,
                    actor=actor,
                    label=body,
                )
            )
        else:
            out.append(
                UncertainInput(
                    name=approval_name(actor, body),
                    kind="approval",
                    distribution="uniform",
                    low=0.0,
                    high=1.0,
                    nominal=0.5,
                    path=path,
                    actor=actor,
                    label=f"{body} (willingness; holds below "
                    + ", ".join(f"{p:g}" for p in probs)
                    + ")",
                )
            )
    return out


def _event(event: Event) -> list[UncertainInput]:
    if event.probability in (0.0, 1.0):
        return []
    return [
        UncertainInput(
            name=f"event:{event.id}",
            kind="event",
            distribution="bernoulli",
            low=0.0,
            high=1.0,
            probability=event.probability,
            nominal=event.probability,
            path=f"events[{event.id}].probability",
            label=event.name,
        )
    ]


def _threat(threat: Threat) -> list[UncertainInput]:
    if threat.range is None or threat.range[0] == threat.range[1]:
        return []
    return [
        UncertainInput(
            name=f"threat:{threat.id}",
            kind="threat",
            distribution="uniform",
            low=threat.range[0],
            high=threat.range[1],
            nominal=threat.probability,
            path=f"threats[{threat.id}].range",
            label=threat.description,
        )
    ]


def _realise_actor(actor: Actor, drawn: Mapping[str, float]) -> Actor:
    value = drawn.get(f"clout:{actor.id}")
    if value is None:
        return actor
    clout = actor.clout.model_copy(update={"value": value, "range": None})
    return actor.model_copy(update={"clout": clout})


def _realise_stance(
    actor_id: str, issue_id: str, stance: Stance, drawn: Mapping[str, float]
) -> Stance:
    update: dict[str, Any] = {}
    for kind in ("position", "salience"):
        value = drawn.get(f"{kind}:{actor_id}:{issue_id}")
        if value is not None:
            update[kind] = value
    if not update:
        return stance
    update["uncertainty"] = None
    return stance.model_copy(update=update)


def _realise_pledge(
    pledge: Pledge, drawn: Mapping[str, float], inputs: Mapping[str, UncertainInput]
) -> Pledge:
    update: dict[str, Any] = {}
    q = drawn.get(f"quantity:{pledge.id}")
    if q is not None:
        update["quantity"] = Quantity(low=int(q), high=int(q))
    conditions = list(pledge.conditions)
    for k, cond in enumerate(conditions):
        if isinstance(cond, Approval):
            name = approval_name(pledge.actor, cond.body)
            if name in drawn:
                held = approval_holds(inputs[name], drawn[name], cond.probability)
                conditions[k] = cond.model_copy(update={"probability": 1.0 if held else 0.0})
                update["conditions"] = tuple(conditions)
    return pledge.model_copy(update=update) if update else pledge
