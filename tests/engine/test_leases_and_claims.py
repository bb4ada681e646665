"""Who may work an item: worker leases (PostgreSQL heartbeat and grace) and item claims."""

from __future__ import annotations

import asyncio

import pytest

from bots.engine import pglease
from bots.engine.durable import Worker, watch_own_lease
from bots.engine.leases import take_lease
from bots.kernel.errors import BotError
from bots.ledger import Ledger
from bots.ledger.claims import Fence, ItemBusy, LostClaim


def test_a_worker_whose_connection_dropped_is_alive_until_its_grace_runs_out(database):
    import psycopg

    worker = pglease.AdvisoryLease(database, "w-dropped", pid=1, host="h")
    assert worker.take()
    watcher = take_lease(database, "w-watcher")
    try:
        worker._stop.set()  # no more beats: as if its connection stayed down
        with psycopg.connect(database, autocommit=True) as admin:
            cut = admin.execute("SELECT pg_terminate_backend(%s)",
                                [worker.connection.info.backend_pid]).fetchone()
            assert cut == (True,)
            assert watcher.is_held("w-dropped")  # lock gone, beat fresh: not taken over yet
            admin.execute("UPDATE bots_workers SET beat_at = now() - interval '1 hour' "
                          "WHERE executor = 'w-dropped'")
        assert not watcher.is_held("w-dropped")
    finally:
        watcher.close()


def test_a_worker_that_stopped_cleanly_is_gone_at_once_and_its_id_is_refused_while_live(database):
    first = take_lease(database, "w-one")
    with pytest.raises(BotError) as taken:
        take_lease(database, "w-one")
    assert taken.value.code == "WORKER_ID_TAKEN"
    watcher = take_lease(database, "w-two")
    try:
        assert watcher.is_held("w-one")
        first.close()
        assert not watcher.is_held("w-one")
    finally:
        watcher.close()


def test_a_worker_that_cannot_beat_is_told_to_stop_its_items():
    class Silent:
        executor = "w"

        def lost_for_s(self) -> float:
            return pglease.STOP_AFTER_S + 1

    worker = Worker(Silent())  # type: ignore[arg-type]
    asyncio.run(asyncio.wait_for(watch_own_lease(worker, every_s=0.01), 2))
    assert worker.lost.is_set()


def test_one_live_owner_per_item_and_a_dead_owners_claim_is_taken_over(tmp_path):
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}")
    live = {"a"}
    try:
        first = ledger.claim_item("item-1", "a", live.__contains__)
        with pytest.raises(ItemBusy) as busy:
            ledger.claim_item("item-1", "b", live.__contains__)
        assert busy.value.code == "ITEM_BUSY" and "'a'" in busy.value.message
        live.clear()  # a's process died
        second = ledger.claim_item("item-1", "b", live.__contains__)
        assert second == Fence("b", first.token + 1)
        with pytest.raises(LostClaim):
            ledger.record_intent("item-1", "submit", first)  # a stale worker cannot submit
        ledger.record_intent("item-1", "submit", second)
        intent = ledger.intent("item-1", "submit")
        assert intent is not None and (intent["owner"], intent["token"]) == ("b", second.token)
    finally:
        ledger.close()


def test_a_released_claim_is_free_and_a_stale_release_changes_nothing(tmp_path):
    ledger = Ledger(f"sqlite:///{tmp_path / 'state.sqlite'}")
    try:
        stale = ledger.claim_item("item-1", "a", lambda _owner: True)
        fresh = ledger.claim_item("item-1", "a", lambda _owner: True)
        ledger.release_item("item-1", stale)
        with pytest.raises(ItemBusy):
            ledger.claim_item("item-1", "b", lambda _owner: True)
        ledger.release_item("item-1", fresh)
        assert ledger.claim_item("item-1", "b", lambda _owner: True).owner == "b"
    finally:
        ledger.close()
