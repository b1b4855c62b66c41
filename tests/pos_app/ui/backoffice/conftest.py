"""Back-office tests that talk to the sync server (Web console) use its shared fixtures: a
real PostgreSQL database and the app on loopback, started only by the tests that ask."""

from tests.support.sync_server_fixtures import (  # noqa: F401 - fixtures by name
    app_db,
    live,
    pg_server,
    settings,
)
