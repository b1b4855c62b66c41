"""Repositories: the only code that runs queries. Each takes a Session and returns plain data."""
