"""The sync server tests use the shared fixtures in tests/support/sync_server_fixtures.py."""

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
