"""An agent's SFTP server: asyncssh with an SFTP subsystem rooted in a folder, password login, its own host key."""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh


class _PasswordLogin(asyncssh.SSHServer):
    def __init__(self, username: str, password: str) -> None:
        self._username = username
        self._password = password

    def begin_auth(self, username: str) -> bool:
        return True  # authentication is always required

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return username == self._username and password == self._password


class AgentSftpServer:
    """An SFTP server whose users see `root` as `/`, with `inbox/` and `outbox/` folders created."""

    def __init__(
        self, root: Path, host_key: asyncssh.SSHKey, username: str, password: str, host: str = "127.0.0.1"
    ) -> None:
        self.root = root
        self.host_key = host_key
        self.username = username
        self.password = password
        self.host = host
        self.port = 0
        self._acceptor: asyncssh.SSHAcceptor | None = None

    @property
    def pinned_host_key(self) -> str:
        """The host key in OpenSSH public form, as the registry pins it."""
        return self.host_key.export_public_key().decode("ascii").strip()

    async def start(self, port: int = 0) -> int:
        """Listen (port 0: any free port); the port listened on."""
        (self.root / "inbox").mkdir(parents=True, exist_ok=True)
        (self.root / "outbox").mkdir(parents=True, exist_ok=True)
        root = os.fsencode(self.root)
        self._acceptor = await asyncssh.listen(
            self.host,
            port,
            server_host_keys=[self.host_key],
            server_factory=lambda: _PasswordLogin(self.username, self.password),
            sftp_factory=lambda channel: asyncssh.SFTPServer(channel, chroot=root),
            allow_scp=False,
        )
        self.port = self._acceptor.get_port()
        return self.port

    async def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._acceptor is not None:
            self._acceptor.close()
            await self._acceptor.wait_closed()
            self._acceptor = None
