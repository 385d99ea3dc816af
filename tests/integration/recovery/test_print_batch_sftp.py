"""The daily print batch delivered to the hybrid-mail provider's SFTP server (services/recovery/PRINT_BATCH.md,
issue 16): uploaded under a hidden temporary name and renamed only once the print run is recorded, to a server
whose host key the council's known_hosts file holds and no other; a delivery that fails leaves the letters
unprinted for the next run. The server is a real asyncssh SFTP server started here (as the agents gateway's
tests start theirs), logging recovery in by its key."""

from __future__ import annotations

import hashlib
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import asyncssh
import pytest
from pydantic import ValidationError

from services.recovery.letter_settings import LetterSettings
from services.recovery.print_batch import print_run
from services.recovery.print_delivery import PrintDeliveryFailed
from services.recovery.stores.letters import LetterStore
from tests.council_bus import fetch_value
from tests.integration.recovery.recovery_bus import the_recovery_service
from tests.integration.recovery.test_letters import a_reminded_case

DAY = date(2026, 5, 2)


@dataclass
class ProviderServer:
    """The provider's SFTP server: its files under `root` (the drop is `root/drop`), its host key, its port."""

    root: Path
    host_key: asyncssh.SSHKey
    port: int

    @property
    def drop(self) -> Path:
        return self.root / "drop"


@pytest.fixture
async def provider(tmp_path: Path) -> AsyncIterator[tuple[ProviderServer, Path]]:
    """The server, and the folder holding recovery's key (`id_ed25519`) and known_hosts for it."""
    ours = tmp_path / "ours"
    ours.mkdir()
    client_key = asyncssh.generate_private_key("ssh-ed25519")
    client_key.write_private_key(ours / "id_ed25519")
    os.chmod(ours / "id_ed25519", 0o600)
    root = tmp_path / "provider"
    (root / "drop").mkdir(parents=True)
    host_key = asyncssh.generate_private_key("ssh-ed25519")
    acceptor = await asyncssh.listen(
        "127.0.0.1",
        0,
        server_host_keys=[host_key],
        authorized_client_keys=asyncssh.import_authorized_keys(
            client_key.export_public_key().decode("ascii")
        ),
        sftp_factory=lambda channel: asyncssh.SFTPServer(channel, chroot=os.fsencode(root)),
        allow_scp=False,
    )
    server = ProviderServer(root, host_key, acceptor.get_port())
    _known_hosts(ours / "known_hosts", server.port, host_key)
    yield server, ours
    acceptor.close()
    await acceptor.wait_closed()


def _known_hosts(file: Path, port: int, key: asyncssh.SSHKey) -> None:
    line = f"[127.0.0.1]:{port} {key.export_public_key().decode('ascii').strip()}\n"
    file.write_text(line, encoding="ascii")


def _sftp_settings(folder: Path, server: ProviderServer, ours: Path) -> LetterSettings:
    return LetterSettings(
        print_folder=folder,
        render_workers=1,
        print_destination="sftp",
        sftp_host="127.0.0.1",
        sftp_port=server.port,
        sftp_username="council",
        sftp_key_path=ours / "id_ed25519",
        sftp_known_hosts=ours / "known_hosts",
        sftp_remote_folder="drop",
    )


async def _printed(notice_id: object) -> int:
    return int(
        await fetch_value("SELECT count(*) FROM recovery.print_run_letter WHERE notice_id = $1", notice_id)
    )


async def test_the_days_file_is_delivered_to_the_providers_sftp_folder_under_its_final_name_once_recorded(
    recovery, provider, tmp_path
):
    server, ours = provider
    service = the_recovery_service()
    await print_run(service, DAY, LetterSettings(print_folder=tmp_path / "earlier", render_workers=1))
    _case, notice = await a_reminded_case()

    summary = await print_run(service, DAY, _sftp_settings(tmp_path / "staged", server, ours))

    assert summary.printed == 1 and summary.file is not None
    delivered = sorted(p.name for p in server.drop.iterdir())
    assert delivered == [summary.file.name]  # the final name only: no temporary file left behind
    assert hashlib.sha256((server.drop / summary.file.name).read_bytes()).hexdigest() == summary.sha256
    assert summary.destination == f"sftp://council@127.0.0.1:{server.port}/drop"
    recorded = await fetch_value(
        "SELECT destination FROM recovery.print_run WHERE file_name = $1", summary.file.name
    )
    assert recorded == summary.destination and await _printed(notice) == 1


async def test_a_server_presenting_a_host_key_the_council_does_not_hold_is_refused_and_the_letters_wait(
    recovery, provider, tmp_path
):
    server, ours = provider
    service = the_recovery_service()
    await print_run(service, DAY, LetterSettings(print_folder=tmp_path / "earlier", render_workers=1))
    _case, notice = await a_reminded_case()
    settings = _sftp_settings(tmp_path / "staged", server, ours)
    _known_hosts(ours / "known_hosts", server.port, asyncssh.generate_private_key("ssh-ed25519"))

    with pytest.raises(PrintDeliveryFailed, match="cannot connect"):
        await print_run(service, DAY, settings)

    assert list(server.drop.iterdir()) == [] and list((tmp_path / "staged").iterdir()) == []
    assert await _printed(notice) == 0
    # With the server's own key known, the next run delivers the letter.
    _known_hosts(ours / "known_hosts", server.port, server.host_key)
    summary = await print_run(service, DAY, settings)
    assert summary.printed == 1 and await _printed(notice) == 1
    assert [p.name for p in server.drop.iterdir()] == [summary.file.name if summary.file else ""]


async def test_a_print_run_that_cannot_be_recorded_takes_its_upload_back_and_the_letters_wait(
    recovery, provider, tmp_path, monkeypatch
):
    server, ours = provider
    service = the_recovery_service()
    await print_run(service, DAY, LetterSettings(print_folder=tmp_path / "earlier", render_workers=1))
    _case, notice = await a_reminded_case()
    seen_on_the_server: list[str] = []

    async def failing_record(self, run, notice_ids):
        seen_on_the_server.extend(p.name for p in server.drop.iterdir())
        raise RuntimeError("the database went away")

    monkeypatch.setattr(LetterStore, "record_print_run", failing_record)
    with pytest.raises(RuntimeError, match="went away"):
        await print_run(service, DAY, _sftp_settings(tmp_path / "staged", server, ours))

    # It had been uploaded under its hidden temporary name (never a name the provider collects), then removed.
    assert len(seen_on_the_server) == 1 and seen_on_the_server[0].startswith(".")
    assert seen_on_the_server[0].endswith(".zip.partial")
    assert list(server.drop.iterdir()) == [] and list((tmp_path / "staged").iterdir()) == []
    assert await _printed(notice) == 0


def test_sftp_delivery_is_configured_in_full_or_refused() -> None:
    with pytest.raises(ValidationError, match="RECOVERY_LETTERS_SFTP_KNOWN_HOSTS"):
        LetterSettings(
            print_destination="sftp",
            sftp_host="print.example",
            sftp_username="council",
            sftp_key_path=Path("/run/secrets/print_key"),
        )
    assert LetterSettings().print_destination == "folder"
