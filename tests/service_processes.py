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
SERVICE_SETTING_PREFIXES = ("BILLING_", "RECOVERY_", "BREATHING_SPACE_", "AGENTS_GATEWAY_", "WRITEOFF_")


class ServiceProcess:
    """`python -m services.<name>` with the test environment; its log is kept for failure messages."""

    def __init__(self, name: str, **environment: str) -> None:
        self.name = name
        # Service settings that in-process tests put in this process's environment must not leak into a service
        # process: it gets the session's servers, and only the service settings the test gives it.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(SERVICE_SETTING_PREFIXES)}
        self.environment = {**inherited, "LOG_FORMAT": "json", "LOG_LEVEL": "INFO", **environment}
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
