"""Server processes killed mid-push while registers sell (`run_load(while_selling=…)`).

Several server processes serve one database behind the soak's chaos proxy (`platform(servers=2)`
or `platform(workers=2)`). Now and then the killer waits for a push in flight, finds the process
handling it (the server end of the proxy's connection, read from /proc) and SIGKILLs it: the
push's transaction dies with its connection, or it committed and its answer is lost. A killed
`serve` is started again on its port (the other takes the traffic meanwhile); a killed worker
of `serve --workers N` is replaced by uvicorn's supervisor, the other workers serving meanwhile.
Afterwards the soak's own verification must still find the server equal to the union of the
registers.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

import httpx

from tests.soak.load import Platform, SoakServer
from tests.support import procfs
from tests.support.chaos_proxy import InFlight

PUSH = "POST /v1/sync/push "
AIM_TIMEOUT_S = 10.0
BACK_TIMEOUT_S = 60.0


@dataclass
class KillReport:
    kills: int = 0
    aimed_at_push: int = 0
    """Kills of the process that was handling a push at that moment."""
    back_s: list[float] = field(default_factory=list)
    """From each kill until the killed process was serving again (restarted or replaced)."""
    pids_seen_pushing: set[int] = field(default_factory=set)
    """Processes seen handling a push (found through the proxy's connections)."""
    first_processes: set[int] = field(default_factory=set)
    """The processes serving before the first kill."""
    problems: list[str] = field(default_factory=list)


def serving_processes(server: SoakServer) -> list[int]:
    """The processes that answer requests: `serve` itself, or its uvicorn workers (children
    started by multiprocessing's spawn, not its resource tracker)."""
    if server.workers == 1:
        return [server.process.pid]
    return [
        pid
        for pid in procfs.children(server.process.pid)
        if "multiprocessing.spawn" in procfs.command_line(pid)
    ]


class ServerKiller:
    """`kills` SIGKILLs, one server process at a time, `pause_s` (±50 %) apart, each aimed at a
    push in flight; between them, notes which processes handle pushes. As `while_selling` of
    `run_load`: the registers sell until the last killed process serves again."""

    def __init__(self, env: Platform, *, kills: int, pause_s: float, seed: int) -> None:
        self.env = env
        self.kills = kills
        self.pause_s = pause_s
        self.report = KillReport()
        self._rnd = random.Random(seed)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="server-killer", daemon=True)

    def __enter__(self) -> KillReport:
        for server in self.env.servers:
            self.report.first_processes.update(serving_processes(server))
        self._thread.start()
        return self.report

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if error is not None:
            self._stop.set()
        self._thread.join(self.kills * (3 * self.pause_s + AIM_TIMEOUT_S + BACK_TIMEOUT_S))
        if self._thread.is_alive():
            self._stop.set()
            self.report.problems.append("the killer did not finish its kills in time")

    def _run(self) -> None:
        try:
            for number in range(self.kills):
                if self._watch(self.pause_s * self._rnd.uniform(0.5, 1.5)):
                    return
                index = number % len(self.env.servers)
                self._kill_one(index)
        except Exception as error:  # a broken harness must fail the test, not hang it
            self.report.problems.append(f"the killer stopped: {error!r}")

    def _owner(self, server: SoakServer, request: InFlight) -> int | None:
        return procfs.socket_owner(server.port, request.proxy_port, serving_processes(server))

    def _watch(self, seconds: float) -> bool:
        """Note the processes handling pushes for `seconds`; True when told to stop."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for request in self.env.proxy.in_flight():
                if request.request_line.startswith(PUSH):
                    server = self._server_on(request.target_port)
                    owner = self._owner(server, request) if server is not None else None
                    if owner is not None:
                        self.report.pids_seen_pushing.add(owner)
            if self._stop.wait(0.02):
                return True
        return False

    def _server_on(self, port: int) -> SoakServer | None:
        return next((server for server in self.env.servers if server.port == port), None)

    def _aim(self, server: SoakServer) -> int:
        """The process handling a push to `server` now, else (none in time) one of its own."""
        deadline = time.monotonic() + AIM_TIMEOUT_S
        while time.monotonic() < deadline:
            for request in self.env.proxy.in_flight():
                if request.target_port == server.port and request.request_line.startswith(PUSH):
                    owner = self._owner(server, request)
                    if owner is not None:
                        self.report.aimed_at_push += 1
                        self.report.pids_seen_pushing.add(owner)
                        return owner
            time.sleep(0.002)
        return self._rnd.choice(serving_processes(server))

    def _kill_one(self, index: int) -> None:
        server = self.env.servers[index]
        before = set(serving_processes(server))
        victim = self._aim(server)
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic()
        self.report.kills += 1
        if server.workers == 1:
            self.env.restart(index)  # returns once /healthz answers
        else:
            self._wait_replaced(server, gone=victim, expected=len(before))
        self.report.back_s.append(time.monotonic() - killed_at)

    def _wait_replaced(self, server: SoakServer, *, gone: int, expected: int) -> None:
        """Until the supervisor has started a replacement and every worker answers."""
        deadline = time.monotonic() + BACK_TIMEOUT_S
        while time.monotonic() < deadline:
            workers = serving_processes(server)
            if gone not in workers and len(workers) == expected and _all_ready(server, workers):
                return
            time.sleep(0.05)
        self.report.problems.append(f"worker {gone} of {server.url} was not replaced in time")


def _all_ready(server: SoakServer, workers: list[int]) -> bool:
    """Whether each worker has loaded the app and finished its start-up (uvicorn logs "Started
    server process [PID]" once the app is loaded, then "Application startup complete."; a
    replacement the supervisor gave up on logs neither), and /healthz answers."""
    text = server.log_path.read_text("utf-8", errors="replace")
    if not all(f"Started server process [{pid}]" in text for pid in workers):
        return False
    if text.count("Application startup complete.") < text.count("Started server process ["):
        return False
    try:
        return httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def kills_summary(report: KillReport) -> str:
    back = sorted(report.back_s)
    median = back[len(back) // 2] if back else 0.0
    return (
        f"{report.kills} kills ({report.aimed_at_push} mid-push), serving again after "
        f"{median:.1f} s (median; longest {max(back, default=0.0):.1f} s), "
        f"{len(report.pids_seen_pushing)} processes seen pushing"
    )
