"""Model files in and tables out: the formats analysts already use (``docs/interop.md``).

Readers return a :class:`ModelFile`, whose ``data`` is the forecast models' own input:

=====================  ===================================  ================================
format                 reader / writer                      module
=====================  ===================================  ================================
KTAB SMP, CSV          :func:`read_ktab_csv`,               :mod:`peaceops.io.ktab`
                       :func:`write_ktab_csv`
KTAB SMP, XML          :func:`read_ktab_xml`,               :mod:`peaceops.io.ktab`
                       :func:`write_ktab_xml`
KTAB ``smpc`` log      :func:`read_ktab_log`,               :mod:`peaceops.io.ktab_log`
                       :func:`write_ktab_log`
expected-utility       :func:`read_eu_table`,               :mod:`peaceops.io.eu_table`
table                  :func:`write_eu_table`
DEU dataset            :func:`read_deu`, :func:`write_deu`  :mod:`peaceops.io.deu`
=====================  ===================================  ================================

:func:`read_model_file` picks the reader; :func:`forecast_model_file` runs the forecast
models on a file; :func:`compare_with_log` checks KTAB mode against a KTAB log;
and :func:`read_patch` reads a what-if patch;
:func:`scenario_skeleton` writes a scenario from a file; :func:`export_scenario` and
:func:`export_run` write every table to Excel or Parquet. This package reads and writes
files: the engines never import it. The readers (and the forecast engines they fill) load on
first use; every file is read through :mod:`peaceops.io.limits`, refused unread over its limit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peaceops._lazy import lazy_attributes as _lazy_attributes
from peaceops.io.limits import MAX_LOG_BYTES, MAX_MODEL_BYTES, read_text_limited

if TYPE_CHECKING:
    from peaceops.io._common import ModelFile
    from peaceops.io.deu import deu_model_file, read_deu, write_deu
    from peaceops.io.eu_table import read_eu_table, write_eu_table
    from peaceops.io.export import export_frames, export_run, export_scenario, scenario_tables
    from peaceops.io.files import FORMATS, forecast_model_file, read_model_file
    from peaceops.io.ktab import read_ktab_csv, read_ktab_xml, write_ktab_csv, write_ktab_xml
    from peaceops.io.ktab_log import (
        KtabLog,
        LogComparison,
        compare_with_log,
        read_ktab_log,
        write_ktab_log,
    )
    from peaceops.io.patch import read_builtin_patches, read_patch
    from peaceops.io.skeleton import scenario_skeleton

__all__ = [
    "FORMATS",
    "MAX_LOG_BYTES",
    "MAX_MODEL_BYTES",
    "KtabLog",
    "LogComparison",
    "ModelFile",
    "compare_with_log",
    "deu_model_file",
    "export_frames",
    "export_run",
    "export_scenario",
    "forecast_model_file",
    "read_builtin_patches",
    "read_deu",
    "read_eu_table",
    "read_ktab_csv",
    "read_ktab_log",
    "read_ktab_xml",
    "read_model_file",
    "read_patch",
    "read_text_limited",
    "scenario_skeleton",
    "scenario_tables",
    "write_deu",
    "write_eu_table",
    "write_ktab_csv",
    "write_ktab_log",
    "write_ktab_xml",
]

# The readers import the forecast engines (numpy, numba): they load on first use, so the
# command line can check a file's size (peaceops.io.limits) before paying for them.
_LAZY = {
    "ModelFile": "peaceops.io._common",
    "deu_model_file": "peaceops.io.deu",
    "read_deu": "peaceops.io.deu",
    "write_deu": "peaceops.io.deu",
    "read_eu_table": "peaceops.io.eu_table",
    "write_eu_table": "peaceops.io.eu_table",
    "export_frames": "peaceops.io.export",
    "export_run": "peaceops.io.export",
    "export_scenario": "peaceops.io.export",
    "scenario_tables": "peaceops.io.export",
    "FORMATS": "peaceops.io.files",
    "forecast_model_file": "peaceops.io.files",
    "read_model_file": "peaceops.io.files",
    "read_ktab_csv": "peaceops.io.ktab",
    "read_ktab_xml": "peaceops.io.ktab",
    "write_ktab_csv": "peaceops.io.ktab",
    "write_ktab_xml": "peaceops.io.ktab",
    "KtabLog": "peaceops.io.ktab_log",
    "LogComparison": "peaceops.io.ktab_log",
    "compare_with_log": "peaceops.io.ktab_log",
    "read_ktab_log": "peaceops.io.ktab_log",
    "write_ktab_log": "peaceops.io.ktab_log",
    "read_builtin_patches": "peaceops.io.patch",
    "read_patch": "peaceops.io.patch",
    "scenario_skeleton": "peaceops.io.skeleton",
}

__getattr__ = _lazy_attributes(__name__, _LAZY)
