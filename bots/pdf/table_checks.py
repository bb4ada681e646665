"""Cross-checks of a table against its totals: the lines add up, and the totals add up.

Totals are declared in the order they are printed (subtotal, tax..., total). With `sum:` a
column, the lines' cells should add up to the first declared total (or, when it is not
printed, with the totals between to the last: lines + tax = total), and that first total plus
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
    printed = {name: Decimal(str(totals[name])) for name in names
               if totals.get(name) is not None}
    checks: list[dict[str, Any]] = []
    if rule.sum and printed:
        cells = [Decimal(row[rule.sum]) for row in rows if row.get(rule.sum) is not None]
        checks += lines_check(f"lines' {rule.sum}", sum(cells, Decimal(0)), names, printed)
    if len(names) >= 2 and names[0] in printed and names[-1] in printed:
        parts = [name for name in printed if name != names[-1]]
        checks.append(check(f"{' + '.join(parts)} add up to {names[-1]}",
                            sum((printed[name] for name in parts), Decimal(0)),
                            printed[names[-1]]))
    return checks


def lines_check(what: str, lines: Decimal, names: list[str],
                printed: dict[str, Decimal]) -> list[dict[str, Any]]:
    """The lines against the first total, or (that one not printed) plus the totals
    between against the last: lines + tax = total."""
    first, last = names[0], names[-1]
    if first in printed:
        return [check(f"{what} add up to {first}", lines, printed[first])]
    if last not in printed:
        return []
    between = [name for name in printed if name != last]
    found = lines + sum((printed[name] for name in between), Decimal(0))
    return [check(f"{' + '.join([what, *between])} add up to {last}", found, printed[last])]


def check(what: str, found: Decimal, expected: Decimal) -> dict[str, Any]:
    """One check's record: what was compared and whether it holds within a cent."""
    return {"check": what, "ok": abs(found - expected) <= CENT,
            "expected": f"{expected:.2f}", "found": f"{found:.2f}"}
