"""Module attributes that load on first use (PEP 562), so importing a package stays quick."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["callable_module", "lazy_attributes"]


def lazy_attributes(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that imports ``name`` from ``homes[name]``.

    The value is cached in the package's namespace, so each name is resolved once.
    """
    namespace = importlib.import_module(package).__dict__

    def load(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(homes[name]), name)
        namespace[name] = value
        return value

    return load


def callable_module(module_name: str, target: str) -> None:
    """Make module ``module_name`` callable as the function ``target`` ("module:function").

    ``peaceops.forecast`` and ``peaceops.sweep`` are both a subpackage and, for the top-level
    API, a function (``peaceops.forecast(s)``): calling the module calls ``target``, and every
    attribute of the subpackage stays where it was.
    """
    import sys
    import types

    home, function = target.split(":")

    class _CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(home), function)(*args, **kwargs)

    _CallableModule.__call__.__doc__ = f"Call :func:`{home}.{function}`."
    sys.modules[module_name].__class__ = _CallableModule
