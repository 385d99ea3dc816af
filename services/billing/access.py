"""Who may call billing's HTTP routes (every route names one of these; who acted is the token's principal).

Reads of council data are open to revenues and senior officers, auditors (read-only) and council systems; finding
a customer and seeing what they owe is open to breathing space and agents officers too, whose work starts from the
person. Changes need the officer roles that make them: match decisions by revenues or senior officers, a refund
(council money paid out) only by a senior officer, the annual billing run by operations or a senior officer, or the
council tax system itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.auth import Principal, Role, requires

READERS = (Role.REVENUES_OFFICER, Role.SENIOR_OFFICER, Role.AUDITOR, Role.COUNCIL_SYSTEM)

Reader = Annotated[Principal, Depends(requires(*READERS))]
"""Reads billing's records: balances, reports, match reviews."""

CustomerReader = Annotated[
    Principal, Depends(requires(*READERS, Role.BREATHING_SPACE_OFFICER, Role.AGENTS_OFFICER))
]
"""Finds a customer and reads everything they owe."""

Officer = Annotated[Principal, Depends(requires(Role.REVENUES_OFFICER, Role.SENIOR_OFFICER))]
"""Acts on a customer's account: decides a match, records a counter payment or a taxpayer's refund request."""

SeniorOfficer = Annotated[Principal, Depends(requires(Role.SENIOR_OFFICER))]
"""Pays council money out: authorises a refund."""

RunStarter = Annotated[
    Principal, Depends(requires(Role.OPERATIONS, Role.SENIOR_OFFICER, Role.COUNCIL_SYSTEM))
]
"""Starts the annual council tax billing run."""
