"""Store fixtures: every store test runs on SQLite and on a real PostgreSQL server
(``store_url`` in ``tests/conftest.py``, shared with the web tests)."""
