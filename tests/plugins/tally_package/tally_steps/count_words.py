"""tally.count_words: count a text file's words and note the count in the run's notebook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from bots.kernel import BusinessError, StepContext, StepParams, step
from tally_steps.notebook import Notebook

EXAMPLE = """\
- id: tally
  uses: tally.count_words
  with: {path: "${item.path}", at_least: 3}
"""


class Params(StepParams):
    """Parameters of tally.count_words."""

    path: str = Field(description="The text file to count.")
    at_least: int = Field(1, ge=0, description="Fewer words than this is TOO_FEW_WORDS.")


@step("tally.count_words", Params, needs=("notebook",), example=EXAMPLE)
def count_words(params: Params, ctx: StepContext) -> dict[str, Any]:
    """Count the words of a text file and note the count in the run's notebook."""
    words = len(Path(params.path).read_text(encoding="utf-8").split())
    if words < params.at_least:
        raise BusinessError(f"{ctx.item.name} has {words} words, fewer than {params.at_least}",
                            code="TOO_FEW_WORDS")
    notebook = ctx.resource("notebook")
    assert isinstance(notebook, Notebook)
    notebook.note(f"{ctx.item.name}: {words}")
    return {"words": words}
