"""The threads the application's work runs on, for the GUI's task runner to share.

`DATABASE_WORKER` is the one thread SQLite work runs on (see `pos_app.db.worker`): the GUI's
`TaskRunner.run_db` submits to it, and the card flow hands its transactions to it.
"""

from __future__ import annotations

from pos_app.db.worker import WORKER as DATABASE_WORKER
from pos_app.db.worker import DatabaseWorker, WrongThreadWrite, allow_writes_here

__all__ = ["DATABASE_WORKER", "DatabaseWorker", "WrongThreadWrite", "allow_writes_here"]
