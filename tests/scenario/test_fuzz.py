"""Grammar-aware fuzzing of the loader (a short run; ``make fuzz`` runs 100,000+ inputs)."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzzing import check_input, field_mutation, text_mutation

_FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FAST
@given(st.integers(0, 2**32 - 1))
def test_template_with_mutated_fields_never_crashes(seed: int) -> None:
    text = field_mutation(random.Random(seed))
    check_input(text, json_first=text.startswith("{"))


@_FAST
@given(st.integers(0, 2**32 - 1))
def test_template_with_mutated_text_never_crashes(seed: int) -> None:
    check_input(text_mutation(random.Random(seed)))


@_FAST
@given(st.binary(max_size=600))
def test_raw_bytes_never_crash(data: bytes) -> None:
    text = data.decode("latin-1")
    check_input(text)
    check_input(text, json_first=True)


@_FAST
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
        max_leaves=30,
    )
)
def test_any_json_value_never_crashes(value: object) -> None:
    import json

    check_input(json.dumps(value), json_first=True)
