"""`python -m services.writeoff`: the write-off service, wired by its bootstrap."""

from services.writeoff.bootstrap import bootstrap

bootstrap().runtime.main()
