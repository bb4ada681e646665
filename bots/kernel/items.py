"""The work item: one unit of work, from an inbox file or a group of sheet rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class WorkItem:
    """One unit of work: a file from an inbox or a row group from a sheet."""

    key: str  # stable: content hash or business reference
    name: str  # what a person calls it (the file name)
    path: str = ""  # the source file, when there is one
    arrived_at: str = ""  # ISO timestamp (file mtime or first seen)
    data: dict[str, Any] = field(default_factory=dict)  # row values for sheet sources

    @property
    def ref(self) -> str:
        """A short external reference the bot types into target systems (to find it later)."""
        return "BOT-" + self.key[:10].upper()

    def as_refs(self) -> dict[str, Any]:
        """The values a recipe can reference as ``${item.<name>}``."""
        return {"key": self.key, "name": self.name, "path": self.path,
                "arrived_at": self.arrived_at, "ref": self.ref, **self.data}

    def as_data(self) -> dict[str, Any]:
        """Plain data, for a workflow's input and the ledger."""
        return asdict(self)

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> WorkItem:
        """The item back from `as_data()`."""
        return cls(**data)
