"""The ledger's tables: the business record analysts see, beside DBOS's own tables."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

items = sa.Table(
    "bots_items", metadata,
    sa.Column("item_id", sa.String(200), primary_key=True),  # = the DBOS workflow id
    sa.Column("recipe", sa.String(100), nullable=False, index=True),
    sa.Column("recipe_path", sa.Text),  # the recipe file it was queued from, resolved
    sa.Column("recipe_digest", sa.String(64)),  # that file's digest then (recipe version)
    sa.Column("item_key", sa.String(100), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("path", sa.Text, nullable=False, default=""),
    sa.Column("arrived_at", sa.String(40), nullable=False, default=""),
    sa.Column("status", sa.String(20), nullable=False),  # queued, running, done, exception
    sa.Column("code", sa.String(60)),
    sa.Column("message", sa.Text),
    sa.Column("step", sa.String(60)),  # the step that failed
    sa.Column("reference", sa.Text),  # the target system's reference when done
    sa.Column("values_json", sa.Text, nullable=False, default="{}"),
    sa.Column("provenance_json", sa.Text, nullable=False, default="{}"),
    sa.Column("evidence_json", sa.Text, nullable=False, default="{}"),
    sa.Column("outputs_json", sa.Text, nullable=False, default="{}"),
    sa.Column("review_state", sa.String(20), nullable=False, default="open"),  # resolved, rejected
    sa.Column("assignee", sa.String(100)),
    sa.Column("item_json", sa.Text, nullable=False, default="{}"),  # the WorkItem, to run it again
    sa.Column("due_at", sa.String(40)),  # the service goal's deadline, when the recipe sets one
    sa.Column("run_id", sa.String(40)),
    sa.Column("created_at", sa.String(40), nullable=False),
    sa.Column("updated_at", sa.String(40), nullable=False),
)

intents = sa.Table(
    "bots_intents", metadata,
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("step_id", sa.String(60), primary_key=True),
    sa.Column("state", sa.String(20), nullable=False),  # intended, confirmed
    sa.Column("attempts", sa.Integer, nullable=False, default=1),
    sa.Column("intended_at", sa.String(40), nullable=False),
    sa.Column("confirmed_at", sa.String(40)),
    sa.Column("output_json", sa.Text),
    sa.Column("unanswered_at", sa.String(40)),  # when the attempt gave up on its answer
    sa.Column("owner", sa.String(200)),  # the worker that recorded it, and its claim's token
    sa.Column("token", sa.Integer),
)

audit = sa.Table(
    "bots_audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_id", sa.String(200), nullable=False, index=True),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("who", sa.String(100), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("before_json", sa.Text),
    sa.Column("after_json", sa.Text),
    sa.Column("note", sa.Text),
)

events = sa.Table(
    "bots_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("item_id", sa.String(200), nullable=False, index=True),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("event", sa.String(60), nullable=False),
    sa.Column("data_json", sa.Text, nullable=False, default="{}"),
)

runs = sa.Table(
    "bots_runs", metadata,
    sa.Column("run_id", sa.String(40), primary_key=True),
    sa.Column("recipe", sa.String(100), nullable=False),
    sa.Column("started_at", sa.String(40), nullable=False),
    sa.Column("finished_at", sa.String(40)),
    sa.Column("exit_code", sa.Integer),
    sa.Column("summary_json", sa.Text),
    sa.Column("host", sa.String(200)),
    sa.Column("pid", sa.Integer),
)

claims = sa.Table(  # one owner per item at a time, across processes and machines
    "bots_claims", metadata,
    sa.Column("item_id", sa.String(200), primary_key=True),
    sa.Column("owner", sa.String(200)),  # the worker (executor id) working it; NULL when free
    sa.Column("token", sa.Integer, nullable=False, default=0),  # grows with every claim: fencing
    sa.Column("claimed_at", sa.String(40)),
)
