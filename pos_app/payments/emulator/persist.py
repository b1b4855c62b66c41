"""The emulator's objects on disk, so a refund days later finds its PaymentIntent (as at Stripe).

One SQLite file (`stripe-emulator.sqlite3` in the data directory), written through after every
request that changes something and after every timer (a demo reader tapping a card, an
authorization expiring, an invoice retried): every object Stripe keeps (PaymentIntents,
charges, refunds, payment methods, balance transactions, locations, readers, disputes,
customers, invoice items, invoices, credit notes, events), the completed idempotency records
and the emulator clock's offset. Only objects handed out since the last save (see
`Store.touched`) are serialized, and only those whose JSON changed are written, in one
transaction. This is the emulator's own file, not the register's database: the rule that only
repositories run queries is about the register's SQLAlchemy layer, which never opens it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from pos_app.payments.emulator.idempotency import StoredResponse

if TYPE_CHECKING:
    from pos_app.payments.emulator.emulator import StripeEmulator

FILENAME = "stripe-emulator.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (id TEXT PRIMARY KEY, seq INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (
    api_key TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
    params TEXT NOT NULL, created REAL NOT NULL, status INTEGER NOT NULL, body BLOB NOT NULL,
    request_id TEXT NOT NULL, PRIMARY KEY (api_key, key));
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class DiskState:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILENAME
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        # WAL with NORMAL: a killed process loses nothing committed; only a power cut may drop
        # the last few writes (never corrupts), which is fine for a stand-in for Stripe.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._lock = threading.Lock()
        self._written: dict[str, str] = {}
        self._seq: dict[str, int] = {}
        self._max_seq = 0
        self._offset = 0.0
        self._keys: set[tuple[str, str]] = set()

    def load(self, emulator: StripeEmulator) -> None:
        """Puts the saved objects back, in creation order; call before `start()`."""
        store = emulator.store
        for object_id, seq, body in self._db.execute(
            "SELECT id, seq, body FROM objects ORDER BY seq"
        ):
            store.add(json.loads(body))
            store.indexed_at[object_id] = 0.0  # long since visible to search
            self._written[object_id] = body
            self._seq[object_id] = seq
            self._max_seq = max(self._max_seq, seq)
        for row in self._db.execute("SELECT value FROM meta WHERE name = 'clock_offset'"):
            self._offset = float(row[0])
            emulator.clock.advance(self._offset)
        for (
            api_key,
            key,
            method,
            path,
            params,
            created,
            status,
            body,
            request_id,
        ) in self._db.execute("SELECT * FROM idempotency"):
            emulator.idempotency.restore(
                api_key,
                key,
                method,
                path,
                json.loads(params),
                created,
                StoredResponse(status, bytes(body), request_id),
            )
            self._keys.add((api_key, key))

    def save(self, emulator: StripeEmulator) -> None:
        """Writes what changed since the last save (the caller must not hold `store.lock`).

        The snapshot is taken inside this object's lock, so two threads saving at once cannot
        write an older snapshot over a newer one.
        """
        with self._lock:
            store = emulator.store
            with store.lock:
                touched, store.touched = store.touched, set()
                objects = {
                    object_id: json.dumps(store.objects[object_id], separators=(",", ":"))
                    for object_id in touched
                    if object_id in store.objects
                }
                added = {object_id: store.added[object_id] for object_id in objects}
            records = emulator.idempotency.completed()
            offset = emulator.clock.offset
            changed = [(i, b) for i, b in objects.items() if self._written.get(i) != b]
            removed = [i for i in touched if i not in objects and i in self._written]
            new_keys = [r for r in records if (r[0], r[1]) not in self._keys]
            gone_keys = self._keys - {(r[0], r[1]) for r in records}
            if not (changed or removed or new_keys or gone_keys or offset != self._offset):
                return
            next_seq = self._max_seq + 1
            new_ids = sorted((i for i, _ in changed if i not in self._seq), key=added.__getitem__)
            order = {object_id: rank for rank, object_id in enumerate(new_ids)}
            self._db.execute("BEGIN")
            try:
                for object_id, body in changed:
                    seq = self._seq.get(object_id)
                    if seq is None:
                        seq = next_seq + order[object_id]
                    self._db.execute(
                        "INSERT OR REPLACE INTO objects (id, seq, body) VALUES (?, ?, ?)",
                        (object_id, seq, body),
                    )
                    self._seq[object_id] = seq
                    self._max_seq = max(self._max_seq, seq)
                self._db.executemany("DELETE FROM objects WHERE id = ?", [(i,) for i in removed])
                self._db.executemany(
                    "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (k, key, m, p, json.dumps(params), created, r.status, r.body, r.request_id)
                        for k, key, m, p, params, created, r in new_keys
                    ],
                )
                self._db.executemany(
                    "DELETE FROM idempotency WHERE api_key = ? AND key = ?", list(gone_keys)
                )
                self._db.execute(
                    "INSERT OR REPLACE INTO meta (name, value) VALUES ('clock_offset', ?)",
                    (repr(offset),),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                with store.lock:
                    store.touched |= touched  # written next time instead
                raise
            for object_id, body in changed:
                self._written[object_id] = body
            for object_id in removed:
                del self._written[object_id]
                self._seq.pop(object_id, None)
            self._keys = {(r[0], r[1]) for r in records}
            self._offset = offset

    def close(self) -> None:
        with self._lock:
            self._db.close()
