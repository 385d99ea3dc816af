"""File sequence numbers and duplicate detection.

Outbound: each agent sees one unbroken sequence 1, 2, 3... of our files (instructions and rejections share it),
so the agent can tell when one is missing. Inbound: an agent's file is identified by the SHA-256 of its bytes;
a file seen before is applied once only. The ciphertext hash catches a re-upload before we spend time
decrypting; the plaintext hash catches the same content encrypted again (new ciphertext, same file); the header's
sequence number catches a replay with a different creation time.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from enum import StrEnum


def next_outbound_sequence(last_sent_by_agent: Mapping[str, int], agent: str) -> int:
    """The sequence number for our next file to `agent`: one more than the last sent, starting at 1."""
    return last_sent_by_agent.get(agent, 0) + 1


class InboundFileVerdict(StrEnum):
    """What to do with an inbound file given the files already received from that agent."""

    NEW = "new"
    DUPLICATE_FILE = "duplicate_file"
    DUPLICATE_SEQUENCE = "duplicate_sequence"


@dataclass(frozen=True)
class InboundSequenceCheck:
    """The verdict on an inbound file, plus any sequence numbers skipped before it (to chase with the agent)."""

    verdict: InboundFileVerdict
    missing_sequences: tuple[int, ...] = ()

    @property
    def apply(self) -> bool:
        """True when the file is new and should be processed."""
        return self.verdict is InboundFileVerdict.NEW


def is_duplicate_file(file_sha256: str, received_hashes: Container[str]) -> bool:
    """True when a file with this hash (of ciphertext or plaintext) was received before."""
    return file_sha256 in received_hashes


def check_inbound_file(
    plaintext_sha256: str,
    sequence: int,
    received_hashes: Container[str],
    applied_sequences: set[int],
) -> InboundSequenceCheck:
    """Decide whether an agent's decrypted file is new, and which earlier sequence numbers never arrived.

    `received_hashes` holds every file received, quarantined ones included (the same bad file twice is still one
    quarantine); `applied_sequences` holds only applied files, so a corrected resend under a quarantined file's
    sequence number is accepted. A gap does not stop the file being applied (the agent resends the missing one); it is reported so the
    council can chase it. A sequence number already applied under a different hash is a replay: not applied.
    """
    if is_duplicate_file(plaintext_sha256, received_hashes):
        return InboundSequenceCheck(InboundFileVerdict.DUPLICATE_FILE)
    if sequence in applied_sequences:
        return InboundSequenceCheck(InboundFileVerdict.DUPLICATE_SEQUENCE)
    highest = max(applied_sequences, default=0)
    expected = set(range(1, max(highest, sequence)))
    missing = tuple(sorted(expected - applied_sequences - {sequence}))
    return InboundSequenceCheck(InboundFileVerdict.NEW, missing)
