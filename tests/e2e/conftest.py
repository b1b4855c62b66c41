"""End-to-end tests share the sync server fixtures (real PostgreSQL, the app on loopback)."""

from tests.support.sync_server_fixtures import (  # noqa: F401 - fixtures by name
    admin_db,
    app_db,
    live,
    pg_server,
    settings,
    sync_data_dir,
)
