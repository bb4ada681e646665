"""A recipe's resource sections: one top-level key per resource type its steps need (`web:`).

The recipe file's own keys are fixed (``RecipeModel``); a key named after a registered resource
type is that resource's settings, validated by the type's own model. A step whose type needs a
resource with required settings makes the section required. ``${env.X}`` inside a section is
resolved when the run starts, and a value that cannot work then (a base URL without ``http://``)
is a recipe problem at the section's line, before any item runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bots.kernel import ResourceType, StepType
from bots.kernel.errors import BotError, ConfigError, Problem
from bots.kernel.refs import references_in, resolve
from bots.recipe.model import RecipeModel
from bots.recipe.source import RecipeSource, plain, read_source
from bots.recipe.validate import check_params, check_references
from bots.secrets import EnvScope
from bots.steps.registry import all_resources

Sections = dict[str, Any]  # section name -> its value, as written (a mapping when valid)


def split_sections(data: Mapping[str, Any]) -> tuple[dict[str, Any], Sections]:
    """The recipe's own keys, and the sections named after resource types (plain data)."""
    names = all_resources()
    # a recipe's own key is never a section: asking the registry about it would load every
    # step package there is, on every run
    is_section = {key: key not in RecipeModel.model_fields and key in names for key in data}
    own = {key: value for key, value in data.items() if not is_section[key]}
    sections = {key: plain(value) for key, value in data.items() if is_section[key]}
    return own, sections


def check_sections(source: RecipeSource, sections: Sections) -> list[Problem]:
    """Each section against its resource type's settings; references may only name env."""
    problems: list[Problem] = []
    for name, values in sections.items():
        settings = all_resources()[name].settings
        if settings is not None and not isinstance(values, dict):
            problems.append(source.problem((name,), f"'{name}:' must be a mapping of its "
                                           "settings", f"see `{name}` in docs/steps.md"))
        elif settings is not None:
            problems += check_params(source, settings, values, (name,))
        problems += check_references(source, values, (name,), [], [], ("env",))
    return problems


Use = tuple[tuple[str | int, ...], str, StepType]  # where `uses:` is, the step id, its type


def check_needs(source: RecipeSource, uses: list[Use], sections: Sections) -> list[Problem]:
    """Every resource a step needs is known, and its section is there when it must be.

    Each missing resource is reported once, at the first step that needs it.
    """
    problems, seen = [], set()
    for loc, step_id, step_type in uses:
        for name in step_type.needs:
            message = None if name in seen else _missing(step_id, step_type, name, sections)
            seen.add(name)
            if message:
                problems.append(source.problem(loc, *message))
    return problems


def _missing(step_id: str, step_type: StepType, name: str,
             sections: Sections) -> tuple[str, str] | None:
    kind = all_resources().get(name)
    if kind is None:
        return (f"step '{step_id}' uses {step_type.name}, which needs the resource '{name}' "
                "that no installed package provides", "run `python runner.py steps`")
    if kind.needs_section and name not in sections:
        return (f"step '{step_id}' uses {step_type.name}, which needs a '{name}:' section",
                f"add {name}: {{{', '.join(_required(kind))}}}")
    return None


def _required(kind: ResourceType) -> list[str]:
    fields = kind.settings.model_fields if kind.settings else {}
    return [f"{key}: ..." for key, field in fields.items() if field.is_required()]


def settings_for(recipe_path: Path, kind: ResourceType, values: dict[str, Any] | None,
                 secrets: list[str]) -> BaseModel | None:
    """A section with `${env.X}` resolved and validated; RecipeError at its line if it cannot."""
    if kind.settings is None:
        return None
    resolved = resolve(values or {}, {"env": EnvScope(secrets)})
    try:
        settings = kind.settings.model_validate(resolved)
        if kind.preflight is not None:
            kind.preflight(settings)
    except ValidationError as error:
        raise ConfigError([_setting_problem(recipe_path, kind.name, values or {}, detail)
                           for detail in error.errors()]) from error
    except BotError as error:
        raise ConfigError([read_source(recipe_path).problem(
            (kind.name,), f"'{kind.name}' cannot work here: {error.message}")]) from error
    return settings


def _setting_problem(recipe_path: Path, name: str, values: dict[str, Any],
                     detail: Any) -> Problem:
    """A problem at the setting's line, naming the variables its value came from."""
    loc = (name, *detail["loc"])
    where = ".".join(str(part) for part in loc)
    message = str(detail["msg"]).removeprefix("Value error, ")
    raw: Any = values
    for part in detail["loc"]:
        raw = raw.get(part) if isinstance(raw, dict) else None
    names = sorted({ref.path[0] for ref in references_in(raw) if ref.root == "env" and ref.path})
    hint = f"its value comes from {', '.join('$' + n for n in names)}: fix the variable" \
        if names else ""
    return read_source(recipe_path).problem(loc, f"{where}: {message}", hint)
