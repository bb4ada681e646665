"""`heal`: the recipe changes healing proposed; list, show, accept (rewrites the recipe), reject.

    python runner.py heal list [RECIPE] [--all]
    python runner.py heal show ID
    python runner.py heal accept ID [--recipe FILE]
    python runner.py heal reject ID [--reason TEXT]

Exit codes: 0 done, 2 an unknown proposal id or recipe, or a change that cannot be made.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bots.commands.common import fail, print_json, say, state_dir
from bots.kernel.errors import BotError, RecipeError
from bots.recipe import find_recipe
from bots.web.heal.proposals import proposals, set_status
from bots.web.heal.rewrite import rewrite_recipe
from bots.web.heal.store import HealStore, all_stores

EXIT_UNKNOWN = 2


def list_proposals(recipe: str | None = None, *, every: bool = False,
                   as_json: bool = False) -> int:
    """Print the pending proposals (all of them with `every`), of one recipe or all."""
    stores = all_stores(state_dir())
    if recipe:
        stores = [store for store in stores if store.recipe == recipe]
        if not stores and not _known_recipe(recipe):
            fail(f"no recipe named '{recipe}' has healed anything here ({state_dir()})")
            return EXIT_UNKNOWN
    found = [p for store in stores for p in proposals(store)
             if every or p.get("status") == "pending"]
    if as_json:
        print_json(found)
    elif not found:
        say("No proposed recipe changes." if every else "No pending proposals.")
    else:
        _table(found)
    return 0


def _table(found: list[dict[str, Any]]) -> None:
    say(f"{'ID':<9} {'RECIPE':<16} {'STEP':<10} {'CHANGE':<52} {'COUNT':>5}  STATUS")
    for p in found:
        change = f"{p['what']} '{p['name']}' -> {_new(p)}"
        say(f"{p['id']:<9} {p['recipe']:<16} {p['step']:<10} {change:<52} {p['count']:>5}  "
            f"{p['status']}")
    say(f"\n{len(found)} proposal(s). Details: python runner.py heal show ID; "
        "then heal accept ID or heal reject ID")


def _new(proposal: dict[str, Any]) -> str:
    if proposal.get("new_label"):
        return f"'{proposal['new_label']}'"
    return f"selector {proposal.get('selector') or '(none: edit by hand)'}"


def show_proposal(ident: str, *, as_json: bool = False) -> int:
    """Print one proposal: the change, how sure, the items, the evidence."""
    found = _find(ident)
    if found is None:
        return EXIT_UNKNOWN
    _, proposal = found
    if as_json:
        print_json(proposal)
        return 0
    say(f"Proposal  {proposal['id']}  ({proposal['status']})  recipe {proposal['recipe']}, "
        f"step '{proposal['step']}'\n"
        f"Change    {proposal['what']} '{proposal['name']}' -> {_new(proposal)}\n"
        f"Was       '{proposal.get('old_label') or '?'}' on the screen at its last success\n"
        f"Score     {proposal['score']:.2f} (runner-up {proposal['runner_up']:.2f})\n"
        f"Seen      {proposal['count']} time(s), {proposal['first_seen']} .. "
        f"{proposal.get('last_seen', '')}\n"
        f"Worked    for {', '.join(proposal.get('items_worked') or []) or 'no item yet'}\n"
        f"Evidence  {json.dumps(proposal.get('evidence') or {})}")
    return 0


def accept(ident: str, *, recipe_file: str | None = None) -> int:
    """Write the proposal into the recipe file and keep the fingerprints under the new name."""
    found = _find(ident)
    if found is None:
        return EXIT_UNKNOWN
    store, proposal = found
    path = Path(recipe_file) if recipe_file else _recipe_path(store)
    if path is None:
        return EXIT_UNKNOWN
    try:
        places = rewrite_recipe(path, proposal)
    except BotError as error:
        fail(error.message)
        return EXIT_UNKNOWN
    if proposal.get("new_label"):
        store.rekey(proposal["step"], proposal["what"], proposal["name"], proposal["new_label"])
    set_status(store, proposal, "accepted", recipe_file=str(path))
    say(f"accepted {proposal['id']}: {path} step '{proposal['step']}' now names the "
        f"{proposal['what']} {_new(proposal)} ({places} place(s) changed)")
    return 0


def reject(ident: str, *, reason: str = "") -> int:
    """Mark a proposal rejected: the recipe stays as it is."""
    found = _find(ident)
    if found is None:
        return EXIT_UNKNOWN
    store, proposal = found
    set_status(store, proposal, "rejected", reason=reason)
    say(f"rejected {proposal['id']}: the recipe is left as it is")
    return 0


def _find(ident: str) -> tuple[HealStore, dict[str, Any]] | None:
    """The one proposal whose id starts with `ident`; a clear message otherwise."""
    matches = [(store, p) for store in all_stores(state_dir()) for p in proposals(store)
               if str(p.get("id", "")).startswith(ident)] if ident else []
    if len(matches) == 1:
        return matches[0]
    fail(f"{'no proposal' if not matches else 'several proposals'} match '{ident}'; "
         "use an ID from `python runner.py heal list --all`")
    return None


def _recipe_path(store: HealStore) -> Path | None:
    """The recipe file the last run read, else recipes/<name>.yaml."""
    path = store.recipe_file()
    if path is not None and path.is_file():
        return path
    try:
        return find_recipe(store.recipe)
    except RecipeError:
        fail(f"cannot find the recipe file of '{store.recipe}'; name it with --recipe FILE")
        return None


def _known_recipe(name: str) -> bool:
    try:
        find_recipe(name)
    except RecipeError:
        return False
    return True
