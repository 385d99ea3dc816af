"""Officers' and auditors' HTTP access to the letters issued on a case (issue 16): the list with each letter's
sha256 and print run, and the PDF itself as posted. A letter not yet printed is rendered now and kept (when its
address is known), so the PDF an officer sees is the one the print run sends."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from pydantic import BaseModel

from services.recovery.letter_pdf import address_of, render_letter_pdf
from services.recovery.recovery import Recovery
from services.recovery.stores import RecoveryStores
from services.recovery.stores.letters import LetterPdf
from shared.auth import Principal, Role, requires

router = APIRouter(tags=["letters"])


def _service(request: Request) -> Recovery:
    service: Recovery = request.app.state.service
    return service


Service = Annotated[Recovery, Depends(_service)]
Reader = Annotated[Principal, Depends(requires(Role.REVENUES_OFFICER, Role.SENIOR_OFFICER, Role.AUDITOR))]
"""An officer or an auditor: who may read the letters sent."""


class LetterListed(BaseModel):
    """One letter of the case as issued."""

    notice_id: UUID
    issued_on: date
    letter: str
    recipient_kind: str
    print_variant: str
    language: str
    amount_pence: int
    sha256: str | None
    pages: int | None
    printed_in: UUID | None
    pdf: str


@router.get("/cases/{case_id}/letters", response_model=list[LetterListed])
async def letters_of_case(case_id: UUID, service: Service, reader: Reader) -> list[LetterListed]:
    """Every letter issued on the case, oldest first, with its sha256 once rendered and its print run."""
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        letters = await handling.stores.letters.of_case(case_id)
    return [
        LetterListed(
            notice_id=item.notice_id,
            issued_on=item.issued_on,
            letter=item.template.removesuffix(".txt.j2"),
            recipient_kind=item.recipient_kind,
            print_variant=item.print_variant,
            language=item.language,
            amount_pence=item.amount_pence,
            sha256=item.sha256,
            pages=item.page_count,
            printed_in=item.print_run_id,
            pdf=f"/cases/{case_id}/letters/{item.notice_id}.pdf",
        )
        for item in letters
    ]


@router.get(
    "/cases/{case_id}/letters/{notice_id}.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, 404: {"description": "no such letter on the case"}},
)
async def letter_pdf(case_id: UUID, notice_id: UUID, service: Service, reader: Reader) -> Response:
    """The letter's PDF as posted (`X-Content-SHA256` is the sha256 kept with the case)."""
    async with service.runtime.transaction(RecoveryStores.on, service) as handling:
        letters = handling.stores.letters
        kept = await letters.pdf(case_id, notice_id)
        if kept is None:
            letter = await letters.letter(notice_id)
            if letter is None or letter.case_id != case_id:
                raise HTTPException(404, f"no letter {notice_id} on case {case_id}")
            rendered = render_letter_pdf(letter.facts, address_of(letter.address_lines, letter.postcode))
            kept = LetterPdf(notice_id, rendered.page_count, rendered.sha256, rendered.pdf)
            if letter.address_lines:  # without an address it is not yet the letter that will be posted
                await letters.add_pdfs([kept])
    return Response(
        content=bytes(kept.pdf),
        media_type="application/pdf",
        headers={
            "X-Content-SHA256": kept.sha256,
            "ETag": f'"{kept.sha256}"',
            "Content-Disposition": f'inline; filename="letter-{notice_id}.pdf"',
        },
    )
