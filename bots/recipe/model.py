"""The shape of a recipe file, as pydantic models that reject unknown keys."""

from __future__ import annotations

import difflib
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from bots.kernel.errors import CODES
from bots.pdf.limits import InputLimits
from bots.sla.goal import ServiceGoal


class Strict(BaseModel):
    """A recipe section: unknown keys are an error."""

    model_config = ConfigDict(extra="forbid")


class FolderSource(Strict):
    """Work items from files in an inbox folder: one item per file, keyed by its content."""

    name: str = Field(default="inbox", pattern=r"^[a-z][a-z0-9_]*$",
                      description="The source's name, as ${item.source}.")
    folder: str = Field(description="The inbox folder, relative to the project root.")
    include: list[str] = Field(default=["*"], description="Glob patterns of files to take.")
    exclude: list[str] = Field(default=[], description="Glob patterns of files to leave alone.")
    follow_symlinks: bool = Field(default=False, description="Take files that are symbolic "
                                  "links to places outside the folder (default: skip them).")


class SheetRows(Strict):
    """Rows of a worksheet grouped into items: one item per value of `group_by`."""

    path: str = Field(description="The .xlsx workbook, relative to the project root.")
    sheet: str | None = Field(default=None, description="The sheet; default: the first.")
    header_row: int | None = Field(default=None, ge=1,
                                   description="The header's row; default: found by its texts.")
    columns: dict[str, str] = Field(min_length=1,
                                    description="Field name -> header text of its column.")
    group_by: str | None = Field(default=None, description="The field whose value names the "
                                 "item (an order number); required unless one_item is given.")
    one_item: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._-]*$",
                                 description="Hand the whole sheet to ONE item of this name: "
                                 "its data rows as the list `rows` (every field, typed), keyed "
                                 "by the sheet's content, so a changed sheet is a new item.")
    line_fields: list[str] = Field(default=[], description="Fields that vary per row; each "
                                   "item gets them as a list `lines`, one entry per row.")
    types: dict[str, Literal["date", "amount", "int", "text"]] = Field(
        default={}, description="Field name -> date (ISO), amount ('12.40'), int or text.")
    skip: dict[str, str] = Field(default={}, description="Field name -> regular expression: "
                                 "rows whose field matches are not data (a TOTAL row).")


class SheetSource(Strict):
    """Work items from spreadsheet rows, keyed by their business reference."""

    name: str = Field(default="sheet", pattern=r"^[a-z][a-z0-9_]*$",
                      description="The source's name, as ${item.source}.")
    sheet: SheetRows
    provides: str | None = Field(default=None, description="The id of a step whose output "
                                 "these items already carry: that step is skipped for them.")


def _source_kind(value: Any) -> str:
    return "sheet" if isinstance(value, dict) and "sheet" in value else "folder"


Source = Annotated[Annotated[FolderSource, Tag("folder")] | Annotated[SheetSource, Tag("sheet")],
                   Discriminator(_source_kind)]


class RetryPolicy(Strict):
    """How the engine retries transient errors: exponential backoff with jitter."""

    attempts: int = Field(default=4, ge=1, le=20, description="Tries in all, the first included.")
    initial_s: float = Field(default=0.5, ge=0, description="Wait before the second try.")
    max_s: float = Field(default=10.0, ge=0, description="Longest wait between tries.")
    multiplier: float = Field(default=2.0, ge=1, description="Growth of the wait per try.")
    jitter_s: float = Field(default=0.5, ge=0, description="Random extra wait, up to this.")


class RateLimit(Strict):
    """At most `limit` items started per `period_s` seconds, across every runner process."""

    limit: int = Field(ge=1, description="Items started per period.")
    period_s: float = Field(gt=0, description="The period, in seconds.")


class CircuitBreaker(Strict):
    """Stops a run when the target system is down, instead of failing every item."""

    consecutive_failures: int = Field(default=5, ge=0, description="Stop taking items after "
                                      "this many in a row failed for a system reason (0: never).")


class Outage(Strict):
    """How long a run waits for a target system that stopped answering to come back."""

    wait_s: float = Field(default=60, ge=0, description="Ride out an outage this long before "
                          "items fail for it (0: fail as soon as the retries run out).")
    probe_s: float = Field(default=5, gt=0, description="How often to try again meanwhile.")


class RetryFailed(Strict):
    """Later runs retry items that ended with a system failure, then leave them to a person."""

    times: int = Field(default=2, ge=0, le=20, description="Automatic retries per item by later "
                       "runs (0: never; a person retries with `exceptions retry`).")
    after_s: float = Field(default=600, ge=0, description="Retry an item only this long after "
                           "its failure (a target that was down has time to come back).")
    codes: list[str] = Field(default=[], description="Only system failures with these codes "
                             "(default: every system failure but POSSIBLE_DUPLICATE).")

    @field_validator("codes")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        """A code close to a known one is a typo (it would never match, silently); a code
        unlike any is allowed: a plugin's step types may raise their own."""
        for code in codes:
            near = difflib.get_close_matches(code.upper(), list(CODES), n=1, cutoff=0.8)
            if code not in CODES and near:
                raise ValueError(f"unknown exception code {code!r}: did you mean {near[0]!r}?")
        return codes


