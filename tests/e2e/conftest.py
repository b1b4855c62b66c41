"""End-to-end tests share the sync server fixtures (real PostgreSQL, the app on loopback)."""

import os

# Every row a repository reads is checked against its declared types (`sync_server.kit.rows`),
# here and in the server processes these tests start (they inherit the environment).
os.environ.setdefault("SYNC_SERVER_CHECK_ROWS", "1")

from tests.support.sync_server_fixtures import (  # noqa: F401 - fixtures by name
    admin_db,
    app_db,
    live,
    pg_server,
    settings,
    sync_data_dir,
)
