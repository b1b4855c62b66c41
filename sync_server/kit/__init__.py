"""Helpers shared by the sync server's domains: errors, money rounding, periods, cursors."""
