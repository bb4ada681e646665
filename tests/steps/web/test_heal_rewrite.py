"""Accepting a proposal rewrites only the characters that name the control (pure file logic)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bots.web.heal.rewrite import RewriteError, rewrite_recipe

BUTTONS = """recipe: x
steps:
  - id: start
    uses: web.click_button
    with:
      click: [Start, {text: "Next >"}]   # two buttons
  - id: more
    uses: web.click_button
    with:
      click:
        - Next >
        - Start
"""


def accepted(tmp_path: Path, text: str, *proposals: dict[str, str]) -> str:
    path = tmp_path / "recipe.yaml"
    path.write_text(text)
    for proposal in proposals:
        rewrite_recipe(path, proposal)
    return path.read_text()


def test_buttons_in_lists_flow_and_block_are_renamed_or_given_a_selector(tmp_path: Path) -> None:
    text = accepted(
        tmp_path, BUTTONS,
        {"step": "start", "what": "button", "name": "Next >", "new_label": "Continue"},
        {"step": "start", "what": "button", "name": "Start", "new_label": "Begin"},
        {"step": "more", "what": "button", "name": "Next >", "new_label": "Continue"},
        {"step": "more", "what": "button", "name": "Start", "new_label": "", "selector": "#go"})
    assert text == BUTTONS.replace('[Start, {text: "Next >"}]', '[Begin, {text: "Continue"}]') \
        .replace("- Next >", "- Continue").replace("- Start", '- {selector: "#go"}')


def test_a_field_mapping_in_block_style_gets_a_selector_line(tmp_path: Path) -> None:
    recipe = ("steps:\n  - id: s\n    uses: web.fill_form\n    with:\n      fields:\n"
              "        Amount:\n          value: ${x.amount}   # the total\n"
              "          format: amount\n")
    text = accepted(tmp_path, recipe, {"step": "s", "what": "field", "name": "Amount",
                                       "new_label": "", "selector": "[name=amt]"})
    assert text == recipe + '          selector: "[name=amt]"\n'


def test_a_step_that_does_not_name_the_control_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RewriteError, match="does not name the button 'Go'"):
        accepted(tmp_path, BUTTONS, {"step": "start", "what": "button", "name": "Go",
                                     "new_label": "Run"})
    with pytest.raises(RewriteError, match="no step with id 'gone'"):
        accepted(tmp_path, BUTTONS, {"step": "gone", "what": "button", "name": "Go",
                                     "new_label": "Run"})
