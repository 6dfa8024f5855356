"""Planning a peace operation: designs, acceptability, force generation and burden sharing.

==========================  ==============================================================
:func:`evaluate_design`     issue values, each actor's acceptance, each venue's verdict
:func:`pledge_status`       which pledges a design's conditions switch on, and why not
:func:`solve_force_generation`  lexicographic CP-SAT plan with explained shortfalls
:func:`option_matrix`       every mission x route x levels option, planned
:func:`pareto_frontier`     coverage against a party's utility (epsilon-constraint)
:func:`apply_patch`         a what-if patch applied (:func:`parse_patch`, :func:`compare_patch`)
:func:`coverage_shapley`    each contributor's Shapley value in the coverage game
==========================  ==============================================================

``docs/planning.md`` describes the models, the CP-SAT formulation and the patch format.
"""

from __future__ import annotations

from peaceops.planning.acceptance import Acceptance, DesignEvaluation, evaluate_design
from peaceops.planning.conditions import ConditionState, PledgeStatus, pledge_status
from peaceops.planning.design import Deployment, Design, design_issue_values
from peaceops.planning.force import solve_force_generation
from peaceops.planning.frontier import FrontierPoint, ParetoFrontier, pareto_frontier
from peaceops.planning.options import OptionCell, OptionMatrix, option_matrix
from peaceops.planning.plan import (
    Allocation,
    DomainCoverage,
    ForcePlan,
    ObjectiveValue,
    PledgeNote,
    RequirementCoverage,
)
from peaceops.planning.shapley import CoverageShapley, ShapleyValue, coverage_shapley
from peaceops.planning.whatif import (
    Patch,
    WhatIf,
    apply_patch,
    compare_patch,
    parse_patch,
    patched_options,
)

__all__ = [
    "Acceptance",
    "Allocation",
    "ConditionState",
    "CoverageShapley",
    "Deployment",
    "Design",
    "DesignEvaluation",
    "DomainCoverage",
    "ForcePlan",
    "FrontierPoint",
    "ObjectiveValue",
    "OptionCell",
    "OptionMatrix",
    "ParetoFrontier",
    "Patch",
    "PledgeNote",
    "PledgeStatus",
    "RequirementCoverage",
    "ShapleyValue",
    "WhatIf",
    "apply_patch",
    "compare_patch",
    "coverage_shapley",
    "design_issue_values",
    "evaluate_design",
    "option_matrix",
    "pareto_frontier",
    "parse_patch",
    "patched_options",
    "pledge_status",
    "solve_force_generation",
]
