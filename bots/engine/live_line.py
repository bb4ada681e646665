"""The state of a run on one line while it works: items in flight, done, exceptions, waiting.

`claims-intake: 3 in flight · 12 done · 2 exceptions · 5 waiting · 0:42`

On a terminal the line is redrawn in place (carriage return, erase to the end of the line) at
most TICKS_PER_S times a second, and erased before any other line is printed, so that item
lines never mix with it. Where the progress stream is not a terminal (stderr sent to a file
while stdout is one), a carriage return would garble the file: the same text is printed as a
plain line instead, when nothing else was printed for `every_s` seconds, so a slow target
system never leaves the screen silent for long. Runs for schedulers (stdout not a terminal,
JSON lines on stdout) get no live line at all: `Progress` is disabled there.

The count in flight is the items running in this process now (the host's running tasks); the
others are waiting (queued here, or claimed by another worker).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import time
from collections.abc import Callable
from typing import IO

from bots.engine.host import current_host
from bots.kernel import Outcome
from bots.terminal import printable

TICKS_PER_S = 4
EVERY_S = 10.0  # a plain progress line after this long without output (not a terminal)
EVERY_ENV = "BOTS_PROGRESS_EVERY_S"
ERASE = "\r\x1b[K"  # back to the line's start, erase to its end


def items_in_flight() -> int:
    """How many items run in this process right now (0 outside a run)."""
    try:
        host = current_host()
    except asyncio.CancelledError:  # no run, or the run is ending
        return 0
    return sum(not task.done() for task in list(host.running))


class LiveLine:
    """One line that tells how a run stands, redrawn in place or printed now and then."""

    def __init__(self, stream: IO[str], *, in_place: bool, width: int | None = None,
                 in_flight: Callable[[], int] = items_in_flight,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.in_place, self.width = stream, in_place, width
        self.in_flight, self.clock = in_flight, clock
        self.every_s = float(os.environ.get(EVERY_ENV) or EVERY_S)
        self.recipe, self.total, self.done, self.exceptions, self.waiting = "", 0, 0, 0, 0
        self.started = self.quiet_since = clock()
        self.drawn = ""  # the text on screen now (in place), "" when none
        self._ticker: asyncio.Task[None] | None = None

    def start(self, recipe: str, total: int) -> None:
        """Begin: refreshed from the running event loop (none: only when lines are printed)."""
        self.recipe, self.total, self.waiting = recipe, total, total
        self.started = self.quiet_since = self.clock()
        with contextlib.suppress(RuntimeError):  # no running loop: nothing ticks
            self._ticker = asyncio.get_running_loop().create_task(self._tick_on())

    def count(self, outcome: Outcome) -> None:
        """An item ended: counted as done or as an exception."""
        if outcome.is_done:
            self.done += 1
        else:
            self.exceptions += 1
        if self.done + self.exceptions >= self.total:
            self.stop()

    def text(self) -> str:
        """The line: in flight, done, exceptions, waiting, time since the start.

        Waiting never grows during a run: an item whose task has just ended is still in
        flight until its outcome is counted (a moment later), not back in the queue.
        """
        ended = self.done + self.exceptions
        self.waiting = min(self.waiting, max(self.total - ended - self.in_flight(), 0))
        running = self.total - ended - self.waiting
        minutes, seconds = divmod(int(self.clock() - self.started), 60)
        return printable(f"{self.recipe}: {running} in flight · {self.done} done · "
                         f"{self.exceptions} exception{'s' if self.exceptions != 1 else ''} · "
                         f"{self.waiting} waiting · {minutes}:{seconds:02d}")

    def erase(self) -> None:
        """Before another line is printed: the live line goes (it comes back after it)."""
        if self.drawn:
            self.stream.write(ERASE)
            self.drawn = ""

    def printed(self) -> None:
        """Another line was printed: the quiet time starts again; in place, redraw at once."""
        self.quiet_since = self.clock()
        if self.in_place and self._ticker is not None:
            self.draw()

    def tick(self) -> None:
        """One refresh: redraw a changed line in place, or a plain line after a quiet spell."""
        if self.in_place:
            self.draw()
        elif self.clock() - self.quiet_since >= self.every_s:
            print(self.text(), file=self.stream, flush=True)
            self.quiet_since = self.clock()

    def draw(self) -> None:
        text = self._fitted(self.text())
        if text != self.drawn:
            self.stream.write(ERASE + text)
            self.stream.flush()
            self.drawn = text

    def stop(self) -> None:
        """No more refreshes; the line erased."""
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        self.erase()
        self.stream.flush()

    async def _tick_on(self) -> None:
        while True:
            await asyncio.sleep(1 / TICKS_PER_S)
            self.tick()

    def _fitted(self, text: str) -> str:
        """The text within the terminal's width now (a wrapped line cannot be redrawn)."""
        width = self.width or shutil.get_terminal_size().columns
        return text if len(text) < width else text[:max(width - 2, 1)] + "…"
