"""The installed package's version, for modules inside the package (which never import the root).

>>> from peaceops._version import __version__
>>> isinstance(__version__, str)
True
"""

from __future__ import annotations

import importlib.metadata as _metadata

__all__ = ["__version__"]

try:
    __version__ = _metadata.version("peaceops")
except _metadata.PackageNotFoundError:  # pragma: no cover - only from a bare source tree
    __version__ = "0+unknown"
