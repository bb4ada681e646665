"""A misspelt value type is a recipe error at its own line, before any item runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.kernel.errors import RecipeError
from bots.recipe import load_recipe

RECIPE = """\
recipe: typo
source: {folder: inbox}
steps:
  - id: doc
    uses: pdf.extract_fields
    with:
      path: ${item.path}
      identifiers:
        vat_id: {pattern: '([A-Z]{2})\\\\s*(\\\\d{9})', format: '{1}{2}'}
      layouts:
        - name: eu
          when: Invoice
          fields:
            vat: {label: "VAT", type: vat_ide}
            policy: {label: "Policy", type: policy_number}
"""


def test_a_misspelt_type_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(RECIPE)
    with pytest.raises(RecipeError) as raised:
        load_recipe(str(path))
    [problem] = raised.value.problems
    assert problem.line == 14
    assert "type 'vat_ide'" in problem.message and "did you mean 'vat_id'?" in problem.message
