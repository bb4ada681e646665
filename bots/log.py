"""Structured logs: JSON lines to a file per run and to stdout when it is not a terminal.

Every event carries a timestamp and level; the engine adds run id, item id and step id. Secrets
are masked by a processor before anything is rendered, so no sink ever sees them.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import structlog

from bots.secrets import redact_data

QUIET_LIBRARIES = ("pypdf", "pdfminer", "dbos")


class TeeLogger:
    """A structlog logger that writes each rendered line to several streams."""

    def __init__(self, streams: list[IO[str]]) -> None:
        self.streams = streams

    def msg(self, message: str) -> None:
        for stream in list(self.streams):
            try:
                stream.write(message + "\n")
                stream.flush()
            except BrokenPipeError:  # stdout's reader left (`| head`): the run goes on
                self.streams.remove(stream)

    log = debug = info = warning = warn = error = critical = exception = msg


def redact_event(_logger: Any, _method: str, event: MutableMapping[str, Any]) -> Any:
    """Mask every registered secret in every value of the event."""
    return redact_data(event)


def configure(log_file: Path | None, *, to_stdout: bool | None = None) -> IO[str] | None:
    """Send JSON events to `log_file` (opened for append) and, off a terminal, to stdout."""
    streams: list[IO[str]] = []
    handle = None
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handle = log_file.open("a", encoding="utf-8")
        streams.append(handle)
    if to_stdout if to_stdout is not None else not sys.stdout.isatty():
        streams.append(sys.stdout)
    for noisy in QUIET_LIBRARIES:  # they print repair notes for damaged PDFs on stderr
        logging.getLogger(noisy).setLevel(logging.ERROR)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            redact_event,
            structlog.processors.JSONRenderer(default=str),
        ],
        logger_factory=lambda *_: TeeLogger(streams),
        cache_logger_on_first_use=False,
    )
    return handle


def append_event(handle: IO[str], event: MutableMapping[str, Any]) -> None:
    """Write one event to a log file only (not the stdout tee): the run's closing summary,
    which stdout gets once, as its last line, from the command itself."""
    stamped = {**event, "level": "info",
               "timestamp": datetime.now(UTC).isoformat().replace("+00:00", "Z")}
    handle.write(json.dumps(redact_data(stamped), default=str) + "\n")
    handle.flush()
