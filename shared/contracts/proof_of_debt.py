"""The contract between recovery and the council service that raised a debt, for proof of the debt (NELC 5.10, 5.12).

Where initial recovery has failed, the debt is referred back to the issuing department to produce proof of the
debt so that further recovery can be taken; if proof cannot be provided on request, the debt is subject to write
off (NELC 5.10). When proof has been provided, recovery carries on (NELC 5.12: to the court enforcement officers).

Recovery publishes `recovery.proof_of_debt.requested` when a case reaches its policy's proof of debt step. The
originating service's system (a council system, publishing as the `council_systems` broker user) answers with
`council_systems.proof_of_debt.provided` (the evidence exists and is held: recovery continues on the case's route)
or `council_systems.proof_of_debt.not_provided` (it cannot be produced: recovery asks for the debt to be written off
with reason `no_proof_of_debt`). No answer by `reply_by`: the daily run after that date asks for the write-off with
the same reason. Each answer quotes the `request_id`; the first answer to a request stands, and one published twice
is applied once.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from shared.contracts.envelope import Contract, contract

ASKED = (
    "evidence of the liability sufficient to secure recovery through the courts (NELC 3.3, 5.4): the order, "
    "contract, agreement or record of the service provided, and the invoice raised for it"
)
"""What recovery asks the originating service for, in the policy's words."""


@contract("recovery.proof_of_debt.requested", version=1)
class ProofOfDebtRequested(Contract):
    """Recovery asks the service that raised the debt to produce proof of it by `reply_by` (NELC 5.10).

    Addressed to `originating_service` (the directorate or service that owns the debt, NELC 5.7), which
    answers with `council_systems.proof_of_debt.provided` or `.not_provided` quoting `request_id`. Silence after
    `reply_by` is taken as no proof: the debt goes to write-off with reason `no_proof_of_debt`. The same request
    published twice is one request."""

    request_id: UUID = Field(description="quoted back in the answer")
    case_id: UUID
    debt_id: UUID
    council: str = Field(description="whose policy asks, e.g. 'nelc'")
    originating_service: str = Field(
        description="the council service or directorate that raised the debt and owns it (NELC 5.7)"
    )
    external_reference: str | None = Field(
        default=None, description="the originating system's own reference for the charge (its invoice number)"
    )
    income_code: str = Field(description="the income code the debt was raised to")
    debt_type: str
    amount_pence: int = Field(gt=0, description="what is still owed")
    evidence_reference: str | None = Field(
        default=None, description="the evidence the service quoted when it asked for the debt to be raised"
    )
    asked: str = Field(description="what the service is asked to produce")
    requested_on: date
    reply_by: date = Field(
        description="the last day for the answer: the council's policy gives the service this many working "
        "days; no answer by then is taken as no proof"
    )


@contract("council_systems.proof_of_debt.provided", version=1)
class ProofOfDebtProvided(Contract):
    """The originating service holds proof of the debt (NELC 5.12): recovery continues on the case's route. The
    evidence itself stays with the service (NELC 3.3: kept for six years after the last recovery action); this
    says what it is and where it is kept, for the case record and any court."""

    request_id: UUID = Field(description="the request answered")
    case_id: UUID = Field(description="recovery's case, as the request gave it")
    debt_id: UUID = Field(description="the debt the proof is for")
    provided_on: date = Field(description="the day the service confirmed the proof")
    evidence: list[str] = Field(
        min_length=1, description="what proves the debt, one document or record per item, with its reference"
    )
    confirmed_by: str = Field(description="the service officer or role who confirmed the proof")


@contract("council_systems.proof_of_debt.not_provided", version=1)
class ProofOfDebtNotProvided(Contract):
    """The originating service cannot produce proof of the debt (NELC 5.10): recovery asks for it to be written
    off with reason `no_proof_of_debt`, `reason` going with the request as evidence."""

    request_id: UUID = Field(description="the request answered")
    case_id: UUID = Field(description="recovery's case, as the request gave it")
    debt_id: UUID = Field(description="the debt asked about")
    answered_on: date = Field(description="the day the service answered")
    reason: str = Field(description="why no proof can be produced, e.g. 'no signed order on file'")
    confirmed_by: str = Field(description="the service officer or role who answered")
