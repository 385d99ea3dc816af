"""The gateway talks only to the agent's server whose host key the registry pins."""

from __future__ import annotations

import asyncssh
import pytest

from services.agents_gateway.domain.agent_registry import SftpEndpoint
from services.agents_gateway.sftp import AgentUnreachable, agent_sftp


def endpoint(server, **overrides) -> SftpEndpoint:
    values = dict(
        host=server.host,
        port=server.port,
        username=server.username,
        password=server.password,
        host_key=server.pinned_host_key,
    )
    values.update(overrides)
    return SftpEndpoint(**values)


async def test_the_pinned_host_key_lets_the_gateway_in(sftp_server):
    async with agent_sftp(endpoint(sftp_server)) as sftp:
        await sftp.upload("pinning-check.txt", b"hello")
        assert (sftp_server.root / "inbox" / "pinning-check.txt").read_bytes() == b"hello"
    (sftp_server.root / "inbox" / "pinning-check.txt").unlink()


async def test_a_server_presenting_another_host_key_is_refused(sftp_server):
    impostor_key = asyncssh.generate_private_key("ssh-ed25519").export_public_key().decode().strip()
    with pytest.raises(AgentUnreachable, match="cannot connect"):
        async with agent_sftp(endpoint(sftp_server, host_key=impostor_key)):
            pass


async def test_a_wrong_password_is_refused(sftp_server):
    with pytest.raises(AgentUnreachable):
        async with agent_sftp(endpoint(sftp_server, password="not-the-password")):
            pass
