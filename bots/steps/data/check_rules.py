"""data.check_rules: business rules written as data (a value and its bounds), not as code.

Each rule names one value and one or more checks. Values are compared by what they hold:
two ISO dates ("2026-03-14") as dates, two numbers ("1250.00", 5000) as decimals, anything
else as text, case-insensitively for ``equals`` and ``one_of``. The first rule that fails
stops the item with the rule's code and a message that states the actual values.

A person may approve an item past the rule that stopped it (the review page's `approve`):
its resubmit carries the approved codes (``ctx.overrides``), and a failing rule with such a
code counts as passed with an override, listed in the output's ``_overridden``; the other
rules are still checked. A rule's ``approve`` setting forbids that, or makes an approval of a
value above a bound wait for a second person.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bots.kernel import StepContext, StepParams, step
from bots.kernel.errors import BusinessError
from bots.kernel.outputs import VALUE, Outputs
from bots.values.typed import as_date, as_number, is_empty, shown

OPERATORS = ("not_empty", "equals", "one_of", "matches", "at_least", "at_most")

EXAMPLE = """\
- id: rules
  uses: data.check_rules
  with:
    rules:
      - {code: POLICY_LAPSED, name: Status, value: "${policy.status}", equals: ACTIVE}
      - {code: POLICY_LAPSED, name: Date of loss, value: "${claim.loss_date}",
         at_least: "${policy.inception}", at_most: "${policy.expiry}"}
      - {code: AMOUNT_OVER_LIMIT, name: Amount, value: "${claim.amount}",
         at_most: "${policy.limit}"}
"""


class Approve(BaseModel):
    """Whether and how a person may approve an item past this rule."""

    model_config = ConfigDict(extra="forbid")

    allowed: bool = Field(default=True, description="false: the rule can never be approved "
                          "past; the item is corrected, resolved by hand or rejected.")
    second_person_above: Any = Field(default=None, description="An approval of a value above "
                                     "this (a number, or a ${step.field} reference) waits for a "
                                     "second person to confirm it (four eyes).")


class Rule(BaseModel):
    """One business rule: a value, its checks, and the code to raise when one fails."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$", description="Exception code on failure.")
    message: str | None = Field(default=None, description="Message on failure; {value} and "
                                "{expected} are replaced. Default: built from the check.")
    name: str = Field(default="Value", description="What the value is, for messages ('Amount').")
    value: Any = Field(description="The value to check (usually a ${step.field} reference).")
    not_empty: bool = Field(default=False, description="true: the value must not be empty.")
    equals: Any = Field(default=None, description="The value must equal this.")
    one_of: list[Any] | None = Field(default=None, description="The value must equal one of these.")
    matches: str | None = Field(default=None, description="A regex the whole value must match.")
    at_least: Any = Field(default=None, description="The smallest (or earliest) allowed value.")
    at_most: Any = Field(default=None, description="The largest (or latest) allowed value.")
    approve: Approve = Field(default_factory=Approve, description="Whether a person may "
                             "approve an item past this rule, and above which value a second "
                             "person must confirm.")

    @field_validator("matches")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is None or "${" in pattern:  # a reference: checked once resolved
            return pattern
        try:
            re.compile(pattern)
        except re.error as error:  # not a ValueError: pydantic would not report it
            raise ValueError(f"{pattern!r} is not a regular expression ({error})") from None
        return pattern

    @model_validator(mode="after")
    def _has_a_check(self) -> Rule:
        if not self.checks():
            raise ValueError(f"rule {self.code} has no check: give one or more of "
                             f"{', '.join(OPERATORS)}")
        return self

    def checks(self) -> list[str]:
        """The operators this rule uses, in the order they are checked."""
        given = self.model_fields_set
        return [op for op in OPERATORS if op in given and (op != "not_empty" or self.not_empty)]


class Params(StepParams):
    """The rules, checked in order."""

    rules: list[Rule] = Field(min_length=1, description="Rules checked in order; the first "
                              "failing one ends the item with its code.")


def _outputs(values: Mapping[str, Any]) -> Outputs:
    """`passed` (the codes of the rules checked) and `_overridden` (those a person approved
    the item past)."""
    return Outputs({"passed": VALUE, "_overridden": None})


@step("data.check_rules", Params, example=EXAMPLE, outputs=_outputs)
def check_rules(params: Params, ctx: StepContext) -> dict[str, Any]:
    """Check business rules on resolved values; the first failing rule raises its code."""
    overridden = []
    for rule in params.rules:
        failure = first_failure(rule)
        if failure and rule.code in ctx.overrides and rule.approve.allowed:
            overridden.append(_override(rule, *failure))
        elif failure:
            raise _failed(rule, *failure)
    output: dict[str, Any] = {"passed": [rule.code for rule in params.rules]}
    if overridden:
        output["_overridden"] = overridden
    return output


