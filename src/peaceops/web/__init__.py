"""The analyst's workbench in the browser: ``peaceops serve``.

A FastAPI application with server-rendered pages (Jinja2, htmx) and a JSON API over the same
library calls and the same run store as the command line; see ``docs/web.md``.
:func:`~peaceops.web.app.create_app` builds it, :func:`~peaceops.web.app.check_bind` refuses an
unsafe address.
"""

from __future__ import annotations

from peaceops.web.app import Settings, check_bind, create_app

__all__ = ["Settings", "check_bind", "create_app"]
