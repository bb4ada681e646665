"""Items/s of one runner process against several worker processes on one PostgreSQL database.

    .venv/bin/python -m bench.workers [--claims 60] [--workers 3] [--concurrency 6]
                                      [--server postgresql://root@127.0.0.1:5432]

Generated claims (fixtures.make_soak) go through claims-intake twice, each time on a new
database created on the server and dropped after: once by one runner process, then by
`--workers` processes started together, each with its own state folder and worker id, as on
several machines. The recipe's concurrency is global, so both runs may have the same number of
items in flight. After each run the legacy app must hold every claim exactly once. Nothing here
asserts a time; the numbers are printed.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run_bench import DROPPED_ENV, BenchError  # noqa: E402
from fixtures.legacy_app.launch import LegacyApp, launch  # noqa: E402
from fixtures.make_soak import write_claims  # noqa: E402
from fixtures.recipe_copy import claims_copy  # noqa: E402

CREDENTIALS = {"LEGACY_USER": "bench.clerk", "LEGACY_PASSWORD": "pw-" + secrets.token_hex(8)}


def worker_env(app: LegacyApp, state: Path, database: str, worker: str) -> dict[str, str]:
    """One worker's environment: the app, a state folder of its own, the shared database."""
    env = {name: value for name, value in os.environ.items() if name not in DROPPED_ENV}
    return {**env, **CREDENTIALS, "LEGACY_URL": app.url, "BOTS_STATE_DIR": str(state),
            "BOTS_ISOLATE_NETWORK": "1", "BOTS_DATABASE_URL": database, "BOTS_WORKER_ID": worker}


def timed_run(app: LegacyApp, recipe: Path, database: str, workers: int, work: Path) -> float:
    """Seconds for `workers` processes to finish the batch together."""
    started = time.monotonic()
    processes = [subprocess.Popen(
        [sys.executable, "runner.py", str(recipe)], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=worker_env(app, work / f"{workers}-{n}", database, f"bench-{workers}-{n}"))
        for n in range(workers)]
    codes = [process.wait() for process in processes]
    elapsed = time.monotonic() - started
    if any(codes):
        raise BenchError(f"a worker exited with {codes}")
    return elapsed


def keyed_once(app: LegacyApp, count: int) -> None:
    """Every claim in the app exactly once, or the run did other work than the one compared."""
    refs = Counter(claim["external_ref"] for claim in app.claims())
    if len(refs) != count or set(refs.values()) != {1}:
        raise BenchError(f"expected {count} claims keyed once, found {dict(refs)}")


def measure(app: LegacyApp, args: argparse.Namespace, work: Path, workers: int) -> float:
    """Items/s of one batch run by `workers` processes on a database of its own."""
    import psycopg

    name = f"bots_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            recipe = claims_copy(work, work / "inbox", "claims-bench.yaml", service_goal=False,
                                 concurrency=args.concurrency)
            elapsed = timed_run(app, recipe, f"{args.server}/{name}", workers, work)
            keyed_once(app, args.claims)
        finally:
            app.reset()
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    return args.claims / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.workers", description=__doc__)
    parser.add_argument("--claims", type=int, default=60)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--server", default="postgresql://root@127.0.0.1:5432")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as folder, \
            launch(env=CREDENTIALS) as app:
        work = Path(folder)
        write_claims(work / "inbox", args.claims)
        rates = {n: measure(app, args, work, n) for n in (1, args.workers)}
    print(f"{args.claims} claims, global concurrency {args.concurrency}, {os.cpu_count()} cores:")
    for workers, rate in rates.items():
        print(f"  {workers} process(es): {rate:.2f} items/s")
    print(f"  {args.workers} workers / 1 process: {rates[args.workers] / rates[1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
