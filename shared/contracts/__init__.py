"""Every message contract on the bus, in one place. Importing this package registers them all."""

from shared.contracts import (  # noqa: F401
    agents_gateway,
    benefits,
    billing,
    breathing_space,
    council_systems,
    platform,
    proof_of_debt,
    recovery,
    writeoff,
)
from shared.contracts.envelope import CONTRACTS, Contract, Envelope, MalformedMessage, contract, open_envelope

__all__ = ["CONTRACTS", "Contract", "Envelope", "MalformedMessage", "contract", "open_envelope"]
