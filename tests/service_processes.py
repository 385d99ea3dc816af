"""Services as real operating-system processes, for end-to-end and crash tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ServiceProcess:
    """`python -m services.<name>` with the test environment; its log is kept for failure messages."""

    def __init__(self, name: str, **environment: str) -> None:
        self.name = name
        self.environment = {**os.environ, "LOG_FORMAT": "json", "LOG_LEVEL": "INFO", **environment}
        self.log = Path(tempfile.mkstemp(prefix=f"{name}-", suffix=".log")[1])
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> ServiceProcess:
        """Start the process and wait until it says it is consuming."""
        offset = self.log.stat().st_size
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", f"services.{self.name}"],
                cwd=PROJECT_ROOT,
                env=self.environment,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
            with open(self.log, "rb") as log:
                log.seek(offset)
                if b"service started" in log.read():
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} did not start within {timeout}s:\n{self.tail()}")

    def kill(self) -> None:
        """SIGKILL: no chance to finish, ack or mark anything."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM and wait for a clean exit."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, characters: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-characters:]
