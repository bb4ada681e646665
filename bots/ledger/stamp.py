"""Which recipe an item was queued with: the file (resolved path) and its version (digest)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecipeStamp:
    """Which recipe file an item runs from, and which version of it (its text's digest)."""

    path: str
    digest: str

    def columns(self) -> dict[str, str]:
        """The ledger columns that keep it (bots_items.recipe_path, recipe_digest)."""
        return {"recipe_path": self.path, "recipe_digest": self.digest}
