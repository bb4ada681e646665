"""Choices (exact, contains, fuzzy with a score), checkboxes and cleaning."""

from __future__ import annotations

import pytest

from bots.values.checkbox import read_checkbox
from bots.values.choices import choose
from bots.values.cleaning import CleanRule

LOSS = {"Escape of water": "WTR", "Water damage": "WTR", "Fire": "FIR", "Theft": "THF",
        "Burglary": "THF", "Storm": "STM", "Storm surge": "SRG", "Glass breakage": "GLS"}


@pytest.mark.parametrize("match", ["exact", "contains", "fuzzy"])
def test_an_exact_wording_or_code_wins_in_every_mode(match: str) -> None:
    assert choose(LOSS, "  escape  OF water ", match) == ("WTR", ())  # type: ignore[arg-type]
    assert choose(LOSS, "thf", match) == ("THF", ())  # type: ignore[arg-type]


def test_accents_do_not_matter_to_a_wording() -> None:
    french = {"Dégât des eaux": "WTR", "Incendie": "FIR"}
    assert choose(french, "DEGAT DES EAUX") == ("WTR", ())
    assert choose(french, "suite à un dégat des eaux", "contains") == ("WTR", ())


def test_exact_refuses_other_wordings_and_says_how_to_widen() -> None:
    with pytest.raises(ValueError, match="match: contains"):
        choose(LOSS, "Damage by escape of water")


@pytest.mark.parametrize(("text", "code"), [
    ("Damage caused by escape of water from a pipe", "WTR"),
    ("Break-in and burglary at night", "THF"),
    ("Storm surge flooded the cellar", "SRG"),     # the longer wording wins over "Storm"
])
def test_contains_finds_one_wording_inside_the_text(text: str, code: str) -> None:
    assert choose(LOSS, text, "contains") == (code, ())


def test_contains_with_wordings_of_two_codes_names_both() -> None:
    with pytest.raises(ValueError, match=r"FIR \('Fire'\).*THF \('Theft'\)"):
        choose(LOSS, "Fire after a theft", "contains")
    with pytest.raises(ValueError, match="none of the known wordings"):
        choose(LOSS, "Hail", "contains")


@pytest.mark.parametrize(("text", "code"), [
    ("Water dmg", "WTR"), ("escape of watr", "WTR"), ("Burglry", "THF"), ("Glas breakage", "GLS"),
])
def test_fuzzy_takes_the_closest_wording_and_reports_its_score(text: str, code: str) -> None:
    value, doubts = choose(LOSS, text, "fuzzy")
    assert value == code
    assert len(doubts) == 1 and doubts[0].startswith(f"fuzzy choice {text!r} -> {code} at ")
    score = int(doubts[0].split(" at ")[1].split()[0])
    assert 85 <= score < 100


def test_fuzzy_below_min_score_is_refused_with_the_best_candidate() -> None:
    with pytest.raises(ValueError, match="best WTR at 86 below min_score 95"):
        choose(LOSS, "Water dmg", "fuzzy", 95)
    with pytest.raises(ValueError, match="below min_score 85"):
        choose(LOSS, "Earthquake", "fuzzy")


def test_a_fuzzy_tie_between_two_codes_names_both() -> None:
    with pytest.raises(ValueError, match="matches (HSE and HRS|HRS and HSE) equally"):
        choose({"House": "HSE", "Horse": "HRS"}, "Hose", "fuzzy", 80)


def test_a_close_runner_up_is_named_in_the_doubt() -> None:
    value, doubts = choose({"Colour": "CLR", "Colours": "CLS"}, "colours!", "fuzzy")
    assert value == "CLS" and doubts == ()  # equal after folding punctuation: no doubt
    value, doubts = choose({"Water leak": "AAA", "Water leaks": "BBB"}, "Water leakz", "fuzzy")
    assert value == "AAA" and doubts == ("fuzzy choice 'Water leakz' -> AAA at 95 (BBB at 91)",)


@pytest.mark.parametrize("text", ["X", "x", "✓", "✔", "☒", "☑", "Yes", "JA", "Oui", "On", "1",
                                  "true", " sí ", "Sim", "[X]", "(x)"])
def test_ticked_boxes_read_true(text: str) -> None:
    assert read_checkbox(text) == ("true", ())


@pytest.mark.parametrize("text", ["", " ", "☐", "No", "nein", "Non", "nee", "Off", "0", "false",
                                  "[ ]", "( )", "Não"])
def test_empty_boxes_read_false(text: str) -> None:
    assert read_checkbox(text) == ("false", ())


@pytest.mark.parametrize("text", ["Maybe", "XX", "2", "see note"])
def test_other_box_text_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="neither a ticked box"):
        read_checkbox(text)


@pytest.mark.parametrize(("clean", "text", "cleaned"), [
    ({"strip": ".:;"}, "Okonkwo.", "Okonkwo"),
    ({"strip": ".:;"}, ": 12345 ;", "12345"),
    ({"remove": ["^n[°º]\\s*", "^No\\.\\s*"]}, "n° 4711", "4711"),
    ({"remove": ["^n[°º]\\s*", "^No\\.\\s*"]}, "NO. 4711", "4711"),
    ({"remove": "\\s*TTC$", "strip": "."}, "1 250,00 € TTC.", "1 250,00 €"),
    ({}, "  a   b ", "a b"),
])
def test_clean_removes_patterns_then_strips_the_ends(clean: dict, text: str,
                                                    cleaned: str) -> None:
    assert CleanRule.model_validate(clean).apply(text) == cleaned


def test_a_bad_remove_pattern_is_refused_when_the_recipe_loads() -> None:
    with pytest.raises(ValueError, match="not a regular expression"):
        CleanRule.model_validate({"remove": ["(unclosed"]})
