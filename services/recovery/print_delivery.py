"""Delivering a print run's file to the hybrid-mail provider's SFTP server (`PRINT_BATCH.md`, issue 16).

Recovery logs in with its own key (`sftp_key_path`) and checks the server's host key against a known_hosts file
(`sftp_known_hosts`): a server presenting any other key is refused, there is no trust on first use. The file is
uploaded under a hidden temporary name (`.<name>.partial`) before the print run is recorded, and renamed to its
final name only once the run is committed, so the provider never sees half a file nor a file whose letters could
be offered again. A rename never replaces a file already delivered.
"""

from __future__ import annotations

import asyncio
import os
import posixpath
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from services.recovery.letter_settings import LetterSettings


class PrintDeliveryFailed(Exception):
    """The provider's SFTP server could not be reached, refused our login or key, or refused the file."""


@dataclass(frozen=True)
class SftpDrop:
    """Where on the provider's SFTP server print files are delivered, and how recovery logs in."""

    host: str
    port: int
    username: str
    key_path: Path
    known_hosts: Path
    remote_folder: str = "."
    timeout_seconds: int = 30

    @classmethod
    def of(cls, settings: LetterSettings) -> SftpDrop:
        """The drop the settings configure (they are checked complete when read)."""
        assert settings.sftp_key_path is not None and settings.sftp_known_hosts is not None
        return cls(
            host=settings.sftp_host,
            port=settings.sftp_port,
            username=settings.sftp_username,
            key_path=settings.sftp_key_path,
            known_hosts=settings.sftp_known_hosts,
            remote_folder=settings.sftp_remote_folder,
            timeout_seconds=settings.sftp_timeout_seconds,
        )

    @property
    def address(self) -> str:
        """The drop as the print run records it: sftp://user@host:port/folder (no secrets)."""
        folder = self.remote_folder.lstrip("/") if self.remote_folder != "." else ""
        return f"sftp://{self.username}@{self.host}:{self.port}/{folder}"

    def remote(self, name: str) -> str:
        """A file's path in the remote folder."""
        return posixpath.join(self.remote_folder, name)

    @staticmethod
    def partial_name(name: str) -> str:
        """The temporary name a file is uploaded under: hidden, and not ending in .zip."""
        return f".{name}.partial"


class SftpDropSession:
    """One SFTP session with the provider's server."""

    def __init__(self, drop: SftpDrop, client: asyncssh.SFTPClient) -> None:
        self.drop = drop
        self.client = client

    async def stage(self, local: Path, name: str) -> None:
        """Upload the local file under its temporary name, and check the server holds all of it."""
        partial = self.drop.remote(SftpDrop.partial_name(name))
        try:
            await self.client.put(str(local), partial)
            held = (await self.client.stat(partial)).size
        except (OSError, asyncssh.Error) as error:
            raise PrintDeliveryFailed(f"uploading {name} to {self.drop.address} failed ({error})") from None
        size = await asyncio.to_thread(os.path.getsize, local)
        if held != size:
            raise PrintDeliveryFailed(f"{self.drop.address} holds {held} bytes of {name}, not {size}")

    async def publish(self, name: str) -> None:
        """Give the uploaded file its final name (refused if a file of that name is there already)."""
        try:
            await self.client.rename(self.drop.remote(SftpDrop.partial_name(name)), self.drop.remote(name))
        except (OSError, asyncssh.Error) as error:
            raise PrintDeliveryFailed(f"renaming {name} on {self.drop.address} failed ({error})") from None

    async def discard(self, name: str) -> None:
        """Remove the uploaded temporary file (a run that was not recorded); nothing if it is not there."""
        with suppress(OSError, asyncssh.Error):
            await self.client.remove(self.drop.remote(SftpDrop.partial_name(name)))


@asynccontextmanager
async def sftp_drop(drop: SftpDrop) -> AsyncIterator[SftpDropSession]:
    """Connect to the provider's server, checking its host key against the known_hosts file, and open SFTP."""
    try:
        connection = await asyncssh.connect(
            drop.host,
            port=drop.port,
            username=drop.username,
            client_keys=[str(drop.key_path)],
            known_hosts=str(drop.known_hosts),
            password=None,
            agent_path=None,
            connect_timeout=drop.timeout_seconds,
            login_timeout=drop.timeout_seconds,
        )
    except (OSError, asyncssh.Error) as error:
        # The message names the server and the failure, never the key.
        raise PrintDeliveryFailed(f"cannot connect to {drop.address} ({error})") from None
    try:
        async with connection, connection.start_sftp_client() as client:
            yield SftpDropSession(drop, client)
    except asyncssh.Error as error:
        raise PrintDeliveryFailed(f"SFTP with {drop.address} failed ({error})") from None
