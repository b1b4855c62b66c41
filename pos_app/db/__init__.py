"""The register's local SQLite database: engine, models, repositories, migrations."""
