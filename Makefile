# peaceops: the two-command quick start is `make run` and `make test`.
# Both bootstrap uv when it is missing and sync the locked environment into .venv.
SHELL := /bin/bash
PYTHON ?= python3
UV_BOOT := .tools/uv
UV := $(shell command -v uv 2>/dev/null || echo $(UV_BOOT)/bin/uv)
RUN := $(UV) run --frozen --no-sync
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: run test lint typecheck pytest bench fuzz load evidence-cv serve sync sync-dev system-deps docs clean

$(UV_BOOT)/bin/uv:
	@echo "uv not found: installing it into $(UV_BOOT)"
	$(PYTHON) -m venv $(UV_BOOT)
	$(UV_BOOT)/bin/pip install --quiet --disable-pip-version-check uv

sync: $(if $(shell command -v uv 2>/dev/null),,$(UV_BOOT)/bin/uv)
	$(UV) sync --frozen --no-dev

sync-dev: $(if $(shell command -v uv 2>/dev/null),,$(UV_BOOT)/bin/uv)
	$(UV) sync --frozen --extra semantic

run: sync
	$(RUN) peaceops warm
	$(RUN) peaceops run

system-deps:
	@bash scripts/system-deps.sh

lint: sync-dev
	$(RUN) ruff check src tests benchmarks scripts
	$(RUN) ruff format --check src tests benchmarks scripts
	$(RUN) lint-imports

typecheck: sync-dev
	$(RUN) mypy --strict src

pytest: sync-dev system-deps
	$(RUN) pytest

test: lint typecheck pytest

bench: sync-dev
	$(RUN) python benchmarks/run_all.py

# The workbench in the browser on http://127.0.0.1:8000/ (docs/web.md).
serve: sync
	$(RUN) peaceops serve

# Bounded load test of the workbench on loopback: 50 clients for 60 s (not part of make test).
load: sync-dev
	$(RUN) python scripts/load_web.py --clients 50 --seconds 60

# The long loader fuzz (100,000 inputs, 1 GiB and 10 s per input): figures in docs/reliability.md.
fuzz: sync-dev
	$(RUN) python scripts/fuzz.py --inputs 100000 --workers 2

# The evidence layer's nested cross-validation against docs/evidence.md (about ten minutes;
# not part of make test).
evidence-cv: sync-dev
	$(RUN) pytest -m long tests/evidence

clean:
	rm -rf .venv .tools .mypy_cache .ruff_cache .pytest_cache peaceops.db reports test-artifacts
