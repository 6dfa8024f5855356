"""Evidence: from a news article or an official statement to a reviewable scenario change.

============================  ==========================================================
:func:`read_document_file`    an article (text, Markdown, HTML) as located sentences
:func:`build_gazetteer`       who can speak, as of the scenario's date
:func:`extract_candidates`    candidate statements: actor, kind, issue, direction, modality
                              (the rules, then the learned layer of
                              :mod:`peaceops.evidence.learned` where weights ship)
:func:`build_patch`           the reviewable YAML patch (:func:`apply_patch_text` applies it)
:func:`diff_scenarios`        what changed between two versions, and how the outlook moved
============================  ==========================================================

``docs/evidence.md`` describes the rules, the annotation guide and the measured accuracy.
"""

from __future__ import annotations

from peaceops.evidence.classify import MIN_CONFIDENCE, Candidate, extract_candidates
from peaceops.evidence.diff import COMPARISONS, DiffBlock, ScenarioDiff, diff_scenarios
from peaceops.evidence.gazetteer import Gazetteer, Mention, build_gazetteer
from peaceops.evidence.patch import apply_patch_text, build_patch, dump_yaml, source_entry
from peaceops.evidence.reader import Document, Sentence, parse_text, read_document_file

__all__ = [
    "COMPARISONS",
    "MIN_CONFIDENCE",
    "Candidate",
    "DiffBlock",
    "Document",
    "Gazetteer",
    "Mention",
    "ScenarioDiff",
    "Sentence",
    "apply_patch_text",
    "build_gazetteer",
    "build_patch",
    "diff_scenarios",
    "dump_yaml",
    "extract_candidates",
    "parse_text",
    "read_document_file",
    "source_entry",
]
