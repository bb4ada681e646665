"""Refuses hostile recipe text before it is built into objects: size, characters, tags,
nesting and alias expansion, each as a located problem.

A recipe is small, hand-written YAML. What no hand-written recipe needs is refused while the
text is still an event stream (the parser is iterative and cheap), because building objects is
where YAML turns hostile: a 720-byte "billion laughs" expands to billions of nodes, deep
nesting overflows the recursive composer, and a tag asks the loader to build a foreign type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    NodeEvent,
    ScalarEvent,
)

MAX_RECIPE_BYTES = 256 * 1024  # 35 times the largest bundled recipe; parsing it takes seconds
MAX_DEPTH = 50  # real recipes nest under 10 levels
ALIAS_BUDGET = 10_000  # nodes that aliases may add when expanded; a recipe uses a few dozen

# What YAML itself accepts as text (YAML 1.2, 5.1): tab, LF, CR and printable characters.
# Anything else (NUL, ESC, BEL, DEL, C1 controls) has no place in a recipe.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd"
                            "\U00010000-\U0010ffff]")

# Brackets opened in a row: the parser's look-ahead for a key costs the square of their count
# (a second for a thousand), so such a run is refused from the text before it is parsed.
_BRACKET_RUN = re.compile(r"(?:[\[{][\s,]*){" + str(MAX_DEPTH + 1) + "}")


class Refused(Exception):
    """The text is refused: `message` says why, `hint` what to do, at 1-based (line, col)."""

    def __init__(self, line: int, col: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.col, self.message, self.hint = line, col, message, hint

_TOO_DEEP = f"the recipe nests deeper than {MAX_DEPTH} levels"


def check_characters(text: str) -> None:
    """Refuse NUL and other control characters (tab, newline and CR are fine)."""
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return
    raise Refused(*_line_col(text, found.start()), f"the recipe contains the control character "
                  f"U+{ord(found.group()):04X}, which YAML does not allow",
                  "remove it: a recipe is plain text; an editor's 'show invisibles' finds it")


def check_events(text: str) -> None:
    """Refuse tags, nesting deeper than MAX_DEPTH and aliases that expand beyond the budget."""
    run = _BRACKET_RUN.search(text)
    if run is not None:
        raise Refused(*_line_col(text, run.start()), _TOO_DEEP,
                      "flatten it: no recipe needs this depth")
    _Walk().run(YAML(typ="rt").parse(text))


@dataclass
class _Walk:
    """One pass over the parser's events, keeping only counters (never the nodes)."""

    depth: int = 0
    sizes: list[int] = field(default_factory=lambda: [0])  # expanded nodes per open collection
    anchors: dict[str, int] = field(default_factory=dict)  # expanded size per closed anchor
    open_anchors: list[str | None] = field(default_factory=list)
    added: int = 0  # nodes added by expanding aliases

    def run(self, events: Iterable[Event]) -> None:
        for event in events:
            self.step(event)

    def step(self, event: Event) -> None:
        if isinstance(event, NodeEvent) and not isinstance(event, AliasEvent):
            _refuse_tag(event)
        if isinstance(event, CollectionStartEvent):
            self._open(event)
        elif isinstance(event, CollectionEndEvent):
            self._close()
        elif isinstance(event, ScalarEvent):
            self.sizes[-1] += 1
            if event.anchor:
                self.anchors[event.anchor] = 1
        elif isinstance(event, AliasEvent):
            self._expand(event)

    def _open(self, event: CollectionStartEvent) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Refused(*_where(event), _TOO_DEEP, "flatten it: no recipe needs this depth")
        self.sizes.append(1)
        self.open_anchors.append(event.anchor)

    def _close(self) -> None:
        self.depth -= 1
        size = self.sizes.pop()
        self.sizes[-1] += size
        anchor = self.open_anchors.pop()
        if anchor:
            self.anchors[anchor] = size

    def _expand(self, event: AliasEvent) -> None:
        anchor = event.anchor or ""
        if anchor in self.open_anchors:
            raise Refused(*_where(event), f"the alias *{anchor} is inside the node it names "
                          "(a loop)", f"copy what &{anchor} holds instead")
        size = self.anchors.get(anchor, 0)  # an unknown anchor: the loader reports it
        self.added += size
        self.sizes[-1] += size
        if self.added > ALIAS_BUDGET:
            raise Refused(*_where(event), f"aliases expand the recipe by more than "
                          f"{ALIAS_BUDGET} values; *{anchor} goes over",
                          "use an anchor for a short list or mapping, not to multiply data")


def _refuse_tag(event: Any) -> None:
    tag = getattr(event, "tag", None)
    if tag:
        written = str(tag).replace("tag:yaml.org,2002:", "!!")
        raise Refused(*_where(event), f"YAML tags such as '{written}' are not allowed in a "
                      "recipe", "remove the tag; quote the value if it is text")


def _where(event: Event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, col) of a character offset in the text."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)
