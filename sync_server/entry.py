"""The `sync-server` script: the command line, or one line saying the server is not installed.

`counter-pos[register]` installs this script too (one distribution), but not the server's
libraries; without this, `sync-server` there would end in an import traceback.
"""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from sync_server.cli import main as cli_main
    except ModuleNotFoundError as error:
        sys.stderr.write(
            f"sync-server: this install has no sync server ({error.name} is missing): "
            "pip install 'counter-pos[server]'\n"
        )
        return 2
    return cli_main()
