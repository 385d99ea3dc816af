"""The other side of the exchange, for tests, benchmarks and a developer's machine: an agent's SFTP server
(asyncssh, rooted in a folder) and an agent that reads the council's files and writes returns.

Nothing here is used by the gateway itself; it is the counterpart the gateway is tested against.
"""
