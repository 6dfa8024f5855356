"""Reading YAML/JSON documents with the line of every value: the public face of the loader.

Other packages that read a document of their own (what-if patches, say) use these, so the
loader's internals (``_yaml``) stay private to :mod:`peaceops.scenario`.

>>> doc = read_document("a: 1\\nb: [2, 3]\\n", file="<string>")
>>> doc.data["b"], doc.problems
([2, 3], [])
"""

from __future__ import annotations

from peaceops.scenario._yaml import Located, format_path, read_document

__all__ = ["Located", "format_path", "read_document"]
