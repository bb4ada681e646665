"""Where work items come from: inbox folders and spreadsheet rows, as the recipe's sources say."""

from __future__ import annotations

from bots.engine.sources.files import folder_items
from bots.engine.sources.sheet import sheet_items
from bots.kernel import WorkItem
from bots.recipe import Recipe
from bots.recipe.environment import project_path
from bots.recipe.model import FolderSource


def discover_items(recipe: Recipe) -> tuple[list[WorkItem], list[str]]:
    """Every source's items, in order, and the names of inputs that repeat an earlier one."""
    items: dict[str, WorkItem] = {}
    repeats = []
    for source in recipe.model.all_sources:
        found = (folder_items(recipe, source) if isinstance(source, FolderSource)
                 else sheet_items(project_path(recipe, source.sheet.path), source))
        for item in found:
            if item.key in items:
                repeats.append(item.name)
            else:
                items[item.key] = item
    return list(items.values()), repeats
