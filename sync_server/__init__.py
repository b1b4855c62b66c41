"""The sync server: registers push here; one PostgreSQL database, tenants kept apart by RLS."""
