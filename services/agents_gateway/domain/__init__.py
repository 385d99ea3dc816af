"""The agents gateway's domain: agent registry, file format, OpenPGP, fee checks, reconciliation, sequencing.

Pure code: bytes and models in, bytes and models out. SFTP, storage and messaging live in the service's wiring.
"""
