"""The ESC/POS renderer on a machine's first run: nothing cached, a fresh home and temp dir.

A first start once pointed ESCPOS_CAPABILITIES_PICKLE_DIR at a directory it then deleted, and
every process it started afterwards failed to import python-escpos; a second start passed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

FIRST_IMPORT_THEN_CHILD = textwrap.dedent(
    """
    import os
    import subprocess
    import sys

    from pos_app.integrations.printing import escpos_render

    printer = escpos_render.Dummy()
    printer.hw("INIT")
    assert printer.output == b"\\x1b@", printer.output
    child_code = "import pos_app.integrations.printing.escpos_render; print('child ok')"
    child = subprocess.run(
        [sys.executable, "-c", child_code],
        capture_output=True, text=True, timeout=60,
    )
    sys.stdout.write(child.stdout)
    sys.stderr.write(child.stderr)
    assert "ESCPOS_CAPABILITIES_PICKLE_DIR" not in os.environ
    sys.exit(child.returncode)
    """
)


def _fresh_environment(root: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "ESCPOS_")) and key not in ("HOME", "TMPDIR")
    }
    for name in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "TMPDIR"):
        (root / name).mkdir()
        env[name] = str(root / name)
    return env


def test_a_child_started_after_the_first_import_on_a_fresh_machine_imports_escpos(
    tmp_path: Path,
) -> None:
    env = _fresh_environment(tmp_path)

    result = subprocess.run(
        [sys.executable, "-c", FIRST_IMPORT_THEN_CHILD],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "child ok"
    # Nothing is left behind: no per-user cache, no leaked temporary directory per start.
    left = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    assert left == ["HOME", "TMPDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"]
