"""The fields pdf.extract_fields gives, read off its `with:` as written (for recipe checks).

Besides each layout's own fields, a rule may give side outputs: an amount its currency (in
`currency_field`, "currency" by default), a table its totals (`totals:` names), an
`einvoice:` the fields it maps. Every value is plain (a text, a number, a list of rows);
the underscore keys (`_provenance` ...) hold structures.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bots.kernel.outputs import VALUE, Outputs, keys

EXTRAS = ("_layout", "_provenance", "_confidence", "_checks", "_einvoice")


def extraction_outputs(values: Mapping[str, Any]) -> Outputs:
    """Every layout's fields (which one applies is known per document), an amount's currency,
    a table's totals; `_layout`, `_provenance`, `_confidence`, `_checks`, `_einvoice`."""
    names: list[str] = []
    for layout in values.get("layouts") or []:
        fields = keys(layout, "fields")
        names += list(fields)
        names += list(keys(layout.get("einvoice") or {}, "fields"))
        names += [name for rules in fields.values() for rule in _alternatives(rules)
                  for name in _side_outputs(rule)]
    return Outputs.named(names, inside=VALUE).union(Outputs.named(EXTRAS))


def _alternatives(rules: Any) -> list[Any]:
    """A field's rule, or its list of alternative rules."""
    return rules if isinstance(rules, list) else [rules]


def _side_outputs(rule: Any) -> Iterator[str]:
    """The outputs a rule gives besides its own field."""
    if not isinstance(rule, Mapping):
        return
    if rule.get("type") == "amount":
        yield str(rule.get("currency_field") or "currency")
    table = rule.get("table")
    if isinstance(table, Mapping):
        yield from (str(name) for name in keys(table, "totals"))
