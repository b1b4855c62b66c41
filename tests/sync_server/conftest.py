"""The sync server tests use the shared fixtures in tests/support/sync_server_fixtures.py, and
record every statement the server runs for the Citus-readiness check at the end of the session
(tests/support/citus_readiness.py)."""

import os

# Every row a repository reads is checked against its declared types (`sync_server.kit.rows`),
# here and in the server processes these tests start (they inherit the environment).
os.environ.setdefault("SYNC_SERVER_CHECK_ROWS", "1")

from tests.support import citus_readiness
from tests.support.citus_readiness import pytest_runtest_setup, pytest_sessionfinish  # noqa: F401
from tests.support.sync_server_fixtures import (  # noqa: F401 - fixtures by name
    admin_db,
    app_db,
    device,
    fresh_admin_db,
    fresh_live,
    fresh_settings,
    http,
    live,
    pg_server,
    settings,
    sync_data_dir,
    tenant,
)

citus_readiness.install()
