"""The text typed for a recipe's value: what a person would type, whatever the source held."""

from __future__ import annotations

import pytest

from bots.web.values import FormattedValue, as_text


@pytest.mark.parametrize(("value", "typed"), [
    (5551234567.0, "5551234567"),  # a phone a sheet stored as a number
    (12.5, "12.5"), (7, "7"), (True, "yes"), (None, ""), ("0042", "0042"),
])
def test_values_are_typed_as_a_person_would(value, typed):
    assert as_text("Phone", value) == typed


def test_a_field_with_only_a_selector_types_its_value_unformatted():
    field = FormattedValue.model_validate({"value": 5551234567.0, "selector": "#phone"})
    assert as_text("Phone", field) == "5551234567"
