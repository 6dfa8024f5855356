"""The built-in scenarios the evidence tests read, loaded once per session."""

from __future__ import annotations

import pytest

from peaceops.scenario import load_scenario
from peaceops.scenario.model import Scenario


@pytest.fixture(scope="session")
def ukraine() -> Scenario:
    return load_scenario("ukraine-2025-04")


@pytest.fixture(scope="session")
def unifil() -> Scenario:
    return load_scenario("unifil-2006-08")


@pytest.fixture(scope="session")
def aspides() -> Scenario:
    return load_scenario("aspides-2024-02")
