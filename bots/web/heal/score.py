"""Score candidate controls against a remembered fingerprint; accept one clear winner only.

A candidate must be of the same kind (a date field never heals onto a select). Its score
(0..1) weighs how its label reads against the remembered label and the recipe's name, the
text nearest to it, where it is, and its id/name/placeholder when those still say
something. Only the best candidate, above THRESHOLD and MARGIN ahead of the next, is taken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from bots.web.heal.similarity import label_similarity, word_similarity, words

THRESHOLD = 0.5  # below this nothing on the screen is like the lost control
MARGIN = 0.15  # the winner must lead the runner-up by this much, or it is a guess
NEAR_PX = 400  # boxes this far apart (centre to centre) count as unrelated in position
FIELD_WEIGHTS = {"label": 0.6, "near": 0.15, "position": 0.15, "attributes": 0.1, "frame": 0.1}
BUTTON_WEIGHTS = {"label": 0.5, "kind": 0.15, "near": 0.15, "position": 0.1, "attributes": 0.1,
                  "frame": 0.1}
TEXT_TYPES = frozenset({"text", "email", "tel", "search", "url", "number", ""})
LABEL_KEYS = ("label", "label_text", "text", "accessible_name", "aria_label")
NEAR_KEYS = ("near", "nearby", "nearby_text")
ATTRIBUTE_KEYS = ("id", "name_attr", "name_attribute", "placeholder")


@dataclass
class Scored:
    """A candidate's score, with the label it showed (for messages and proposals)."""

    index: int
    score: float
    label: str


def family(kind: str) -> str:
    """Kinds that can stand for each other: every text-like input is 'text'; buttons alike.

    A radio group is a kind of its own that no single control matches: it is not healed.
    """
    if kind.startswith("input:"):
        kind_type = kind.split(":", 1)[1]
        return "text" if kind_type in TEXT_TYPES else kind_type
    if kind in ("button", "link", "a", "submit"):
        return "button"
    return kind


def first_text(fingerprint: dict[str, Any], keys: tuple[str, ...]) -> str:
    """The first non-empty text among the keys a fingerprint may use for one feature."""
    for key in keys:
        value = fingerprint.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return ""


def position_similarity(box: Any, other: Any) -> float | None:
    """1 for the same place, 0 from NEAR_PX apart; None when either box is unknown."""
    try:
        centre = (box["x"] + box["w"] / 2, box["y"] + box["h"] / 2)
        other_centre = (other["x"] + other["w"] / 2, other["y"] + other["h"] / 2)
    except (KeyError, TypeError):
        return None
    return max(0.0, 1 - math.dist(centre, other_centre) / NEAR_PX)


def attribute_similarity(features: dict[str, Any], old: dict[str, Any]) -> float | None:
    """How alike the ids, names and placeholders read; None when they say nothing (random ids)."""
    best = max((word_similarity(meaningful(features.get(key)), meaningful(old.get(other)))
                for key in ATTRIBUTE_KEYS for other in (*ATTRIBUTE_KEYS, "name")), default=0.0)
    return best if best >= 0.5 else None


def meaningful(value: Any) -> str:
    """The words of an id or name that can mean something: no generated parts ('f_3bb568')."""
    kept = [word for word in words(str(value or ""))
            if len(word) > 1 and not any(char.isdigit() for char in word)]
    return " ".join(kept)


def feature_scores(features: dict[str, Any], kind: str, old: dict[str, Any], old_kind: str,
                   name: str) -> dict[str, float | None]:
    """Each feature's similarity (None: unknown on one side, left out of the weighing)."""
    label = first_text(features, LABEL_KEYS)
    old_label = first_text(old, LABEL_KEYS)
    near, old_near = first_text(features, NEAR_KEYS), first_text(old, NEAR_KEYS)
    return {
        "label": max(label_similarity(label, old_label), label_similarity(label, name)),
        "kind": 1.0 if kind == old_kind else 0.0,
        "near": label_similarity(near, old_near) if near and old_near else None,
        "position": position_similarity(features.get("box"), old.get("box")),
        "attributes": attribute_similarity(features, old),
        "frame": 1.0 if bool(features.get("frame")) == bool(old.get("frame")) else 0.0,
    }


def score(features: dict[str, Any], kind: str, remembered: dict[str, Any], name: str,
          what: str) -> float | None:
    """The candidate's score against one remembered control; None when its kind cannot be."""
    old_kind = str(remembered.get("kind") or "")
    if what == "field" and family(kind) != family(old_kind):
        return None
    weights = BUTTON_WEIGHTS if what == "button" else FIELD_WEIGHTS
    found = feature_scores(features, kind, remembered.get("fingerprint") or {}, old_kind, name)
    known = {key: value for key, value in found.items() if key in weights and value is not None}
    total = sum(weights[key] for key in known)
    return sum(weights[key] * value for key, value in known.items()) / total if total else 0.0


def taken_by_another(label: str, name: str, others: list[str]) -> bool:
    """Whether a candidate reads more like another control the step names than like this one."""
    own = label_similarity(label, name)
    return any(label_similarity(label, other) >= 0.9 and label_similarity(label, other) > own
               for other in others)


def ranked(described: list[tuple[dict[str, Any], str]], variants: list[dict[str, Any]],
           name: str, what: str, others: list[str]) -> list[Scored]:
    """Candidates (features, kind) scored against the best-matching variant, best first."""
    scored = []
    for index, (features, kind) in enumerate(described):
        label = first_text(features, LABEL_KEYS)
        if taken_by_another(label, name, others):
            continue
        scores = [s for v in variants if (s := score(features, kind, v, name, what)) is not None]
        if scores:
            scored.append(Scored(index, round(max(scores), 3), label))
    return sorted(scored, key=lambda entry: entry.score, reverse=True)


def clear_winner(scored: list[Scored]) -> Scored | None:
    """The one clear candidate: above THRESHOLD and MARGIN ahead of the next; else None."""
    if not scored or scored[0].score < THRESHOLD:
        return None
    runner_up = scored[1].score if len(scored) > 1 else 0.0
    return scored[0] if scored[0].score - runner_up >= MARGIN else None
