"""Letters as posted (`letter`: the facts each letter says; `letter_pdf`: the PDF rendered from them and its
sha256), the postal addresses they go to, the daily print runs that sent them to the printer, and the retention
purge with its record (`letter_purge`). Migration `recovery_0007`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import text

from services.recovery.stores.store import Store, as_arrays
from shared.persistence.stores import optional_row_as, rows_as


@dataclass(frozen=True)
class LetterRecord:
    """A letter issued: what its PDF is rendered from."""

    notice_id: UUID
    case_id: UUID
    council: str
    issued_on: date
    template: str
    debt_type: str
    recipient_kind: str
    print_variant: str
    language: str
    amount_pence: int
    facts: dict[str, Any]


@dataclass(frozen=True)
class LetterToRender:
    """A letter with the postal address it goes to (none when billing gave none)."""

    notice_id: UUID
    case_id: UUID
    issued_on: date
    template: str
    recipient_kind: str
    print_variant: str
    amount_pence: int
    facts: dict[str, Any]
    address_lines: list[str] | None
    postcode: str | None


@dataclass(frozen=True)
class LetterPdf:
    """A letter's PDF as printed."""

    notice_id: UUID
    page_count: int
    sha256: str
    pdf: bytes


@dataclass(frozen=True)
class LetterOnRecord:
    """One letter as the case record lists it."""

    notice_id: UUID
    issued_on: date
    template: str
    recipient_kind: str
    print_variant: str
    language: str
    amount_pence: int
    sha256: str | None
    page_count: int | None
    print_run_id: UUID | None


@dataclass(frozen=True)
class PrintRunRecord:
    """One print run: the file sent to the printer and what it holds."""

    print_run_id: UUID
    council: str
    business_date: date
    sequence: int
    file_name: str
    destination: str
    letters: int
    pages: int
    total_pence: int
    sha256: str


_CASE_ADDRESS = """
    LEFT JOIN LATERAL (
        SELECT pa.lines, pa.postcode FROM recovery.case_customer cc
          JOIN recovery.postal_address pa ON pa.customer_id = cc.customer_id
         WHERE cc.case_id = l.case_id ORDER BY cc.customer_id LIMIT 1) a ON true
"""
# A letter to someone other than the debtor (an employer, the DWP) carries its own address in its facts
# (`recipient_address`, `recipient_postcode`, written by `post_order_letters`): that is where it is posted, and the
# print manifest's envelope address; every other letter goes to the case's (the first customer's) postal address.
_OWN_ADDRESS = "l.facts->'recipient_address' IS NOT NULL"
_POSTED_LINES = f"CASE WHEN {_OWN_ADDRESS} THEN l.facts->'recipient_address' ELSE a.lines END"
_POSTED_POSTCODE = (
    f"CASE WHEN {_OWN_ADDRESS} THEN coalesce(l.facts->>'recipient_postcode', '') ELSE a.postcode END"
)
_HAS_CASE_ADDRESS = (
    "EXISTS (SELECT 1 FROM recovery.case_customer cc JOIN recovery.postal_address pa "
    "ON pa.customer_id = cc.customer_id WHERE cc.case_id = l.case_id)"
)
_ADDRESSED = f"({_OWN_ADDRESS} OR {_HAS_CASE_ADDRESS})"
_TO_RENDER_COLUMNS = (
    "l.notice_id, l.case_id, l.issued_on, l.template, l.recipient_kind, l.print_variant, l.amount_pence, "
    f"l.facts, {_POSTED_LINES} AS address_lines, {_POSTED_POSTCODE} AS postcode"
)


