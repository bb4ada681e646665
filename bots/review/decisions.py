"""Which decision an exception item asks of a person, read from its recipe and its values.

A business rule stopped it (a ``data.check_rules`` step, with the rule found and its values
resolved): approve it past the rule, correct a value, resolve by hand or reject. Other bad
data: correct a value, resolve or reject. A system failed (sign-on, timeouts, retries ran
out): retry it as it is; correcting data would not help.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from bots.kernel import WorkItem
from bots.kernel.errors import BotError
from bots.kernel.refs import resolve
from bots.recipe import Recipe, load_recipe
from bots.review.value_kinds import StepKinds, step_kinds
from bots.steps.data.check_rules import Rule, first_failure

SYSTEM_CODES = frozenset({
    "LOGIN_FAILED", "SESSION_EXPIRED", "TIMEOUT", "SERVER_ERROR", "BROWSER_ERROR",
    "RETRIES_EXHAUSTED", "STEP_FAILED", "CONTROL_NOT_READY", "ITEM_BUSY", "WORKER_ID_TAKEN",
    "APPLICATION_ERROR", "OCR_FAILED", "POSSIBLE_DUPLICATE", "HEAL_UNPROVEN",
    "SCREEN_MISMATCH", "CONFIG_INVALID", "RECIPE_MISSING"})
RULE, DATA, SYSTEM = "business-rule", "data", "system"


def recipe_for(item: dict[str, Any], project_root: Path) -> Recipe | None:
    """The item's recipe (its recorded file, else recipes/<name>.yaml); None when it cannot
    be loaded, so the page still shows the item."""
    for candidate in (item.get("recipe_path"), project_root / "recipes" / f"{item['recipe']}.yaml"):
        if candidate and Path(candidate).is_file():
            path = Path(candidate)
            try:
                return _loaded(str(path), path.stat().st_mtime_ns)
            except BotError:
                return None
    return None


@lru_cache(maxsize=32)
def _loaded(path: str, _mtime_ns: int) -> Recipe:
    return load_recipe(path)


def kinds_for(recipe: Recipe | None) -> StepKinds:
    """The source kind of each step's values (document, reference, derived)."""
    if recipe is None:
        return StepKinds()
    return step_kinds([(step.id, step.type.name, step.spec.with_) for step in recipe.steps])


def failure_kind(item: dict[str, Any], recipe: Recipe | None) -> str:
    """RULE, DATA or SYSTEM: what kind of decision the item's exception asks for."""
    if item.get("code") in SYSTEM_CODES:
        return SYSTEM
    return RULE if stopping_rules(item, recipe) else DATA


def stopping_rules(item: dict[str, Any], recipe: Recipe | None) -> list[dict[str, Any]]:
    """The rules of the failed check step that carry the item's code and fail on its values:
    code, name, check, value, bound, message, whether approving needs a second person."""
    step = _failed_rules_step(item, recipe)
    if step is None:
        return []
    found = []
    for raw in step.spec.with_.get("rules") or []:
        if isinstance(raw, dict) and raw.get("code") == item.get("code"):
            rule = _resolved_rule(raw, item)
            failure = _failure(rule) if rule else None
            if rule is not None and failure is not None:
                found.append(_described(rule, *failure))
    return found


def _failed_rules_step(item: dict[str, Any], recipe: Recipe | None) -> Any:
    if recipe is None or item.get("status") != "exception":
        return None
    for step in recipe.steps:
        if step.id == item.get("step") and step.type.name == "data.check_rules":
            return step
    return None


def _resolved_rule(raw: dict[str, Any], item: dict[str, Any]) -> Rule | None:
    """The rule with its references filled from the item's outputs; None if they cannot be."""
    work = item.get("item") or {}
    scope = {**(item.get("outputs") or {}),
             "item": WorkItem.from_data(work).as_refs() if work else {}}
    try:
        return Rule.model_validate(resolve(raw, scope))
    except (BotError, ValueError, KeyError, TypeError):
        return None


def _failure(rule: Rule) -> tuple[str, str] | None:
    """The rule's failing check; None when it passes or cannot be checked on these values
    (not a rule the item stopped at, then)."""
    try:
        return first_failure(rule)
    except BotError:
        return None


def _described(rule: Rule, operator: str, message: str) -> dict[str, Any]:
    threshold = rule.approve.second_person_above
    return {"code": rule.code, "name": rule.name, "check": operator,
            "value": _text(rule.value), "bound": _text(getattr(rule, operator)),
            "message": message, "allowed": rule.approve.allowed,
            "threshold": _text(threshold), "needs_second": _above(rule.value, threshold)}


def _above(value: Any, threshold: Any) -> bool:
    """Whether the value passes the four-eyes threshold (an unreadable one counts as above:
    a second look is the safe side)."""
    if threshold is None or threshold == "":
        return False
    try:
        return Decimal(str(value).strip()) > Decimal(str(threshold).strip())
    except ArithmeticError:
        return True


def _text(value: Any) -> str:
    return "" if value is None else str(value)
