"""Cross-checks of a table against its totals: the lines add up, and the totals add up.

Totals are declared in the order they are printed (subtotal, tax..., total). With `sum:` a
column, the lines' cells should add up to the first declared total, and that first total plus
the ones printed between should add up to the last (subtotal + tax = total), each within a
cent. A check that cannot be made (a total not printed, no `sum`) is left out, not passed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bots.pdf.table_rule import TableRule

CENT = Decimal("0.01")


def table_checks(rule: TableRule, rows: list[dict[str, Any]],
                 totals: dict[str, str | None]) -> list[dict[str, Any]]:
    """The checks that can be made, each {check, ok, expected, found}."""
    names = list(rule.totals)
    checks: list[dict[str, Any]] = []
    if rule.sum and names and totals.get(names[0]) is not None:
        cells = [Decimal(row[rule.sum]) for row in rows if row.get(rule.sum) is not None]
        checks.append(check(f"lines' {rule.sum} add up to {names[0]}", sum(cells, Decimal(0)),
                            Decimal(str(totals[names[0]]))))
    printed = [name for name in names if totals.get(name) is not None]
    if len(names) >= 2 and printed[:1] == names[:1] and names[-1] in printed:
        parts = printed[:-1]
        found = sum((Decimal(str(totals[name])) for name in parts), Decimal(0))
        checks.append(check(f"{' + '.join(parts)} add up to {names[-1]}", found,
                            Decimal(str(totals[names[-1]]))))
    return checks


def check(what: str, found: Decimal, expected: Decimal) -> dict[str, Any]:
    """One check's record: what was compared and whether it holds within a cent."""
    return {"check": what, "ok": abs(found - expected) <= CENT,
            "expected": f"{expected:.2f}", "found": f"{found:.2f}"}
