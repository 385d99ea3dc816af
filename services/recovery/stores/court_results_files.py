"""Court results files as received (`court_results_file`, append-only): by sha256, with what happened to each."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from services.recovery.stores.store import Store


@dataclass(frozen=True)
class CourtResultsFileReceipt:
    """A file received and what became of it: applied whole, or quarantined whole with every bad row's reason."""

    sha256: str
    file_name: str
    received_via: str
    received_by: str
    received_on: date
    status: str  # applied | quarantined
    row_count: int
    problems: tuple[str, ...]


class CourtResultsFileStore(Store):
    """Keeping each file once, by its sha256."""

    _ADD = text(
        """
        INSERT INTO recovery.court_results_file
            (sha256, file_name, received_via, received_by, received_on, status, row_count, problems, content)
        VALUES (:sha256, :file_name, :received_via, :received_by, :received_on, :status, :row_count,
                CAST(:problems AS jsonb), :content)
        """
    )
    _ONE = text(
        "SELECT sha256, file_name, received_via, received_by, received_on, status, row_count, problems "
        "FROM recovery.court_results_file WHERE sha256 = :sha256"
    )
    # Two replicas given the same file at once: the second waits here for the first's verdict.
    _LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:sha256, 0))")

    async def lock(self, sha256: str) -> None:
        """Hold the file's lock for the rest of the transaction."""
        await self.session.execute(self._LOCK, {"sha256": sha256})

    async def receipt(self, sha256: str) -> CourtResultsFileReceipt | None:
        """What became of the file with these bytes, or None when it has not been received."""
        row = (await self.session.execute(self._ONE, {"sha256": sha256})).first()
        if row is None:
            return None
        values = dict(row._mapping)
        values["problems"] = tuple(values["problems"])
        return CourtResultsFileReceipt(**values)

    async def add(self, receipt: CourtResultsFileReceipt, content: bytes) -> None:
        """Keep the file, its bytes and its verdict."""
        await self.session.execute(
            self._ADD,
            {
                "sha256": receipt.sha256,
                "file_name": receipt.file_name,
                "received_via": receipt.received_via,
                "received_by": receipt.received_by,
                "received_on": receipt.received_on,
                "status": receipt.status,
                "row_count": receipt.row_count,
                "problems": json.dumps(list(receipt.problems)),
                "content": content,
            },
        )
