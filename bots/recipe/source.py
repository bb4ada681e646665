"""Reads recipe YAML keeping where every key and value stood, for file:line:col errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from bots.kernel.errors import Problem, RecipeError
from bots.recipe.limits import MAX_RECIPE_BYTES, Refused, check_characters, check_events


@dataclass
class RecipeSource:
    """A parsed recipe file: its data (ruamel round-trip nodes) and its path."""

    path: Path
    data: Any

    def problem(self, loc: Sequence[str | int], message: str, hint: str = "",
                *, at_key: bool = False) -> Problem:
        """A Problem located at the node that `loc` names (or its closest parent)."""
        line, col = position(self.data, loc, at_key=at_key)
        return Problem(str(self.path), line, col, message, hint)


def read_source(path: Path) -> RecipeSource:
    """Parse a recipe file; a YAML syntax error or hostile text becomes a located RecipeError."""
    text = _read_text(path)
    try:
        check_characters(text)
        check_events(text)  # before loading: an alias bomb must never expand
        data = YAML(typ="rt").load(text)
    except Refused as refused:
        raise RecipeError([Problem(str(path), refused.line, refused.col, refused.message,
                                   refused.hint)]) from None
    except MarkedYAMLError as error:
        raise RecipeError([_yaml_problem(path, text, error)]) from error
    except YAMLError as error:  # the reader's own complaints carry no line
        raise RecipeError([Problem(str(path), 1, 1, f"YAML error: {error}")]) from error
    if not isinstance(data, CommentedMap):
        raise RecipeError([Problem(str(path), 1, 1, "a recipe must be a YAML mapping",
                                   "start with 'recipe: <name>'")])
    return RecipeSource(path, data)


def _read_text(path: Path) -> str:
    """The file's text: at most MAX_RECIPE_BYTES of UTF-8, else a RecipeError saying so."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_RECIPE_BYTES + 1)
    except OSError as error:
        raise RecipeError([Problem(str(path), 0, 0, "cannot read the recipe: "
                                   f"{error.strerror}")]) from None
    if len(raw) > MAX_RECIPE_BYTES:
        raise RecipeError([Problem(str(path), 1, 1, f"the recipe is larger than "
                                   f"{MAX_RECIPE_BYTES:,} bytes", "is this the right file? "
                                   "split data out of the recipe into the files it reads")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        col = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise RecipeError([Problem(str(path), line, col, "the recipe is not UTF-8 text",
                                   "save it as UTF-8")]) from None


def _yaml_problem(path: Path, text: str, error: MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = f"YAML syntax error: {error.problem or error.context}"
    lines = text.splitlines()
    opened = _unclosed_quote(lines[:line])
    if opened:  # the parser stumbles far below a quote that never closed: point at the quote
        return Problem(str(path), *opened, "YAML syntax error: the quoted text opened here is "
                       f"not closed on its line; the parser stopped at line {line}, column "
                       f"{col}: {error.problem or error.context}", 'close it with "')
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    return Problem(str(path), line, col, message, _syntax_hint(source_line))


def _syntax_hint(source_line: str) -> str:
    """The likeliest fix for a YAML syntax error on this line."""
    if "\t" in source_line[: len(source_line) - len(source_line.lstrip())]:
        return "indent with spaces: YAML does not allow tabs"
    if "${" in source_line:
        return 'inside { } or [ ], quote a reference: "${item.path}"'
    return "check indentation, colons and quotes"


def _unclosed_quote(lines: list[str]) -> tuple[int, int] | None:
    """(line, col) of the first double quote that opens text not closed on its line."""
    for number, line in enumerate(lines, start=1):
        opened_at = None
        for col, char in enumerate(line, start=1):
            if char == "#" and opened_at is None and (col == 1 or line[col - 2] in " \t"):
                break  # a comment: its quotes do not count
            if char == '"' and (opened_at is None or line[col - 2] != "\\"):
                opened_at = col if opened_at is None else None
        if opened_at is not None:
            return number, opened_at
    return None


def position(node: Any, loc: Sequence[str | int], *, at_key: bool = False) -> tuple[int, int]:
    """1-based (line, col) of the value (or key) at `loc`, else of its deepest known parent."""
    line, col = _own_position(node)
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        found = _child_position(node, part, key=at_key and last)
        if found is None:
            break
        line, col = found
        node = node[part]
    return line, col


def _own_position(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    return (lc.line + 1, lc.col + 1) if lc is not None else (1, 1)


def _child_position(node: Any, part: str | int, *, key: bool) -> tuple[int, int] | None:
    if isinstance(node, CommentedMap) and part in node:
        line, col = node.lc.key(part) if key else node.lc.value(part)
        return line + 1, col + 1
    if isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
        line, col = node.lc.item(part)
        return line + 1, col + 1
    return None


def plain(node: Any) -> Any:
    """The node as plain dicts, lists and scalars (for pydantic)."""
    if isinstance(node, dict):
        return {str(key): plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [plain(value) for value in node]
    if isinstance(node, str):
        return str(node)
    return node
