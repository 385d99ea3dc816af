"""Every message contract on the bus, in one place. Importing this package registers them all."""

from shared.contracts import billing, council_systems, platform  # noqa: F401
from shared.contracts.envelope import CONTRACTS, Contract, Envelope, MalformedMessage, contract, open_envelope

__all__ = ["CONTRACTS", "Contract", "Envelope", "MalformedMessage", "contract", "open_envelope"]
