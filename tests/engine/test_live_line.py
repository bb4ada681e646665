"""The live line's rules (pure logic, a clock of our own): what it says, that it is erased
before an item line, that a non-terminal gets a plain line only after a quiet spell, and that a
disabled Progress (a scheduler's run) prints nothing of it."""

from __future__ import annotations

import asyncio
import io

from bots.engine.live_line import ERASE, LiveLine
from bots.engine.progress import Progress
from bots.kernel import Outcome, WorkItem


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_line_counts_in_flight_done_exceptions_and_waiting() -> None:
    clock, running = Clock(), [3]
    line = LiveLine(io.StringIO(), in_place=True, width=120, in_flight=lambda: running[0],
                    clock=clock)
    line.start("claims-intake", 22)
    for _ in range(12):
        line.count(Outcome.done({}, {}, {}))
    line.count(Outcome.failed({"code": "X", "message": "m"}, "s", {}, {}))
    line.count(Outcome.failed({"code": "X", "message": "m"}, "s", {}, {}))
    clock.now += 42
    assert line.text() == "claims-intake: 3 in flight · 12 done · 2 exceptions · 5 waiting · 0:42"
    running[0] = 0  # an item's task ended, its outcome not counted yet: still in flight
    assert "3 in flight · 12 done · 2 exceptions · 5 waiting" in line.text()


def test_in_place_the_line_is_erased_before_an_item_line_and_at_the_end() -> None:
    async def run() -> str:
        stream = io.StringIO()
        progress = Progress(True, stream, width=100)
        assert progress.live is not None
        progress.live.in_place = True
        progress.live.in_flight = lambda: 1
        progress.start("claims-intake", 2)
        await asyncio.sleep(0.3)  # a tick draws the line
        progress.item_finished(WorkItem(key="k", name="claim-01.pdf"),
                               Outcome.done({}, {}, {}), earlier=False)
        progress.item_finished(WorkItem(key="j", name="claim-02.pdf"),
                               Outcome.done({}, {}, {}), earlier=False)
        await asyncio.sleep(0.3)
        progress.close()
        return stream.getvalue()

    printed = asyncio.run(run())
    assert printed.count(ERASE + "claims-intake: 1 in flight · 0 done") == 1
    assert f"1 waiting · 0:00{ERASE}[1/2] claim-01.pdf" in printed  # erased, then the item
    last = printed.rsplit(ERASE, 1)[1]  # all counted: the line erased for good
    assert last.startswith("[2/2] claim-02.pdf") and last.endswith(" done\n")


def test_off_a_terminal_a_plain_line_comes_only_after_a_quiet_spell() -> None:
    stream, clock = io.StringIO(), Clock()
    line = LiveLine(stream, in_place=False, in_flight=lambda: 2, clock=clock)
    line.every_s = 10
    line.start("order-entry", 5)
    clock.now += 9
    line.tick()
    assert stream.getvalue() == ""
    clock.now += 1
    line.tick()
    line.tick()
    said = "order-entry: 2 in flight · 0 done · 0 exceptions · 3 waiting · 0:10\n"
    assert stream.getvalue() == said
    line.printed()  # an item line was printed: the silence starts again
    clock.now += 5
    line.tick()
    assert stream.getvalue().count("\n") == 1 and "\r" not in stream.getvalue()


def test_a_disabled_progress_has_no_live_line() -> None:
    async def run() -> str:
        stream = io.StringIO()
        progress = Progress(False, stream)
        progress.start("claims-intake", 3)
        await asyncio.sleep(0.3)
        progress.item_finished(WorkItem(key="k", name="a.pdf"), Outcome.done({}, {}, {}),
                               earlier=False)
        progress.close()
        return stream.getvalue()

    assert asyncio.run(run()) == ""
