"""A simulated enforcement agent working on the files in its SFTP folder, as a real agent's system would."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pydantic import SecretStr

from services.agents_gateway.domain.file_format import (
    FORMAT_VERSION,
    FileHeader,
    FileKind,
    agent_file_name,
    build_agent_file,
)
from services.agents_gateway.domain.file_validation import AgentFileReport, read_agent_file
from services.agents_gateway.domain.openpgp import decrypt_and_verify, sign_and_encrypt
from services.agents_gateway.domain.records import AnyRecord


class SimulatedAgent:
    """Reads the council's files from `root/inbox` and writes signed, encrypted returns to `root/outbox`."""

    def __init__(
        self,
        code: str,
        council: str,
        root: Path,
        agent_private_key: SecretStr,
        council_public_key: str,
    ) -> None:
        self.code = code
        self.council = council
        self.root = root
        self.agent_private_key = agent_private_key
        self.council_public_key = council_public_key
        self.sequence = 0
        self._read: set[str] = set()
        self.received: list[AgentFileReport] = []

    def council_files(self, file_kind: FileKind = FileKind.COUNCIL_INSTRUCTIONS) -> list[AgentFileReport]:
        """Every file of this kind the council has uploaded and the agent has not read yet, decrypted and checked
        (as the agent would), in name order."""
        reports: list[AgentFileReport] = []
        for path in sorted((self.root / "inbox").glob("*.pgp")):
            if path.name in self._read or f"_{file_kind.value}_" not in path.name:
                continue
            plaintext = decrypt_and_verify(path.read_bytes(), self.agent_private_key, self.council_public_key)
            report = read_agent_file(plaintext, file_kind, self.code, self.council)
            if not report.acceptable:
                raise AssertionError(f"the council sent a bad file {path.name}: {report.problems}")
            self._read.add(path.name)
            reports.append(report)
        self.received.extend(reports)
        return reports

    def records_about(self, case_reference: str, kind: str | None = None) -> list[AnyRecord]:
        """Every record received so far (after reading new files) about one case, optionally of one kind."""
        self.council_files()
        return [
            record
            for report in self.received
            for record in report.records
            if getattr(record, "case_reference", None) == case_reference
            and (kind is None or record.kind == kind)
        ]

    def returns_file(
        self,
        records: list[AnyRecord],
        sign_with: SecretStr | None = None,
        encrypt_to: str | None = None,
        sequence: int | None = None,
    ) -> tuple[str, bytes, bytes]:
        """(file name, plaintext, protected bytes) of a return file carrying `records`.

        `sign_with` and `encrypt_to` stand in for an agent using the wrong key."""
        if sequence is None:
            self.sequence += 1
            sequence = self.sequence
        header = FileHeader(
            format_version=FORMAT_VERSION,
            file_kind=FileKind.AGENT_RETURNS,
            agent=self.code,
            council=self.council,
            sequence=sequence,
            created_at=datetime.now(UTC),
        )
        plaintext = build_agent_file(header, records)
        protected = sign_and_encrypt(
            plaintext, sign_with or self.agent_private_key, encrypt_to or self.council_public_key
        )
        return agent_file_name(header), plaintext, protected

    def upload(self, name: str, protected: bytes) -> Path:
        """Put a file in the outbox for the council to fetch (written under a hidden name, then renamed)."""
        final = self.root / "outbox" / name
        partial = self.root / "outbox" / f".{name}.part"
        partial.write_bytes(protected)
        partial.rename(final)
        return final

    def send_returns(self, records: list[AnyRecord]) -> Path:
        """Build, sign, encrypt and upload a return file."""
        name, _, protected = self.returns_file(records)
        return self.upload(name, protected)
