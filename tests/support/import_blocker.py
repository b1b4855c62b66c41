"""Run Python as if some packages were not installed (the other install set's stack).

`python -m tests.support.import_blocker BLOCKED [-- CODE]`: BLOCKED is a comma-separated list
of top-level packages (or dotted prefixes, like `pos_app.ui`); importing any of them raises
ModuleNotFoundError, as in an install without them. Every attempt is also written to stderr
as `blocked import: NAME`, so code that catches the ImportError and carries on is caught too.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from collections.abc import Sequence
from types import ModuleType

BLOCKED_MARK = "blocked import: "


class Blocker(importlib.abc.MetaPathFinder):
    def __init__(self, blocked: Sequence[str]) -> None:
        self.blocked = tuple(blocked)

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if any(fullname == name or fullname.startswith(name + ".") for name in self.blocked):
            print(f"{BLOCKED_MARK}{fullname}", file=sys.stderr)
            raise ModuleNotFoundError(f"No module named {fullname!r} (blocked)", name=fullname)
        return None


def install(blocked: Sequence[str]) -> None:
    already = [name for name in blocked if name in sys.modules]
    if already:
        raise RuntimeError(f"already imported before the blocker: {already}")
    sys.meta_path.insert(0, Blocker(blocked))


if __name__ == "__main__":
    install(sys.argv[1].split(","))
    code = sys.argv[2]
    sys.argv = ["-c"]
    exec(compile(code, "<blocked>", "exec"), {"__name__": "__main__"})
