"""The `pos-app` script: the command line, or one line saying the register is not installed.

`counter-pos[server]` installs this script too (one distribution), but not the register's
libraries; without this, `pos-app` there would end in an import traceback.
"""

from __future__ import annotations

import sys


def main() -> int:
    try:
        from pos_app.cli import main as cli_main
    except ModuleNotFoundError as error:
        sys.stderr.write(
            f"pos-app: this install has no register ({error.name} is missing): "
            "pip install 'counter-pos[register]'\n"
        )
        return 2
    return cli_main()
