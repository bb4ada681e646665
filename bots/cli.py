"""The command line: `python runner.py RECIPE` runs a recipe; other commands inspect and help."""

from __future__ import annotations

import argparse
import os
from typing import Any

from bots.engine.summary import EXIT_CODES

COMMANDS = ("run", "check", "exceptions", "steps", "demo", "setup", "review", "sla", "heal",
            "pdf", "try", "users")


def parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per door into the toolkit."""
    codes = "\n".join(f"  {code:>3}  {meaning}" for code, meaning in EXIT_CODES.items())
    main = argparse.ArgumentParser(
        prog="python runner.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Back-office bots: run a recipe over its inbox, or inspect the results.",
        epilog=f"`python runner.py RECIPE` is short for `python runner.py run RECIPE`.\n\n"
               f"exit codes of a run:\n{codes}")
    commands = main.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a recipe over every item of its inbox")
    run.add_argument("recipe", help="a recipe name (recipes/NAME.yaml) or a recipe file")
    run.add_argument("--concurrency", type=int, help="items at once (default: the recipe's)")
    run.add_argument("--dry-run", action="store_true",
                     help="do everything but the final submit of each item")
    run.add_argument("--no-heal", action="store_true",
                     help="never re-find a field or button the screen lost (docs/healing.md)")
    check = commands.add_parser("check", help="validate a recipe: every problem, file:line:col")
    check.add_argument("recipe")
    check.add_argument("--offline", action="store_true", help="the recipe alone: skip its "
                       "files, sheet columns and environment variables")
    exceptions = commands.add_parser(
        "exceptions", help="the exception queue: list, show, retry, resolve, reject, assign, "
        "comment")
    exceptions.add_argument("action", nargs="?", default="list", choices=(
        "list", "show", "retry", "resolve", "reject", "assign", "comment"))
    exceptions.add_argument("item", nargs="?", help="the item's ID (from the list)")
    exceptions.add_argument("--recipe", help="list, retry --all: only this recipe's items")
    exceptions.add_argument("--all", action="store_true", help="retry: every open exception "
                            "(of --recipe, with a --code), e.g. after a rule change")
    exceptions.add_argument("--code", action="extend", nargs="+", metavar="CODE",
                            help="list, retry --all: only items with this code (several allowed)")
    exceptions.add_argument("--json", action="store_true", help="JSON for machines")
    exceptions.add_argument("--set", action="append", default=[], metavar="STEP.FIELD=VALUE",
                            help="retry: a corrected value (repeatable)")
    exceptions.add_argument("--reference", help="resolve: the reference keyed by hand")
    exceptions.add_argument("--reason", help="reject: why")
    exceptions.add_argument("--to", help="assign: who takes the item")
    exceptions.add_argument("--text", help="comment: the comment")
    exceptions.add_argument("--note", default="", help="resolve: a note for the audit trail")
    exceptions.add_argument("--who", default=os.environ.get("USER", "cli"),
                            help="who acts (for the audit trail; default $USER)")
    steps = commands.add_parser("steps", help="the step types recipes can use")
    steps.add_argument("name", nargs="?", help="one step type, in full")
    steps.add_argument("--markdown", action="store_true",
                       help="the whole reference as Markdown (docs/steps.md is made with it)")
    demo = commands.add_parser("demo", help="start the fixture legacy app and run a recipe on "
                               "the bundled fixtures (default: claims-intake)")
    demo.add_argument("recipe", nargs="?", default="claims-intake")
    demo.add_argument("--concurrency", type=int)
    demo.add_argument("--dry-run", action="store_true")
    commands.add_parser("setup", help="install dependencies and a browser (done on first use)")
    _review_parsers(commands)
    sla = commands.add_parser("sla", help="service goals: items on time, at risk, breached")
    sla.add_argument("--recipe", help="only this recipe")
    sla.add_argument("--json", action="store_true", help="JSON for machines")
    _heal_parser(commands)
    _author_parsers(commands)
    return main


def _author_parsers(commands: Any) -> None:
    """`pdf show` and `try`: the tools of people writing extraction rules (docs/documents.md)."""
    pdf = commands.add_parser("pdf", help="see a PDF as the extraction rules see it")
    pdf.add_argument("action", choices=("show",))
    pdf.add_argument("file", help="the PDF")
    pdf.add_argument("--page", type=int, help="only this page (1 is the first, -1 the last)")
    pdf.add_argument("--json", action="store_true", help="JSON for machines")
    pdf.add_argument("--png", metavar="OUT", help="also draw the page (the first shown) with "
                     "its word boxes and line numbers to OUT")
    pdf.add_argument("--ocr", nargs="?", const="eng", metavar="LANGS", help="read pages "
                     "without a text layer through OCR, in these Tesseract languages "
                     "(default eng; e.g. --ocr eng,deu)")
    tried = commands.add_parser("try", help="run one pdf step's rules on one file: values, "
                                "provenance, confidence, every problem; nothing recorded")
    tried.add_argument("recipe", help="a recipe name (recipes/NAME.yaml) or a recipe file")
    tried.add_argument("file", nargs="+", help="the PDF to try the rules on (several, or a "
                       "folder: a line per file)")
    tried.add_argument("--step", help="the step's id (default: the recipe's first pdf step)")
    tried.add_argument("--png", metavar="OUT", help="one file: also draw each page that holds "
                       "a value, a labelled box round each value, to OUT (OUT-pN.png)")
    tried.add_argument("--json", action="store_true", help="JSON for machines")


def _review_parsers(commands: Any) -> None:
    """`review` and `users`: the analysts' page and the accounts that sign on to it."""
    review = commands.add_parser("review", help="the analysts' web page (on 127.0.0.1)")
    review.add_argument("--host", default="127.0.0.1",
                        help="address to bind; anything but loopback requires BOTS_REVIEW_TOKEN")
    review.add_argument("--port", type=int, default=8765)
    review.add_argument("--trust-proxy-header", metavar="HEADER", help="take the signed-on "
                        "person from this header set by a reverse proxy (e.g. X-Forwarded-User)")
    review.add_argument("--proxy-address", action="append", metavar="ADDR", help="the proxy's "
                        "address: the header is ignored from any other (default 127.0.0.1, ::1)")
    review.add_argument("--proxy-role-header", metavar="HEADER", help="the role of a person "
                        "the users table does not know, from this proxy header")
    users = commands.add_parser("users", help="accounts of the review page: list, add, passwd, "
                                "role, disable, enable")
    users.add_argument("action", nargs="?", default="list",
                       choices=("list", "add", "passwd", "role", "disable", "enable"))
    users.add_argument("name", nargs="?", help="the account's name")
    users.add_argument("new_role", nargs="?", metavar="ROLE", help="role: analyst or supervisor")
    users.add_argument("--role", help="add: analyst (default) or supervisor")
    users.add_argument("--password-stdin", action="store_true",
                       help="add, passwd: read the password from stdin's first line")
    users.add_argument("--json", action="store_true", help="list: JSON for machines")


