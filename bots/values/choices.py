"""A coded choice from free wording: exact, contains, or fuzzy (scored by rapidfuzz).

``exact`` compares whole wordings, ignoring case, spacing and accents. ``contains`` finds a listed
wording inside the text ("Damage by escape of water from a pipe" -> WTR); when wordings of
two codes are both inside, it is an error naming both (a longer wording that holds a shorter
one wins: "storm surge" over "storm"). ``fuzzy`` scores the text against each wording with
rapidfuzz's WRatio (0-100: edit distance, partial and token-order aware, in C: well kept and
fast) and takes the best code at or above ``min_score``; an equal score for two codes is an
error naming both, and any match short of 100 is reported as a doubt with its score.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from bots.values import Read

Match = Literal["exact", "contains", "fuzzy"]
DEFAULT_MIN_SCORE = {"exact": 100.0, "contains": 100.0, "fuzzy": 85.0}
NEAR = 5.0  # a runner-up this close to the best is named in the doubt


def flat(text: str) -> str:
    """Text with case and spacing folded, for comparing wordings."""
    return " ".join(text.split()).casefold()


def choose(choices: dict[str, str], text: str, match: Match = "exact",
           min_score: float | None = None) -> Read:
    """The code for a wording (or the code itself); a Read whose doubts carry a fuzzy score."""
    exact = _exact(choices, text)
    if exact is not None:
        return Read(exact)
    if match == "contains":
        return Read(_contained(choices, text))
    if match == "fuzzy":
        return _fuzzy(choices, text, DEFAULT_MIN_SCORE["fuzzy"] if min_score is None
                      else min_score)
    raise ValueError(f"not one of the known wordings ({_known(choices)}); add the wording to "
                     f"`choices`, or set `match: contains` or `match: fuzzy`")


def key(text: str) -> str:
    """A wording compared without case, spacing or accents ('Dégât' is 'degat': OCR and
    keyboards drop accents)."""
    decomposed = unicodedata.normalize("NFKD", flat(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _exact(choices: dict[str, str], text: str) -> str | None:
    wanted = key(text)
    for wording, code in choices.items():
        if wanted in (key(wording), key(code)):
            return code
    return None


def _known(choices: dict[str, str]) -> str:
    return ", ".join(map(repr, choices))


def _contained(choices: dict[str, str], text: str) -> str:
    """The one code whose wording the text contains."""
    haystack = key(text)
    found = [wording for wording in choices if key(wording) in haystack]
    found = [wording for wording in found  # "storm surge" holds "storm": keep the longer
             if not any(key(wording) in key(other) and wording != other for other in found)]
    codes = sorted({choices[wording] for wording in found})
    if len(codes) > 1:
        named = ", ".join(f"{choices[wording]} ({wording!r})" for wording in found)
        raise ValueError(f"holds wordings of {len(codes)} codes: {named}; one value must name "
                         f"one choice: refine `choices`")
    if not codes:
        raise ValueError(f"holds none of the known wordings ({_known(choices)}); add one to "
                         f"`choices`, or set `match: fuzzy`")
    return codes[0]


def _fuzzy(choices: dict[str, str], text: str, min_score: float) -> Read:
    """The best-scoring code at or above min_score; a tie for the best is an error."""
    from rapidfuzz import fuzz, utils

    scores: dict[str, float] = {}
    for wording, code in [*choices.items(), *((code, code) for code in choices.values())]:
        score = fuzz.WRatio(text, wording, processor=utils.default_process)
        scores[code] = max(scores.get(code, 0.0), score)
    ranked = sorted(scores.items(), key=lambda pair: -pair[1])
    (best, score), runner_up = ranked[0], ranked[1] if len(ranked) > 1 else ("", 0.0)
    if score < min_score:
        raise ValueError(f"matches no wording well enough: best {best} at {score:.0f} below "
                         f"min_score {min_score:.0f}; add the wording to `choices` or lower "
                         f"`min_score`")
    if runner_up[1] == score:
        raise ValueError(f"matches {best} and {runner_up[0]} equally (score {score:.0f}); add "
                         f"a wording to `choices` that tells them apart")
    doubt = f"fuzzy choice {' '.join(text.split())!r} -> {best} at {score:.0f}"
    if score - runner_up[1] <= NEAR:
        doubt += f" ({runner_up[0]} at {runner_up[1]:.0f})"
    return Read(best, (doubt,) if score < 100 else ())
