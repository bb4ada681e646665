"""How alike two labels are, the way a person reads them after a vendor rewords a screen.

"Policy Number" and "Policy No.", "Claimant Name" and "Name of claimant", "Amount Claimed" and
"Claim amount" are the same field to a clerk. Labels are compared by their words (order free,
filler words dropped, abbreviations and word stems matched) and by their characters; the
better of the two counts.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

FILLER = frozenset({"of", "the", "a", "an", "for", "to", "in", "your", "on", "de", "du", "la"})
# Two-letter abbreviations no general rule can read; longer ones are read as subsequences.
ABBREVIATIONS = {"no": "number", "nr": "number", "nb": "number", "id": "identifier",
                 "dt": "date", "qt": "quantity", "tx": "tax", "ph": "phone"}
# Words screens use for one thing: a wizard's "Next >" becomes "Continue", "Search" "Find".
SYNONYMS = (
    frozenset({"next", "continue", "proceed", "forward"}),
    frozenset({"back", "previous", "prev", "return"}),
    frozenset({"submit", "send", "save", "register", "file"}),
    frozenset({"search", "find", "lookup", "look", "query", "inquire", "inquiry", "enquire"}),
    frozenset({"cancel", "abort", "discard"}),
    frozenset({"sign", "log", "login", "logon", "signon"}),
    frozenset({"phone", "telephone", "tel", "mobile"}),
    frozenset({"type", "kind", "category", "nature", "class"}),
    frozenset({"description", "details", "remarks", "comments", "notes", "narrative"}),
    frozenset({"amount", "sum", "total", "value"}),
)
SYNONYM_OF = {word: group for group in SYNONYMS for word in group}
MIN_STEM = 4  # "claim" ~ "claimed": a shared start this long, covering most of the shorter


def normalized(text: str | None) -> str:
    """Lower case, single spaces, without a trailing colon or asterisk."""
    plain = re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip().lower()
    return plain.rstrip(":*").strip()


def words(text: str | None) -> list[str]:
    """The meaningful words of a label: letters and digits, filler words dropped."""
    split = re.sub(r"([a-z])([A-Z])", r"\1 \2", text or "")  # policyNumber, txtPolicyNo
    tokens = re.findall(r"[a-z0-9]+", split.lower())
    return [token for token in tokens if token not in FILLER]


def same_word(short: str, long: str) -> bool:
    """Whether two words name the same thing: equal, an abbreviation, or one stem."""
    if short == long:
        return True
    if len(short) > len(long):
        short, long = long, short
    if ABBREVIATIONS.get(short) == long or long in SYNONYM_OF.get(short, ()):
        return True
    if len(short) >= 3 and short[0] == long[0] and _subsequence(short, long):
        return True
    common = len(_shared_start(short, long))
    return common >= MIN_STEM and common >= len(short) - 2


def _subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(letter in letters for letter in short)


def _shared_start(one: str, other: str) -> str:
    size = 0
    while size < min(len(one), len(other)) and one[size] == other[size]:
        size += 1
    return one[:size]


def word_similarity(one: str | None, other: str | None) -> float:
    """Dice coefficient over words matched one to one (0..1)."""
    left, right = words(one), words(other)
    if not left or not right:
        return 0.0
    unmatched = list(right)
    matched = 0
    for word in left:
        partner = next((candidate for candidate in unmatched if same_word(word, candidate)), None)
        if partner is not None:
            unmatched.remove(partner)
            matched += 1
    return 2 * matched / (len(left) + len(right))


def char_similarity(one: str | None, other: str | None) -> float:
    """How much of the two normalized texts is the same characters in order (0..1)."""
    left, right = normalized(one), normalized(other)
    if not left or not right:
        return 0.0
    return SequenceMatcher(None, left, right).ratio()


def label_similarity(one: str | None, other: str | None) -> float:
    """How alike two labels read (0..1): the better of words and characters."""
    if not normalized(one) or not normalized(other):
        return 0.0
    if normalized(one) == normalized(other):
        return 1.0
    return max(word_similarity(one, other), 0.9 * char_similarity(one, other))
