"""The ledger's database: its engine, its tables, and the columns newer versions introduced."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from bots.ledger import people as _people  # noqa: F401  (its users table joins metadata)
from bots.ledger.tables import metadata


def make_engine(url: str) -> sa.Engine:
    """A SQLAlchemy engine; SQLite gets WAL and a busy timeout so processes can share it."""
    if not url.startswith("sqlite"):
        if url.startswith(("postgresql://", "postgres://")):  # psycopg 3, as DBOS uses
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return sa.create_engine(url, pool_pre_ping=True)
    engine = sa.create_engine(url, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def ensure_schema(engine: sa.Engine) -> None:
    """Create missing tables, then add any missing columns (state databases outlive versions).

    Several workers may start at once on one PostgreSQL database: they take turns under a
    transaction-scoped advisory lock, so no two create the same table.
    """
    with engine.begin() as db:
        if engine.dialect.name == "postgresql":
            db.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('bots-ledger-schema'))"))
        metadata.create_all(db)
        inspector = sa.inspect(db)
        for table in metadata.sorted_tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present:
                    db.execute(sa.text(_add_column(engine, table.name, column)))


def _add_column(engine: sa.Engine, table: str, column: sa.Column[Any]) -> str:
    kind = column.type.compile(dialect=engine.dialect)
    default = column.default.arg if column.default is not None else None  # type: ignore[attr-defined]
    suffix = f" DEFAULT '{default}'" if isinstance(default, str) else ""
    suffix += " NOT NULL" if not column.nullable and suffix else ""
    return f'ALTER TABLE {table} ADD COLUMN "{column.name}" {kind}{suffix}'
