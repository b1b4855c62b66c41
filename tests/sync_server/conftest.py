"""The sync server tests use the shared fixtures in tests/support/sync_server_fixtures.py, and
record every statement the server runs for the Citus-readiness check at the end of the session
(tests/support/citus_readiness.py)."""

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
