"""`python -m tests.soak` (`make soak`): load and network chaos against one sync server, then
the crash phase and a scan of every file the soak wrote for the device tokens; prints a summary
table and exits non-zero on any failure.

    python -m tests.soak --duration 600                  # sell for ten minutes
    python -m tests.soak --registers 50 --orders 2000    # until 100,000 orders are sold
    python -m tests.soak --servers 2 --workers 2         # four server processes, one database
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

from tests.soak.crashes import run_crash_chaos
from tests.soak.load import LoadConfig, platform, run_load, server_env
from tests.soak.secrets_scan import scan_paths
from tests.support.chaos_proxy import ChaosPolicy

FULL_RUN_KILLS = 200
FULL_RUN_S = 2400.0  # what the full run (50 × 2,000) takes, roughly: KILLS scales from it


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.soak",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--registers", type=int, default=50)
    parser.add_argument("--shops", type=int, default=5)
    parser.add_argument("--orders", type=int, help="per register (default: sell until --duration)")
    parser.add_argument("--duration", type=float, help="seconds of selling (default 600)")
    parser.add_argument("--kills", type=int, help="crash phase: registers killed (default scaled)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-chaos", action="store_true", help="a clean network (a baseline)")
    parser.add_argument("--servers", type=int, default=1, help="`serve` processes on the database")
    parser.add_argument("--workers", type=int, default=1, help="`serve --workers` of each")
    parser.add_argument("--workdir", type=Path, help="default: a temporary directory")
    parser.add_argument("--keep", action="store_true", help="keep the workdir after a pass")
    return parser


def default_kills(duration_s: float | None) -> int:
    """200 for the full run (no time limit), in proportion for a shorter one."""
    if duration_s is None:
        return FULL_RUN_KILLS
    return max(5, min(FULL_RUN_KILLS, round(FULL_RUN_KILLS * duration_s / FULL_RUN_S)))


def crash_phase(
    workdir: Path, *, kills: int, seed: int, server_url: str, server_env: dict[str, str]
) -> tuple[bool, list[tuple[str, str]]]:
    """The crash phase (tests/soak/crashes.py); its registers then push to the soak's server
    (pairing them needs the server's admin database and token key, read from the environment)."""
    with mock.patch.dict(os.environ, server_env):
        report = run_crash_chaos(workdir=workdir, kills=kills, seed=seed, server_url=server_url)
    return report.ok, [(str(k), str(v)) for k, v in report.rows()]


def secrets_scan(workdir: Path, tokens: list[str]) -> tuple[bool, list[tuple[str, str]]]:
    """Every file of the soak (server log, register databases and logs) against the tokens."""
    findings = scan_paths([workdir], tokens)
    for finding in findings[:20]:
        print(f"secrets scan: {finding}")
    label = f"{len(tokens)} device tokens over {workdir.name}/"
    return not findings, [("secrets scan", f"{'PASS' if not findings else 'FAIL'} ({label}, "
                                           f"{len(findings)} findings)")]  # fmt: skip


def print_table(rows: Sequence[tuple[str, str]]) -> None:
    width = max(len(name) for name, _ in rows)
    rule = "-" * (width + 2 + max(len(value) for _, value in rows))
    print(rule)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(rule)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    duration = args.duration if args.duration is not None else (None if args.orders else 600.0)
    config = LoadConfig(
        registers=args.registers,
        shops=min(args.shops, args.registers),
        orders=args.orders,
        duration_s=duration,
        seed=args.seed,
    )
    if args.no_chaos:
        config = dataclasses.replace(config, chaos=ChaosPolicy())
    kills = args.kills if args.kills is not None else default_kills(duration)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="soak-"))
    print(f"soak: {config.registers} registers, {config.shops} shops, "
          f"{f'{config.orders} orders each' if config.orders else ''}"
          f"{' for at most ' if config.orders and duration else ''}"
          f"{f'{duration:.0f} s' if duration else ''}; workdir {workdir}", flush=True)  # fmt: skip
    started = time.monotonic()
    rows: list[tuple[str, str]] = []
    passed = True
    with platform(workdir, servers=args.servers, workers=args.workers) as env:
        try:
            result = run_load(env, config, workdir, log=lambda line: print(line, flush=True))
        except RuntimeError as error:  # a register failed or hung: its traceback says why
            print(f"load phase failed: {error}")
            print_table([("load phase", "FAIL"), ("RESULT", "FAIL")])
            print(f"workdir kept: {workdir}")
            return 1
        rows += result.rows()
        passed = result.ok
        for problem in result.problems[:50]:
            print(f"problem: {problem}")
        if kills > 0:
            try:
                ok, crash_rows = crash_phase(
                    workdir / "crash",
                    kills=kills,
                    seed=args.seed,
                    server_url=env.server.url,
                    server_env=server_env(env.settings),
                )
            except Exception as error:
                print(f"crash phase failed: {error!r}")
                ok, crash_rows = False, [("crash phase", f"FAIL ({type(error).__name__})")]
            passed = passed and ok
            rows += crash_rows
    ok, scan_rows = secrets_scan(workdir, result.tokens)
    passed = passed and ok
    rows += scan_rows
    rows.append(("wall time", f"{time.monotonic() - started:.0f} s"))
    rows.append(("RESULT", "PASS" if passed else "FAIL"))
    print_table(rows)
    if passed and not args.keep and args.workdir is None:
        shutil.rmtree(workdir, ignore_errors=True)
    else:
        print(f"workdir kept: {workdir}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
