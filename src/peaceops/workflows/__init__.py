"""Workflows: analyses that chain engines, and durable jobs that keep their work and resume.

The edges (``cli``, ``web``, ``report``) call these and only present the result; the
workflows call the engines and report progress through callbacks, never printing or touching
a file themselves.

- :func:`analyse` (:mod:`.analysis`): every engine on one scenario, one seed tree.
- :func:`run_durable_sweep` (:mod:`.sweep`): a Monte Carlo sweep kept batch by batch in a
  :class:`SweepJournal` (the run store implements one), resumable after any stop.
"""

from __future__ import annotations

from peaceops.workflows.analysis import Analysis, analyse
from peaceops.workflows.sweep import (
    SweepInterruptedError,
    SweepJournal,
    plan_from_record,
    replicate_frames,
    run_durable_sweep,
    stored_result,
    stored_tally,
    sweep_outputs,
)

__all__ = [
    "Analysis",
    "SweepInterruptedError",
    "SweepJournal",
    "analyse",
    "plan_from_record",
    "replicate_frames",
    "run_durable_sweep",
    "stored_result",
    "stored_tally",
    "sweep_outputs",
]
