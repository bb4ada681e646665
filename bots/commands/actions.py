"""`exceptions retry|resolve|reject|assign|comment ID`: an analyst's actions from the shell."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bots import log
from bots.commands.common import database_url, fail, print_json, say, state_dir
from bots.engine.batch import RunOptions, new_run_id
from bots.engine.progress import describe
from bots.engine.resubmit import parse_corrections, retry_item
from bots.engine.summary import EXIT_OK
from bots.kernel.errors import BotError
from bots.ledger import Ledger, actions
from bots.secrets import load_dotenv

EXIT_REFUSED = 2


def act(args: argparse.Namespace) -> int:
    """Do one action on one item; 0 when done, 2 when refused (with the reason)."""
    try:
        if args.action == "retry":
            return _retry(args)
        _close_or_annotate(args)
    except BotError as error:
        fail(error.message)
        return EXIT_REFUSED
    print(f"{args.action}: done")
    return EXIT_OK


def _close_or_annotate(args: argparse.Namespace) -> None:
    ledger = Ledger(database_url())
    try:
        if args.action == "resolve":
            actions.resolve(ledger, args.item, args.who, args.reference or "", args.note)
        elif args.action == "reject":
            actions.reject(ledger, args.item, args.who, args.reason or "")
        elif args.action == "assign":
            actions.assign(ledger, args.item, args.who, args.to or args.who)
        else:
            actions.comment(ledger, args.item, args.who, args.text or "")
    finally:
        ledger.close()


def _retry(args: argparse.Namespace) -> int:
    load_dotenv(Path(".env"))
    run_id = new_run_id()
    folder = state_dir()
    handle = log.configure(folder / "logs" / f"retry-{run_id}.jsonl", to_stdout=False)
    options = RunOptions(state_dir=folder, database_url=database_url(), run_id=run_id)
    try:
        outcome = asyncio.run(retry_item(args.item, args.who, parse_corrections(args.set),
                                         options))
    finally:
        if handle:
            handle.close()
    if args.json:
        print_json(outcome.as_data())
    else:
        say(f"retry: {describe(outcome)}")
    return EXIT_OK if outcome.is_done else 1
