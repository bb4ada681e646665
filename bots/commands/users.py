"""`users`: the review page's local accounts: add, list, passwd, role, disable, enable.

A password is asked twice on the terminal; scripts pass it on stdin (`--password-stdin`) or in
BOTS_USER_PASSWORD. It is never an argument (it would sit in the shell history and `ps`).
"""

from __future__ import annotations

import getpass
import os
import sys

from bots.commands.common import database_url, fail, print_json, say
from bots.ledger import Ledger, people

PASSWORD_ENV = "BOTS_USER_PASSWORD"
EXIT_REFUSED = 2
ACTIONS = ("list", "add", "passwd", "role", "disable", "enable")


def users(action: str, name: str | None = None, role: str | None = None, *,
          password_stdin: bool = False, as_json: bool = False) -> int:
    """Run one account action; 0 when done, 2 when refused (the message says why)."""
    if action != "list" and not name:
        fail(f"`users {action}` needs the account's name, e.g. `users {action} maria`")
        return EXIT_REFUSED
    ledger = Ledger(database_url())
    try:
        return _act(ledger, action, name or "", role, password_stdin, as_json)
    except people.PeopleError as error:
        fail(str(error))
        return EXIT_REFUSED
    finally:
        ledger.close()


def _act(ledger: Ledger, action: str, name: str, role: str | None, password_stdin: bool,
         as_json: bool) -> int:
    engine = ledger.engine
    if action == "list":
        return _list(ledger, as_json)
    if action == "add":
        people.check_name(name)
        people.add_user(engine, name, people.check_role(role or "analyst"),
                        _password(password_stdin))
        say(f"Account '{name}' added as {role or 'analyst'}; it can sign on to the review page.")
    elif action == "passwd":
        _must_exist(ledger, name)
        people.set_password(engine, name, _password(password_stdin))
        say(f"Password of '{name}' changed; its open sessions have ended.")
    elif action == "role":
        people.set_role(engine, name, people.check_role(role or ""))
        say(f"'{name}' is now {role}; its open sessions have ended.")
    else:
        people.set_disabled(engine, name, action == "disable")
        say(f"Account '{name}' {action}d." + (" Its sessions have ended."
                                              if action == "disable" else ""))
    return 0


def _list(ledger: Ledger, as_json: bool) -> int:
    found = people.accounts(ledger.engine)
    if as_json:
        print_json([{"name": a.name, "role": a.role, "disabled": a.disabled} for a in found])
    elif not found:
        say("No accounts yet: add one with `python runner.py users add NAME --role supervisor`.")
    for account in [] if as_json else found:
        say(f"{account.name:<24} {account.role:<11} {'disabled' if account.disabled else ''}")
    return 0


def _must_exist(ledger: Ledger, name: str) -> None:
    if people.find_account(ledger.engine, name) is None:
        raise people.PeopleError(f"no account named '{name}' (see `users list`)")


def _password(from_stdin: bool) -> str:
    """The new password: stdin's first line, BOTS_USER_PASSWORD, or asked twice on a terminal."""
    if from_stdin:
        return people.check_password(sys.stdin.readline().rstrip("\r\n"))
    if os.environ.get(PASSWORD_ENV):
        return people.check_password(os.environ[PASSWORD_ENV])
    if not sys.stdin.isatty():
        raise people.PeopleError(f"no terminal to ask the password on: pipe it with "
                                 f"--password-stdin or set {PASSWORD_ENV}")
    first = people.check_password(getpass.getpass("Password: "))
    if getpass.getpass("Same password again: ") != first:
        raise people.PeopleError("the two passwords differ; nothing was changed")
    return first
