"""Every module of services/ and shared/ imports on its own: nothing is wired at import, so a handler module, a
store or a domain rule can be read, tested and reused without starting its service.

Each module is imported in a child process forked from an interpreter that has loaded only third-party
libraries (never a module of this project), so no module sees another's side effects; forking after the
libraries are loaded keeps ~250 imports to seconds instead of minutes of fresh interpreters.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[3]

_FORK_EACH = r"""
import importlib, os, sys, traceback
for library in ("sqlalchemy", "sqlalchemy.ext.asyncio", "pydantic", "pydantic_settings", "fastapi", "faststream",
                "faststream.rabbit", "aio_pika", "asyncpg", "structlog", "yaml", "sqlmodel", "alembic", "uvicorn"):
    importlib.import_module(library)
assert not [m for m in sys.modules if m.split(".")[0] in ("services", "shared")], "project imported early"
def finish(child, name, read):
    with os.fdopen(read, "rb") as reason:
        said = reason.read().decode(errors="replace")
    _, status = os.waitpid(child, 0)
    if status != 0:
        print(f"{name}\t{said or 'exit status ' + str(status)}")
running = []
for name in sys.stdin.read().split():
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read)
        try:
            importlib.import_module(name)
            code = 0
        except BaseException as error:
            os.write(write, f"{type(error).__name__}: {error}".encode()[:2000])
            code = 1
        os._exit(code)
    os.close(write)
    running.append((child, name, read))
    if len(running) >= 3:  # a few at a time: the children only import
        finish(*running.pop(0))
for waiting in running:
    finish(*waiting)
"""


def _modules() -> list[str]:
    names = []
    for top in ("shared", "services"):
        for path in sorted((PROJECT_ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(PROJECT_ROOT).with_suffix("").parts)
            if "migrations" in parts or "alembic" in parts or parts[-1] == "__main__":
                continue  # alembic loads migrations by path; __main__ runs the service
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.append(".".join(parts))
    return names


def test_every_module_of_services_and_shared_imports_on_its_own() -> None:
    modules = _modules()
    assert len(modules) > 100  # the walk found the code, not an empty folder
    done = subprocess.run(
        [sys.executable, "-c", _FORK_EACH],
        input="\n".join(modules).encode(),
        cwd=PROJECT_ROOT,
        capture_output=True,
        timeout=600,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT_ROOT)},
    )
    assert done.returncode == 0, done.stderr.decode()
    failures = dict(line.split("\t", 1) for line in done.stdout.decode().splitlines() if "\t" in line)
    assert failures == {}