def _heal_parser(commands: Any) -> None:
    heal = commands.add_parser("heal", help="recipe changes proposed by healing: list, show, "
                               "accept (rewrites the recipe), reject")
    heal.add_argument("action", nargs="?", default="list",
                      choices=("list", "show", "accept", "reject"))
    heal.add_argument("target", nargs="?", help="list: a recipe name; else the proposal's ID")
    heal.add_argument("--all", action="store_true", help="list: accepted and rejected too")
    heal.add_argument("--json", action="store_true", help="JSON for machines")
    heal.add_argument("--recipe", help="accept: the recipe file to change (default: the one "
                      "the last run read)")
    heal.add_argument("--reason", default="", help="reject: why")


def main(argv: list[str]) -> int:
    """Parse the arguments and run the command; the process exit code."""
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        argv = ["run", *argv]
    args = parser().parse_args(argv)
    return dispatch(args)


def dispatch(args: argparse.Namespace) -> int:
    if args.command == "run":
        from bots.commands.run import run

        return run(args.recipe, concurrency=args.concurrency, dry_run=args.dry_run,
                   heal=not args.no_heal)
    if args.command == "check":
        from bots.commands.check import check

        return check(args.recipe, offline=args.offline)
    if args.command in ("exceptions", "heal", "pdf", "try"):
        return _with_actions(args)
    if args.command == "steps":
        from bots.commands.steps import list_steps, reference

        if args.markdown:
            print(reference(), end="")
            return 0
        return list_steps(args.name)
    if args.command == "demo":
        from bots.commands.demo import demo

        return demo(args.recipe, concurrency=args.concurrency, dry_run=args.dry_run)
    if args.command == "review":
        from bots.commands.review import review

        return review(host=args.host, port=args.port, proxy_header=args.trust_proxy_header,
                      proxy_addresses=args.proxy_address, proxy_role_header=args.proxy_role_header)
    if args.command == "users":
        from bots.commands.users import users

        return users(args.action, args.name, args.role or args.new_role,
                     password_stdin=args.password_stdin, as_json=args.json)
    if args.command == "sla":
        from bots.commands.sla import sla

        return sla(recipe=args.recipe, as_json=args.json)
    from bots.commands.setup import report_setup

    return report_setup()


def _with_actions(args: argparse.Namespace) -> int:
    """The commands whose first argument is an action or that have helpers of their own."""
    if args.command == "exceptions":
        return _exceptions(args)
    if args.command == "heal":
        return _heal(args)
    return _author(args)


def _author(args: argparse.Namespace) -> int:
    if args.command == "pdf":
        from bots.commands.pdf_show import show_pdf

        return show_pdf(args.file, page=args.page, as_json=args.json, png=args.png,
                        ocr=args.ocr)
    from bots.commands.try_step import try_step

    return try_step(args.recipe, args.file, step_id=args.step, as_json=args.json,
                    png=args.png)


def _retry_all(args: argparse.Namespace) -> int:
    from bots.commands.exceptions_retry import retry_all

    if args.action != "retry" or args.item or args.set or not args.all:
        print("usage: python runner.py exceptions retry --all [--recipe R] [--code CODE ...] "
              "(no ID, no --set: each item is retried as it is)")
        return 2
    return retry_all(recipe=args.recipe, codes=args.code, who=args.who, as_json=args.json)


def _heal(args: argparse.Namespace) -> int:
    from bots.commands import heal

    if args.action == "list":
        return heal.list_proposals(args.target, every=args.all, as_json=args.json)
    if not args.target:
        print(f"usage: python runner.py heal {args.action} ID")
        return 2
    if args.action == "show":
        return heal.show_proposal(args.target, as_json=args.json)
    if args.action == "accept":
        return heal.accept(args.target, recipe_file=args.recipe)
    return heal.reject(args.target, reason=args.reason)


def _exceptions(args: argparse.Namespace) -> int:
    from bots.commands.exception_show import show_exception
    from bots.commands.exceptions import list_exceptions

    if args.action == "list":
        return list_exceptions(recipe=args.recipe, as_json=args.json, codes=args.code)
    if args.all or args.code:
        return _retry_all(args)
    if not args.item:
        print(f"usage: python runner.py exceptions {args.action} ID ...")
        return 2
    if args.action == "show":
        return show_exception(args.item, as_json=args.json)
    from bots.commands.actions import act

    return act(args)
