"""The agent's SFTP server as the gateway sees it: upload to their inbox, list and fetch from their outbox.

The server's host key is pinned in the registry and checked on every connection; a server presenting any
other key is refused (no trust on first use). Uploads are written under a temporary name and renamed, so the
agent never picks up half a file.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import posixpath
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import asyncssh

from services.agents_gateway.domain.agent_registry import SftpEndpoint


class AgentUnreachable(Exception):
    """The agent's SFTP server could not be reached, refused our login, or presented an unpinned host key."""


@dataclass(frozen=True)
class OutboxEntry:
    """A file waiting in the agent's outbox."""

    name: str
    size: int


DOWNLOAD_CHUNK_BYTES = 1024 * 1024
"""Files are read from the agent's server a chunk at a time."""


@dataclass(frozen=True)
class Oversized:
    """A file above the size limit: streamed to `kept_at` and hashed, never held whole in memory."""

    size: int
    sha256: str
    kept_at: Path


class AgentSftpSession:
    """One connected SFTP session to an agent."""

    def __init__(self, endpoint: SftpEndpoint, client: asyncssh.SFTPClient) -> None:
        self.endpoint = endpoint
        self.client = client

    async def upload(self, file_name: str, content: bytes) -> None:
        """Put `content` in the agent's inbox as `file_name`, atomically (temporary name, then rename)."""
        final = posixpath.join(self.endpoint.inbox, file_name)
        partial = posixpath.join(self.endpoint.inbox, f".{file_name}.part")
        async with self.client.open(partial, "wb") as remote:
            await remote.write(content)
        if await self.client.exists(final):
            await self.client.remove(final)
        await self.client.rename(partial, final)

    async def outbox(self) -> list[OutboxEntry]:
        """Files in the agent's outbox (hidden and partial files left out), in name order."""
        entries = await self.client.readdir(self.endpoint.outbox)
        files = [
            OutboxEntry(os.fsdecode(entry.filename), entry.attrs.size or 0)
            for entry in entries
            if not os.fsdecode(entry.filename).startswith(".")
            and entry.attrs.type == asyncssh.FILEXFER_TYPE_REGULAR
        ]
        return sorted(files, key=lambda entry: entry.name)

    async def download(self, file_name: str, limit_bytes: int, spill_dir: Path) -> bytes | Oversized:
        """One file in the agent's outbox: its bytes when within `limit_bytes`, otherwise `Oversized`.

        The file is read a chunk at a time and no more than `limit_bytes` (plus one chunk) is ever held: as soon
        as the file proves larger, what was read goes to a file in `spill_dir` and the rest is streamed after it,
        hashed on the way, so the oversized file is kept whole without being held in memory.
        """
        buffered = bytearray()
        digest = hashlib.sha256()
        size = 0
        spill: Path | None = None
        sink = None
        try:
            async with self.client.open(posixpath.join(self.endpoint.outbox, file_name), "rb") as remote:
                while chunk := cast(bytes, await remote.read(DOWNLOAD_CHUNK_BYTES)):
                    size += len(chunk)
                    digest.update(chunk)
                    if sink is None and size <= limit_bytes:
                        buffered += chunk
                        continue
                    if sink is None:
                        await asyncio.to_thread(spill_dir.mkdir, parents=True, exist_ok=True)
                        spill = spill_dir / f".{uuid.uuid4().hex}.part"
                        sink = spill.open("wb")
                        sink.write(buffered)
                        buffered = bytearray()
                    sink.write(chunk)
        finally:
            if sink is not None:
                sink.close()
        if spill is None:
            return bytes(buffered)
        kept_at = spill_dir / f"{digest.hexdigest()}.pgp"
        spill.replace(kept_at)
        return Oversized(size, digest.hexdigest(), kept_at)


@asynccontextmanager
async def agent_sftp(endpoint: SftpEndpoint, timeout_seconds: int = 30) -> AsyncIterator[AgentSftpSession]:
    """Connect to the agent's server, checking its pinned host key, and open SFTP."""
    try:
        pinned = asyncssh.import_public_key(endpoint.host_key)
    except (asyncssh.KeyImportError, ValueError) as error:
        raise AgentUnreachable(f"the pinned host key for {endpoint.host} cannot be read ({error})") from None
    client_keys = None
    if endpoint.client_private_key is not None:
        client_keys = [asyncssh.import_private_key(endpoint.client_private_key.get_secret_value())]
    try:
        connection = await asyncssh.connect(
            endpoint.host,
            port=endpoint.port,
            username=endpoint.username,
            password=endpoint.password.get_secret_value() if endpoint.password else None,
            client_keys=client_keys,
            known_hosts=([pinned], [], []),
            agent_path=None,
            connect_timeout=timeout_seconds,
            login_timeout=timeout_seconds,
        )
    except (OSError, asyncssh.Error) as error:
        # The message names the host and the failure, never the credentials.
        raise AgentUnreachable(f"cannot connect to {endpoint.host}:{endpoint.port} ({error})") from None
    try:
        async with connection, connection.start_sftp_client() as client:
            yield AgentSftpSession(endpoint, client)
    except asyncssh.Error as error:
        raise AgentUnreachable(f"SFTP with {endpoint.host}:{endpoint.port} failed ({error})") from None
