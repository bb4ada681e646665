"""Where work items come from: inbox folders and spreadsheet rows, as the recipe's sources say."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import structlog

from bots.engine.sources.files import SKIP_REASONS, Skipped, scan_folder
from bots.kernel import WorkItem
from bots.recipe import Recipe
from bots.recipe.environment import project_path
from bots.recipe.model import FolderSource

__all__ = ["SKIP_REASONS", "Inbox", "Skipped", "discover_items", "survey_inbox"]


@dataclass
class Inbox:
    """What the sources hold: the items, the inputs that repeat an earlier one, and every
    entry of an inbox folder that is no item, with its reason."""

    items: list[WorkItem] = field(default_factory=list)
    repeats: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def skipped_by_reason(self) -> dict[str, int]:
        """How many entries were skipped, per reason (for the summary)."""
        return dict(sorted(Counter(entry.reason for entry in self.skipped).items()))


def survey_inbox(recipe: Recipe) -> Inbox:
    """Every source's items, in order; logs one `source.skipped` event per skipped entry."""
    inbox = Inbox()
    keys: set[str] = set()
    for source in recipe.model.all_sources:
        if isinstance(source, FolderSource):
            found, skipped = scan_folder(recipe, source)
            inbox.skipped += skipped
        else:
            from bots.engine.sources.sheet import sheet_items  # the workbook machinery: on use

            found = sheet_items(project_path(recipe, source.sheet.path), source)
        for item in found:
            if item.key in keys:
                inbox.repeats.append(item.name)
            else:
                keys.add(item.key)
                inbox.items.append(item)
    _log_skipped(inbox.skipped)
    return inbox


def discover_items(recipe: Recipe) -> tuple[list[WorkItem], list[str]]:
    """Every source's items, in order, and the names of inputs that repeat an earlier one."""
    inbox = survey_inbox(recipe)
    return inbox.items, inbox.repeats


_BY_NAME = ("HIDDEN", "NOT_INCLUDED", "EXCLUDED")  # what the recipe asked for: no warning


def _log_skipped(skipped: list[Skipped]) -> None:
    log = structlog.get_logger()
    for entry in skipped:
        level = log.info if entry.reason in _BY_NAME else log.warning
        level("source.skipped", source=entry.source, file=entry.name, reason=entry.reason,
              detail=entry.detail or SKIP_REASONS[entry.reason])
