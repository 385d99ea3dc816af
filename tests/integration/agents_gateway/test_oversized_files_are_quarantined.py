"""Agent files are read a chunk at a time up to a size limit (the agent's own in the registry, or the gateway's
default): a bigger file is quarantined whole, unread, with a report saying why, and the agent told."""

from __future__ import annotations

import hashlib
import tracemalloc

import pytest

from services.agents_gateway.domain.file_format import FileKind
from services.agents_gateway.domain.file_validation import file_size_limit
from services.agents_gateway.sftp import agent_sftp
from tests.council_bus import fetch_value
from tests.integration.agents_gateway.conftest import AGENT, published

LIMIT = 64 * 1024


@pytest.fixture
def small_limit(gateway):
    """BRISTOW's registry entry says it may send files of at most 64 KiB."""
    registry = gateway.agents.registry
    limited = registry.model_copy(
        update={
            "agents": tuple(
                agent.model_copy(update={"max_file_bytes": LIMIT}) if agent.code == AGENT else agent
                for agent in registry.agents
            )
        }
    )
    gateway.agents.use(limited)
    yield LIMIT
    gateway.agents.use(registry)


def test_the_agents_own_limit_wins_over_the_gateways_default() -> None:
    assert file_size_limit(LIMIT, 256 * 1024 * 1024) == LIMIT
    assert file_size_limit(None, 256 * 1024 * 1024) == 256 * 1024 * 1024


async def test_a_file_above_the_agents_size_limit_is_quarantined_unread_with_the_reason(
    gateway, http, agent, small_limit
):
    oversized = b"\x8c" * (small_limit * 4 + 123)
    name = "derby_BRISTOW_agent_returns_009901.jsonl.pgp"
    agent.upload(name, oversized)
    sha256 = hashlib.sha256(oversized).hexdigest()

    files = (await http.post(f"/agents/{AGENT}/poll-now")).json()["files"]
    [outcome] = [f for f in files if f["file_name"] == name]
    assert outcome["outcome"] == "quarantined"
    [problem] = outcome["problems"]
    assert problem.startswith("file_too_large")
    assert f"{len(oversized):,} bytes" in problem and f"{small_limit:,}-byte limit" in problem

    [alert] = await published("agents_gateway.file.quarantined", "file_sha256", sha256)
    assert alert["problems"] == [problem]
    # Kept whole, as fetched, on disk (not in the database row): the same bytes under their SHA-256.
    kept = gateway.settings.quarantine_dir / f"{sha256}.pgp"
    assert kept.read_bytes() == oversized
    assert (
        await fetch_value(
            "SELECT content IS NULL FROM agents_gateway.received_file WHERE sha256 = $1 AND outcome = 'quarantined'",
            sha256,
        )
        is True
    )
    rejections = [
        record
        for report in agent.council_files(FileKind.FILE_REJECTION)
        for record in report.records
        if record.rejected_file_sha256 == sha256
    ]
    assert [record.code for record in rejections] == ["file_too_large"]

    # Fetched again on the next poll, it is the same file: quarantined once.
    files = (await http.post(f"/agents/{AGENT}/poll-now")).json()["files"]
    assert [f["outcome"] for f in files if f["file_name"] == name] == ["duplicate"]


async def _peak_memory_downloading(gateway, agent, tmp_path, size: int) -> int:
    name = f"derby_BRISTOW_agent_returns_{size % 1_000_000:06d}.jsonl.pgp"
    agent.upload(name, b"\x00" * size)
    try:
        async with agent_sftp(gateway.agents.agent(AGENT).sftp) as sftp:
            tracemalloc.start()
            try:
                result = await sftp.download(name, LIMIT, tmp_path)
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
    finally:
        (agent.root / "outbox" / name).unlink()
    assert not isinstance(result, bytes)
    assert result.size == size
    assert result.kept_at.stat().st_size == size
    return peak


async def test_an_oversized_download_is_streamed_never_held_whole(gateway, agent, tmp_path):
    # The memory used (by the gateway and the test's own SFTP server together, in this process) does not grow
    # with the file: a file four times larger costs no more than a few chunks more.
    small = await _peak_memory_downloading(gateway, agent, tmp_path, 8 * 1024 * 1024)
    large = await _peak_memory_downloading(gateway, agent, tmp_path, 32 * 1024 * 1024)
    assert large < small + 8 * 1024 * 1024
    assert large < 32 * 1024 * 1024 / 2