class LetterStore(Store):
    """Letters, their PDFs, their addresses and print runs."""

    _ADDRESS = text(
        "INSERT INTO recovery.postal_address (customer_id, lines, postcode) "
        "VALUES (:id, CAST(:lines AS jsonb), :postcode) "
        "ON CONFLICT (customer_id) DO UPDATE SET lines = excluded.lines, postcode = excluded.postcode, "
        "recorded_at = now()"
    )
    _LETTERS = text(
        "INSERT INTO recovery.letter (notice_id, case_id, council, issued_on, template, debt_type, "
        "recipient_kind, print_variant, language, amount_pence, facts) "
        "SELECT u.notice_id, u.case_id, u.council, u.issued_on, u.template, u.debt_type, u.recipient_kind, "
        "u.print_variant, u.language, u.amount_pence, u.facts::jsonb "
        "FROM unnest(CAST(:notice_id AS uuid[]), CAST(:case_id AS uuid[]), CAST(:council AS text[]), "
        "CAST(:issued_on AS date[]), CAST(:template AS text[]), CAST(:debt_type AS text[]), "
        "CAST(:recipient_kind AS text[]), CAST(:print_variant AS text[]), CAST(:language AS text[]), "
        "CAST(:amount_pence AS bigint[]), CAST(:facts AS text[])) AS u(notice_id, case_id, council, issued_on, "
        "template, debt_type, recipient_kind, print_variant, language, amount_pence, facts)"
    )
    _ONE = text(f"SELECT {_TO_RENDER_COLUMNS} FROM recovery.letter l {_CASE_ADDRESS} WHERE l.notice_id = :id")
    _MANY = text(
        f"SELECT {_TO_RENDER_COLUMNS} FROM recovery.letter l {_CASE_ADDRESS} WHERE l.notice_id = ANY(:ids) "
        "ORDER BY l.notice_id"
    )
    _PDFS = text(
        "INSERT INTO recovery.letter_pdf (notice_id, page_count, sha256, pdf) "
        "SELECT * FROM unnest(CAST(:notice_id AS uuid[]), CAST(:page_count AS integer[]), "
        "CAST(:sha256 AS text[]), CAST(:pdf AS bytea[])) ON CONFLICT (notice_id) DO NOTHING"
    )
    _PDF = text(
        "SELECT p.notice_id, p.page_count, p.sha256, p.pdf FROM recovery.letter_pdf p "
        "JOIN recovery.letter l ON l.notice_id = p.notice_id WHERE l.case_id = :case_id AND p.notice_id = :id"
    )
    _OF_CASE = text(
        "SELECT l.notice_id, l.issued_on, l.template, l.recipient_kind, l.print_variant, l.language, "
        "l.amount_pence, p.sha256, p.page_count, r.print_run_id "
        "FROM recovery.letter l LEFT JOIN recovery.letter_pdf p ON p.notice_id = l.notice_id "
        "LEFT JOIN recovery.print_run_letter r ON r.notice_id = l.notice_id "
        "WHERE l.case_id = :case_id ORDER BY l.issued_on, l.notice_id"
    )
    _SEQUENCE = text(
        "SELECT coalesce(max(sequence), 0) + 1 FROM recovery.print_run "
        "WHERE council = :council AND business_date = :day"
    )
    _RUN = text(
        "INSERT INTO recovery.print_run (print_run_id, council, business_date, sequence, file_name, destination, "
        "letters, pages, total_pence, sha256) VALUES (:print_run_id, :council, :business_date, :sequence, "
        ":file_name, :destination, :letters, :pages, :total_pence, :sha256)"
    )
    _RUN_LETTERS = text(
        "INSERT INTO recovery.print_run_letter (notice_id, print_run_id) "
        "SELECT unnest(CAST(:ids AS uuid[])), :run"
    )
    _RUNS = text(
        "SELECT print_run_id, council, business_date, sequence, file_name, destination, letters, pages, "
        "total_pence, sha256 FROM recovery.print_run WHERE council = :council AND business_date = :day "
        "ORDER BY sequence"
    )
    # Retention: a case's letters go once its last recovery action (a step, a letter) is older than the rule's
    # years and the case is no longer open. The purge's own record stays.
    _PURGE = text(
        """
        WITH last_action AS (
            SELECT c.case_id,
                   greatest(coalesce((SELECT max(s.taken_on) FROM recovery.case_step s WHERE s.case_id = c.case_id),
                                     DATE '1900-01-01'),
                            coalesce((SELECT max(l.issued_on) FROM recovery.letter l WHERE l.case_id = c.case_id),
                                     DATE '1900-01-01'),
                            coalesce(c.closed_on, DATE '1900-01-01')) AS last_on
              FROM recovery.recovery_case c
             WHERE c.status <> 'open'
               AND EXISTS (SELECT 1 FROM recovery.letter l WHERE l.case_id = c.case_id)
        ), gone AS (
            DELETE FROM recovery.letter l USING last_action a
             WHERE l.case_id = a.case_id AND a.last_on < :keep_from
            RETURNING l.notice_id, l.case_id, l.issued_on
        )
        INSERT INTO recovery.letter_purge (notice_id, case_id, issued_on, sha256, purged_on, rule)
        SELECT g.notice_id, g.case_id, g.issued_on, p.sha256, :today, :rule
          FROM gone g LEFT JOIN recovery.letter_pdf p ON p.notice_id = g.notice_id
        RETURNING notice_id
        """
    )

    _UNRENDERED = text(
        "SELECT l.notice_id FROM recovery.letter l "
        "WHERE l.council = :council AND l.issued_on <= :day "
        "AND NOT EXISTS (SELECT 1 FROM recovery.letter_pdf p WHERE p.notice_id = l.notice_id) "
        "AND NOT EXISTS (SELECT 1 FROM recovery.print_run_letter r WHERE r.notice_id = l.notice_id) "
        f"AND {_ADDRESSED} "
        "ORDER BY l.notice_id LIMIT :limit FOR UPDATE OF l SKIP LOCKED"
    )
    _UNADDRESSED = text(
        "SELECT count(*) FROM recovery.letter l WHERE l.council = :council AND l.issued_on <= :day "
        "AND NOT EXISTS (SELECT 1 FROM recovery.print_run_letter r WHERE r.notice_id = l.notice_id) "
        f"AND NOT {_ADDRESSED}"
    )
    _PRINTABLE = text(
        "SELECT l.notice_id, l.case_id, l.issued_on, l.template, l.print_variant, l.language, l.recipient_kind, "
        "l.amount_pence, l.facts->>'reference' AS reference, l.facts->>'debtor_name' AS recipient_name, "
        f"p.page_count, p.sha256, p.pdf, {_POSTED_LINES} AS address_lines, {_POSTED_POSTCODE} AS postcode "
        f"FROM recovery.letter l JOIN recovery.letter_pdf p ON p.notice_id = l.notice_id {_CASE_ADDRESS} "
        "WHERE l.council = :council AND l.issued_on <= :day AND (l.issued_on, l.notice_id) > (:after_day, :after_id) "
        f"AND {_ADDRESSED} "
        "AND NOT EXISTS (SELECT 1 FROM recovery.print_run_letter r WHERE r.notice_id = l.notice_id) "
        "ORDER BY l.issued_on, l.notice_id LIMIT :limit FOR UPDATE OF l SKIP LOCKED"
    )

    async def remember_address(self, customer_id: UUID, lines: list[str], postcode: str) -> None:
        """Where the customer's letters are posted, as billing last told us."""
        await self.session.execute(
            self._ADDRESS, {"id": customer_id, "lines": json.dumps(lines), "postcode": postcode}
        )

    async def add_letters(self, letters: list[LetterRecord]) -> None:
        """Record letters issued, in one statement."""
        if letters:
            params = as_arrays(letters)
            params["facts"] = [json.dumps(f, default=str) for f in params["facts"]]
            await self.session.execute(self._LETTERS, params)

    async def letter(self, notice_id: UUID) -> LetterToRender | None:
        """One letter and its address."""
        return optional_row_as(
            LetterToRender, (await self.session.execute(self._ONE, {"id": notice_id})).first()
        )

    async def letters(self, notice_ids: list[UUID]) -> list[LetterToRender]:
        """Many letters and their addresses in one query."""
        rows = await self.session.execute(self._MANY, {"ids": notice_ids})
        return rows_as(LetterToRender, rows.all())

    async def add_pdfs(self, pdfs: list[LetterPdf]) -> None:
        """Keep letters' PDFs (a letter rendered before keeps its first PDF)."""
        if pdfs:
            await self.session.execute(self._PDFS, as_arrays(pdfs))

    async def pdf(self, case_id: UUID, notice_id: UUID) -> LetterPdf | None:
        """A letter's PDF as printed, if it has been rendered."""
        row = (await self.session.execute(self._PDF, {"case_id": case_id, "id": notice_id})).first()
        return optional_row_as(LetterPdf, row)

    async def of_case(self, case_id: UUID) -> list[LetterOnRecord]:
        """Every letter of the case, oldest first."""
        rows = await self.session.execute(self._OF_CASE, {"case_id": case_id})
        return rows_as(LetterOnRecord, rows.all())

    async def next_sequence(self, council: str, day: date) -> int:
        """The number of the day's next print run for the council (1, 2, ...)."""
        return int(
            (await self.session.execute(self._SEQUENCE, {"council": council, "day": day})).scalar_one()
        )

    async def record_print_run(self, run: PrintRunRecord, notice_ids: list[UUID]) -> None:
        """The print run, and every letter it sent to the printer (each letter once)."""
        await self.session.execute(self._RUN, run.__dict__)
        if notice_ids:
            await self.session.execute(self._RUN_LETTERS, {"ids": notice_ids, "run": run.print_run_id})

    async def print_runs(self, council: str, day: date) -> list[PrintRunRecord]:
        """The day's print runs for the council."""
        rows = await self.session.execute(self._RUNS, {"council": council, "day": day})
        return rows_as(PrintRunRecord, rows.all())

    async def unrendered(self, council: str, day: date, limit: int) -> list[UUID]:
        """Letters issued by `day`, not printed, with an address and no PDF yet: locked for rendering."""
        rows = await self.session.execute(self._UNRENDERED, {"council": council, "day": day, "limit": limit})
        return [r.notice_id for r in rows]

    async def unaddressed(self, council: str, day: date) -> int:
        """Letters issued by `day` and not printed that have no postal address to go to (neither their own nor
        the case's)."""
        return int(
            (await self.session.execute(self._UNADDRESSED, {"council": council, "day": day})).scalar_one()
        )

    async def printable(self, council: str, day: date, after: tuple[date, UUID], limit: int) -> list[Any]:
        """The next `limit` rendered, addressed, unprinted letters after `after` (issued_on, notice_id), locked,
        with their PDF, address and manifest fields."""
        params = {"council": council, "day": day, "after_day": after[0], "after_id": after[1], "limit": limit}
        return list((await self.session.execute(self._PRINTABLE, params)).all())

    async def purge(self, today: date, keep_from: date, rule: str) -> int:
        """Remove the letters (facts and PDFs) of cases whose last recovery action was before `keep_from`,
        recording each under `rule`; the number removed."""
        rows = await self.session.execute(self._PURGE, {"today": today, "keep_from": keep_from, "rule": rule})
        return len(rows.all())
