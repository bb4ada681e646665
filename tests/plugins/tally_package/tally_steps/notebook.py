"""The `notebook` resource: one text file per run, shared by every item (scope batch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bots.kernel import ResourceType


class NotebookSettings(BaseModel):
    """The recipe's `notebook:` section."""

    model_config = ConfigDict(extra="forbid")
    path: str = Field(description="The file the counts are appended to.")


class Notebook:
    """An open notebook: lines appended to one file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lines: list[str] = []

    def note(self, line: str) -> None:
        self.lines.append(line)

    async def evidence(self, folder: Path, label: str) -> dict[str, Any]:
        return {"notebook_lines": len(self.lines)}

    async def reset(self) -> None:
        return None

    async def release(self, *, ended_done: bool) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in self.lines)
        self.lines = []


class NotebookProvider:
    """Opens the run's one notebook."""

    def __init__(self, settings: NotebookSettings) -> None:
        self.settings = settings

    async def open(self) -> Notebook:
        return Notebook(Path(self.settings.path))

    async def stop(self) -> None:
        return None


NOTEBOOK = ResourceType(name="notebook", start=NotebookProvider, settings=NotebookSettings,
                        scope="batch", summary="A text file the run's counts are noted in.")
