"""Where the machine's CPU went during a measurement: the broker, PostgreSQL, each service and the traffic source.

On two cores every process of a benchmark competes with every other, so a consumer that falls behind may be short
of CPU rather than slow; these shares (in cores: 1.0 is one core busy the whole time) say which.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import psutil


def listening_process(url: str) -> psutil.Process | None:
    """The process listening on the URL's port on this machine (the benchmark's own broker or database)."""
    port = urlsplit(url.replace("postgresql+asyncpg", "postgresql")).port
    for connection in psutil.net_connections(kind="tcp"):
        listening = connection.status == psutil.CONN_LISTEN and connection.laddr
        if listening and connection.laddr.port == port and connection.pid is not None:
            return psutil.Process(connection.pid)
    return None


class CpuShares:
    """CPU seconds per named group of processes between `start` and `stop`. A group's processes are counted with
    their children where asked (PostgreSQL's backends, the broker's helpers); a child born during the measurement
    counts whole, one that ended during it is lost (never guessed)."""

    def __init__(
        self, groups: dict[str, list[psutil.Process]], with_children: frozenset[str] = frozenset()
    ) -> None:
        self.groups = groups
        self.with_children = with_children
        self._started: dict[str, dict[int, float]] = {}
        self._machine_started = 0.0
        self._at = 0.0

    def _seconds(self, name: str) -> dict[int, float]:
        seconds = {}
        for process in self.groups[name]:
            for each in [process, *(_children(process) if name in self.with_children else [])]:
                try:
                    times = each.cpu_times()
                except psutil.Error:
                    continue
                seconds[each.pid] = times.user + times.system
        return seconds

    def start(self) -> None:
        self._started = {name: self._seconds(name) for name in self.groups}
        self._machine_started = _machine_busy()
        self._at = time.monotonic()

    def stop(self) -> str:
        """The shares as one line: `name cores, ...`, and the whole machine's."""
        elapsed = time.monotonic() - self._at
        shares = []
        for name in self.groups:
            before = self._started[name]
            spent = sum(now - before.get(pid, 0.0) for pid, now in self._seconds(name).items())
            shares.append(f"{name} {spent / elapsed:.2f}")
        machine = (_machine_busy() - self._machine_started) / elapsed
        return f"{', '.join(shares)}; whole machine {machine:.2f} of {psutil.cpu_count()} cores"

    def resident_memory(self) -> str:
        """The resident memory of each group's processes now, in MB. Groups counted with their children (the
        broker, PostgreSQL's backends) share pages among them, so a sum would mislead: they are left out."""
        sizes = []
        for name, processes in self.groups.items():
            if name in self.with_children:
                continue
            try:
                rss = sum(p.memory_info().rss for p in processes)
            except psutil.Error:
                continue
            sizes.append(f"{name} {rss / 2**20:.0f}")
        return ", ".join(sizes)


def _children(process: psutil.Process) -> list[psutil.Process]:
    try:
        return process.children(recursive=True)
    except psutil.Error:
        return []


def _machine_busy() -> float:
    times = psutil.cpu_times()
    return times.user + times.system + getattr(times, "softirq", 0.0) + getattr(times, "irq", 0.0)