def first_failure(rule: Rule) -> tuple[str, str] | None:
    """(operator, message) of the rule's first failing check; None when it passes."""
    for operator in rule.checks():
        failure = CHECKS[operator](rule)
        if failure:
            return operator, failure
    return None


def _override(rule: Rule, operator: str, message: str) -> dict[str, Any]:
    """What was passed with an approval: the rule, its check, the value and its bound."""
    return {"code": rule.code, "name": rule.name, "check": operator,
            "value": shown(rule.value), "bound": shown(getattr(rule, operator)),
            "message": message}


def _failed(rule: Rule, operator: str, default_message: str) -> BusinessError:
    expected = getattr(rule, operator)
    message = default_message
    if rule.message:
        message = rule.message.replace("{value}", shown(rule.value)).replace(
            "{expected}", shown(expected))
    return BusinessError(message, code=rule.code, rule=rule.code, check=operator,
                         value=shown(rule.value), expected=shown(expected))


def _not_empty(rule: Rule) -> str | None:
    if is_empty(rule.value):
        return f"{rule.name} is empty"
    return None


def _equals(rule: Rule) -> str | None:
    if _same(rule, rule.value, rule.equals):
        return None
    return f"{rule.name} is {shown(rule.value)}, expected {shown(rule.equals)}"


def _one_of(rule: Rule) -> str | None:
    choices = rule.one_of or []
    if any(_same(rule, rule.value, choice) for choice in choices):
        return None
    listed = ", ".join(shown(choice) for choice in choices)
    return f"{rule.name} is {shown(rule.value)}, expected one of {listed}"


def _matches(rule: Rule) -> str | None:
    text = _comparable_text(rule, rule.value)
    try:
        found = re.fullmatch(str(rule.matches), text)
    except re.error as error:
        raise _uncomparable(rule, f"its pattern {rule.matches!r} is not a regex ({error})"
                            ) from error
    if found:
        return None
    return f"{rule.name} '{text}' does not match the pattern {rule.matches}"


def _at_least(rule: Rule) -> str | None:
    kind, value, bound = _ordered(rule, rule.at_least, "its at_least")
    if value >= bound:
        return None
    word = "is before" if kind == "date" else "is below the minimum"
    return f"{rule.name} {shown(rule.value)} {word} {shown(rule.at_least)}"


def _at_most(rule: Rule) -> str | None:
    kind, value, bound = _ordered(rule, rule.at_most, "its at_most")
    if value <= bound:
        return None
    word = "is after" if kind == "date" else "exceeds the limit"
    return f"{rule.name} {shown(rule.value)} {word} {shown(rule.at_most)}"


CHECKS: dict[str, Callable[[Rule], str | None]] = {
    "not_empty": _not_empty, "equals": _equals, "one_of": _one_of, "matches": _matches,
    "at_least": _at_least, "at_most": _at_most}


# --- typed comparison ----------------------------------------------------------------------

def _same(rule: Rule, left: Any, right: Any) -> bool:
    """Equality by what both sides hold: dates, numbers, else text ignoring case."""
    for parse in (as_date, as_number):
        a, b = parse(left), parse(right)
        if a is not None and b is not None:
            return bool(a == b)
    expected = _comparable_text(rule, right, "the expected value")
    return _comparable_text(rule, left).casefold() == expected.casefold()


def _ordered(rule: Rule, bound: Any, label: str) -> tuple[str, Any, Any]:
    """("date"|"number", value, bound) typed alike, or FIELD_INVALID."""
    _comparable_text(rule, rule.value)
    _comparable_text(rule, bound, label)
    for kind, parse in (("date", as_date), ("number", as_number)):
        a, b = parse(rule.value), parse(bound)
        if a is not None and b is not None:
            return kind, a, b
    raise _uncomparable(rule, f"{shown(rule.value)!r} and {shown(bound)!r} are not both "
                        "dates (YYYY-MM-DD) or both numbers")


def _comparable_text(rule: Rule, value: Any, label: str = "") -> str:
    """The value as text, or FIELD_INVALID when it is empty or not a single value."""
    label = label or rule.name
    if is_empty(value):
        raise _uncomparable(rule, f"{label} has no value (a not_empty rule before it can "
                            "give that its own code)")
    if isinstance(value, dict | list):
        raise _uncomparable(rule, f"{label} is a {type(value).__name__}, not one value")
    return shown(value)


def _uncomparable(rule: Rule, why: str) -> BusinessError:
    return BusinessError(f"rule {rule.code} cannot be checked: {why}", code="FIELD_INVALID",
                         rule=rule.code, value=shown(rule.value))
