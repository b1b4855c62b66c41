"""What Linux's /proc says about processes: CPU time used, children, and which process holds one
end of a loopback TCP connection (to kill the server process that is handling a request).

Linux only; on other systems (or for a process that is gone) the answers are empty or zero.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

PROC = Path("/proc")
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_LOOPBACK = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (which may hold spaces)."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far (0 when it is gone)."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`, oldest first."""
    found = []
    for entry in PROC.glob("[0-9]*"):
        fields = _stat_fields(int(entry.name))
        if fields is not None and int(fields[1]) == pid:
            found.append((int(fields[19]), int(entry.name)))  # start time, then pid
    return [child for _, child in sorted(found)]


def with_descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    pids = [pid]
    for child in children(pid):
        pids += with_descendants(child)
    return pids


def socket_owner(local_port: int, peer_port: int, candidates: Iterable[int]) -> int | None:
    """Which of `candidates` holds the socket of the connection 127.0.0.1:`local_port` ↔
    127.0.0.1:`peer_port` (seen from its own end), if any."""
    local = f"{_LOOPBACK}:{local_port:04X}"
    peer = f"{_LOOPBACK}:{peer_port:04X}"
    inode = None
    try:
        lines = (PROC / "net" / "tcp").read_text().splitlines()[1:]
    except OSError:
        return None
    for line in lines:
        fields = line.split()
        if fields[1] == local and fields[2] == peer:
            inode = fields[9]
            break
    if inode is None:
        return None
    wanted = f"socket:[{inode}]"
    for pid in candidates:
        try:
            descriptors = list((PROC / str(pid) / "fd").iterdir())
        except OSError:
            continue
        for descriptor in descriptors:
            try:
                if os.readlink(descriptor) == wanted:
                    return pid
            except OSError:
                continue
    return None


def command_line(pid: int) -> str:
    """The process's arguments joined by spaces ('' when it is gone)."""
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""
