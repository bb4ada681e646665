"""`try RECIPE FILE [--step ID]`: one pdf step's rules on one file, for people writing rules.

The step runs exactly as in a batch (its parameters resolved and validated the same way, the
recipe's input limits), but on FILE, outside the engine: no ledger, no state folder, no
browser, no DBOS. It prints the layout chosen (or why none fits), each field's value with its
provenance and confidence, and every problem the step reported with the values it had read.
Exit 0 when every field was read, 1 when there were problems, 2 for a bad recipe or file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from bots.commands.common import fail, print_json, report_recipe_error, say
from bots.commands.try_many import pdf_files, try_many
from bots.commands.try_report import as_text, outcome_data
from bots.commands.try_run import Refused, run_on
from bots.kernel.errors import BotError, RecipeError
from bots.recipe import Recipe, load_recipe
from bots.recipe.phases import Step

EXIT_OK, EXIT_PROBLEMS, EXIT_BAD_INPUT = 0, 1, 2
# a file the step cannot read at all: the file is wrong, not the rules
FILE_CODES = frozenset({"FILE_MISSING", "EMPTY_FILE", "NOT_A_PDF", "ENCRYPTED_PDF",
                        "CORRUPT_PDF", "DOCUMENT_TOO_LONG", "FILE_TOO_LARGE", "TOO_MANY_PAGES",
                        "CONTENT_TOO_LARGE", "IMAGE_TOO_LARGE", "NO_TEXT_LAYER"})


def try_step(recipe_name: str, files: str | list[str], *, step_id: str | None = None,
             as_json: bool = False, png: str | None = None) -> int:
    """Run one pdf step of a recipe on one file and report what it read; the exit code.
    Several files, or a folder, get one line each (bots/commands/try_many.py)."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are not the author's
    names = [files] if isinstance(files, str) else files
    file = names[0]
    try:
        recipe = load_recipe(recipe_name)
        step = pick_step(recipe, step_id)
        if len(names) > 1 or Path(file).is_dir():
            return try_many(recipe, step, pdf_files(names), as_json=as_json)
        result, error = run_on(recipe, step, Path(file))
    except RecipeError as wrong:
        report_recipe_error(wrong)
        return EXIT_BAD_INPUT
    except Refused as refused:
        fail(str(refused))
        return EXIT_BAD_INPUT
    if error is not None and error.code in FILE_CODES:
        fail(error.message)
        return EXIT_BAD_INPUT
    data = outcome_data(recipe.name, step, file, result, error)
    if as_json:
        print_json(data)
    else:
        say(as_text(data))
    if png and not draw(Path(file), step.id, data["provenance"], Path(png)):
        return EXIT_BAD_INPUT
    return EXIT_OK if data["ok"] else EXIT_PROBLEMS


def draw(path: Path, step_id: str, provenance: dict[str, Any], out: Path) -> bool:
    """The pages with a labelled box round each value read; False when they cannot be."""
    from bots.commands.pdf_png import draw_values

    try:
        written = draw_values(path, step_id, provenance, out)
    except BotError as error:
        fail(error.message)
        return False
    say(f"drew {len(written)} page(s) with a box round each value: "
        f"{', '.join(map(str, written)) or 'no value was read, nothing drawn'}", err=True)
    return True


def pick_step(recipe: Recipe, step_id: str | None) -> Step:
    """The step named `step_id`, else the recipe's first step whose type starts with `pdf.`."""
    pdf_steps = [step for step in recipe.steps if step.type.name.startswith("pdf.")]
    if step_id is None:
        if not pdf_steps:
            raise Refused(f"recipe {recipe.name} has no pdf step to try (its steps: "
                          f"{', '.join(step.id for step in recipe.steps)})")
        return pdf_steps[0]
    chosen = next((step for step in recipe.steps if step.id == step_id), None)
    if chosen is None:
        raise Refused(f"recipe {recipe.name} has no step {step_id!r}; its pdf steps: "
                      f"{', '.join(step.id for step in pdf_steps) or 'none'}")
    if chosen not in pdf_steps:
        raise Refused(f"step {step_id!r} is a {chosen.type.name} step; `try` runs pdf steps "
                      f"only (this recipe's: {', '.join(s.id for s in pdf_steps) or 'none'})")
    return chosen
