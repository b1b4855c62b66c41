"""Counter POS: the register application (PySide6) and its local sales core."""

__version__ = "0.1.0"