class Limits(InputLimits):
    """What one input may cost: documents above a limit become coded exceptions."""

    # The keys and their checks live with the documents (bots/pdf/limits.py, docs/limits.md).


class Settings(Strict):
    """Run settings: concurrency, rate limit, retries, timeouts and the circuit breaker."""

    concurrency: int = Field(default=2, ge=1, le=64, description="Items run at once.")
    rate_limit: RateLimit | None = Field(default=None, description="Protects the target "
                                         "system: {limit, period_s}; default: none.")
    retry: RetryPolicy = Field(default=RetryPolicy(), description="Retries of transient errors.")
    step_timeout_s: float = Field(default=120, gt=0, description="Longest one step may take.")
    circuit_breaker: CircuitBreaker = Field(default=CircuitBreaker(),
                                            description="When to stop a run: system down.")
    outage: Outage = Field(default=Outage(), description="Riding out a target that is down.")
    limits: Limits = Field(default=Limits(), description="What one input may cost.")
    retry_failed: RetryFailed = Field(default=RetryFailed(), description="Later runs retry "
                                      "items that ended with a system failure.")


class CheckSpec(Strict):
    """The step that tells, after a crash or timeout, whether a side effect already happened."""

    uses: str = Field(description="The check's step type, e.g. web.search_record.")
    with_: dict[str, Any] = Field(default={}, alias="with",
                                  description="Its parameters; it must return {found: bool}.")
    before_submit: bool = Field(default=True, description="Also search before the first submit, "
                                "so an item keyed without our record (a wiped state, a renamed "
                                "recipe, keyed by hand) is found and settled, not keyed again.")
    settle_s: float = Field(default=5, ge=0, description="After a submit whose answer was lost, "
                            "wait this long from the submit before trusting 'not found' (the "
                            "target may still be committing it).")


class StepSpec(Strict):
    """One recipe step: an id, the step type it uses, and its parameters."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$",
                    description="The step's name; later steps read its output as ${id.field}.")
    uses: str = Field(description="The step type (`python runner.py steps` lists them).")
    with_: dict[str, Any] = Field(default={}, alias="with",
                                  description="The step type's parameters.")
    timeout_s: float | None = Field(default=None, gt=0,
                                    description="This step's timeout; default: settings'.")
    retry: RetryPolicy | None = Field(default=None,
                                      description="This step's retries; default: settings'.")
    check: CheckSpec | None = Field(default=None, description="For a step that changes another "
                                    "system: how to tell whether it already happened.")


class ReportSpec(Strict):
    """A step run once at the end of a run over every item (a results spreadsheet, ...)."""

    uses: str = Field(description="The report's step type, e.g. sheet.write_results.")
    with_: dict[str, Any] = Field(default={}, alias="with",
                                  description="Its parameters (see the step type).")


class RecipeModel(Strict):
    """A whole recipe file."""

    recipe: str = Field(pattern=r"^[a-z][a-z0-9-]*$", description="The recipe's name.")
    description: str = Field(default="", description="What the recipe does, for people.")
    source: FolderSource | None = Field(default=None, description="One inbox folder.")
    sources: list[Source] = Field(default=[], description="Several sources, each named: "
                                  "FolderSource or SheetSource.")
    settings: Settings = Field(default=Settings(), description="How items run.")
    secrets: list[str] = Field(default=[], description="Extra env variables to treat as secret.")
    steps: list[StepSpec] = Field(min_length=1, description="What is done to each item, in "
                                  "order.")
    before_items: list[StepSpec] = Field(default=[], description="Steps run once per batch "
                                         "before the first item (press Start, open a work "
                                         "list); items read them as ${batch.<id>.<field>}.")
    after_items: list[StepSpec] = Field(default=[], description="Steps run once per batch "
                                        "after the items ended, also when some failed or the "
                                        "run stopped early (read a final message, sign off).")
    report: list[ReportSpec] = Field(default=[], description="Steps run once after the items.")
    service_goal: ServiceGoal | None = Field(default=None, description="When items are due.")

    @model_validator(mode="after")
    def _one_kind_of_source(self) -> RecipeModel:
        if (self.source is None) == (not self.sources):
            raise ValueError("give either 'source' (one inbox folder) or 'sources' (a list)")
        for source in self.all_sources:
            if isinstance(source, SheetSource) and source.sheet.group_by is None \
                    and source.sheet.one_item is None:
                raise ValueError(f"sheet source '{source.name}': give group_by (one item per "
                                 "value of a column) or one_item (the whole sheet as one item)")
        names = [source.name for source in self.all_sources]
        if len(set(names)) != len(names):
            raise ValueError(f"source names must differ, got {names}")
        return self

    @property
    def all_sources(self) -> list[FolderSource | SheetSource]:
        return [self.source] if self.source else list(self.sources)
