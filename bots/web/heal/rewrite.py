"""Accept a proposal into the recipe file: the new label, button text or selector; all else kept.

ruamel.yaml (round-trip) finds where the step's field key or button text sits (line and
column); the change is then made in the text itself, so comments, quotes, flow mappings and
line breaks stay exactly as the author wrote them. The step's ``with`` and its ``check`` are
both changed (a check often names the same field). The result is parsed again before it is
written; a change that cannot be made this way is a clear error, never a half-written file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bots.kernel.errors import BotError

STEP_LISTS = ("steps", "before_items", "after_items")
BUTTON_KEYS = ("submit", "button", "click", "then")
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._()/'-]*$")  # safe unquoted, in block and flow


class RewriteError(BotError):
    """The recipe cannot be changed as the proposal says (say what to edit by hand)."""

    code = "RECIPE_INVALID"


@dataclass(frozen=True)
class Edit:
    """Replace text on one line between two columns."""

    line: int
    start: int
    end: int
    text: str


def yaml_text(value: str, was: str = "") -> str:
    """A scalar as YAML text: quoted as the text it replaces was, else plain when safe."""
    if was.startswith(("'", '"')) or not PLAIN.match(value) or value.endswith(" "):
        return json.dumps(value)
    return value


def scalar_end(line: str, start: int, flow: bool) -> int:
    """Where the scalar token that starts at `start` ends on its line."""
    if line[start:start + 1] in ('"', "'"):
        quote, index = line[start], start + 1
        while index < len(line):
            if line[index] == quote and not (quote == '"' and line[index - 1] == "\\"):
                return index + 1
            index += 1
        return len(line)
    stops = [line.find(" #", start)] + ([line.find(",", start), line.find("}", start)]
                                          if flow else [])
    if line.find(": ", start) >= 0 or line.rstrip().endswith(":"):
        stops.append(line.find(":", start))
    end = min((stop for stop in stops if stop >= 0), default=len(line.rstrip("\n")))
    return start + len(line[start:end].rstrip())


def step_maps(data: Any, step_id: str) -> Iterator[CommentedMap]:
    """The step's ``with`` and its check's ``with``."""
    for key in STEP_LISTS:
        for step in data.get(key) or []:
            if isinstance(step, CommentedMap) and step.get("id") == step_id:
                for part in (step, step.get("check")):
                    if isinstance(part, CommentedMap) and isinstance(part.get("with"), dict):
                        yield part["with"]


def walk(node: Any) -> Iterator[CommentedMap]:
    """Every mapping inside a node, the node included."""
    if isinstance(node, CommentedMap):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, CommentedSeq):
        for value in node:
            yield from walk(value)


def field_edits(lines: list[str], withs: list[CommentedMap], name: str,
                new: str) -> list[Edit]:
    """Rename the field key `name` to `new` in every ``fields:`` mapping of the step."""
    edits = []
    for mapping in (m for w in withs for m in walk(w)):
        fields = mapping.get("fields")
        if isinstance(fields, CommentedMap) and name in fields:
            line, col = fields.lc.key(name)
            end = scalar_end(lines[line], col, bool(fields.fa.flow_style()))
            edits.append(Edit(line, col, end, yaml_text(new, lines[line][col:end])))
    return edits


def button_edits(lines: list[str], withs: list[CommentedMap], name: str,
                 new: str) -> list[Edit]:
    """Change the button text `name` to `new` wherever the step names that button."""
    edits = []
    for holder, slot in named_slots(withs, "button", name):
        if isinstance(holder[slot], CommentedMap):
            holder, slot = holder[slot], "text"
        line, col = position(holder, slot)
        end = scalar_end(lines[line], col, bool(holder.fa.flow_style()))
        edits.append(Edit(line, col, end, yaml_text(new, lines[line][col:end])))
    return edits


Holder = CommentedMap | CommentedSeq


def position(holder: Holder, slot: Any) -> tuple[int, int]:
    """Line and column of a value in a mapping (by key) or a list (by index)."""
    place = holder.lc.item(slot) if isinstance(holder, CommentedSeq) else holder.lc.value(slot)
    return int(place[0]), int(place[1])


def named_slots(withs: list[CommentedMap], what: str, name: str) -> Iterator[tuple[Holder, Any]]:
    """Where the step names the control: (mapping or list, key or index) holding it."""
    for mapping in (m for w in withs for m in walk(w)):
        if what == "field":
            fields = mapping.get("fields")
            if isinstance(fields, CommentedMap) and name in fields:
                yield fields, name
            continue
        for key in (key for key in BUTTON_KEYS if key in mapping):
            value = mapping[key]
            refs = [(value, index) for index in range(len(value))] \
                if isinstance(value, CommentedSeq) else [(mapping, key)]
            yield from ((holder, slot) for holder, slot in refs if _names(holder[slot], name))


def _names(ref: Any, name: str) -> bool:
    """Whether a button reference (a text, or a mapping with a text) names this button."""
    return ref == name or (isinstance(ref, CommentedMap) and ref.get("text") == name)


def selector_edits(lines: list[str], withs: list[CommentedMap], what: str, name: str,
                   selector: str) -> list[Edit]:
    """Add `selector:` where the step names the control (the new one has no usable label)."""
    edits = []
    for holder, slot in named_slots(withs, what, name):
        value, wanted = holder[slot], json.dumps(selector)
        if isinstance(value, CommentedMap):
            edits.append(_selector_in_map(lines, value, wanted))
            continue
        line, col = position(holder, slot)
        end = scalar_end(lines[line], col, bool(holder.fa.flow_style()))
        token = lines[line][col:end]
        token = token if token.startswith(("'", '"')) else json.dumps(str(value))
        text = f"{{value: {token}, selector: {wanted}}}" if what == "field" else \
            f"{{selector: {wanted}}}"
        edits.append(Edit(line, col, end, text))
    return edits


def _selector_in_map(lines: list[str], value: CommentedMap, wanted: str) -> Edit:
    """Set or add the selector key of a field's or button's mapping."""
    if "selector" in value:
        line, col = value.lc.value("selector")
        return Edit(line, col, scalar_end(lines[line], col, bool(value.fa.flow_style())), wanted)
    last = list(value)[-1]
    line, col = value.lc.value(last)
    if value.fa.flow_style():
        end = scalar_end(lines[line], col, True)
        return Edit(line, end, end, f", selector: {wanted}")
    indent = " " * value.lc.key(list(value)[0])[1]
    end = len(lines[line].rstrip("\n"))
    return Edit(line, end, end, f"\n{indent}selector: {wanted}")


def apply(lines: list[str], edits: list[Edit]) -> str:
    """The text with the edits made (from the last one back, so columns stay right)."""
    changed = list(lines)
    for edit in sorted(set(edits), key=lambda e: (e.line, e.start), reverse=True):
        text = changed[edit.line]
        changed[edit.line] = text[:edit.start] + edit.text + text[edit.end:]
    return "".join(changed)


def rewrite_recipe(path: Path, proposal: dict[str, Any]) -> int:
    """Write the proposal's new label or text into the recipe file; how many places changed."""
    text = path.read_text(encoding="utf-8")
    withs = list(step_maps(YAML(typ="rt").load(text), str(proposal["step"])))
    new, name = str(proposal.get("new_label") or ""), str(proposal["name"])
    if not withs:
        raise RewriteError(f"{path}: no step with id '{proposal['step']}'; "
                           "was the step renamed? Edit the recipe by hand.")
    selector = str(proposal.get("selector") or "")
    if not (new or selector):
        raise RewriteError(f"the new control has no label nor a stable id or name; add a "
                           f"`selector:` to '{name}' in step '{proposal['step']}' of {path} "
                           "by hand (see the evidence screenshot)")
    lines = text.splitlines(keepends=True)
    if not new:
        edits = selector_edits(lines, withs, str(proposal["what"]), name, selector)
    elif proposal["what"] == "field":
        edits = field_edits(lines, withs, name, new)
    else:
        edits = button_edits(lines, withs, name, new)
    if not edits:
        raise RewriteError(f"{path}: step '{proposal['step']}' does not name the "
                           f"{proposal['what']} '{name}' (any more); nothing to change")
    changed = apply(lines, edits)
    YAML(typ="rt").load(changed)  # still YAML: a slip here must not reach the file
    path.write_text(changed, encoding="utf-8")
    return len(set(edits))
