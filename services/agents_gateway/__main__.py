"""`python -m services.agents_gateway`: the whole gateway (every handler, the background work and HTTP)."""

from services.agents_gateway.bootstrap import bootstrap

bootstrap().runtime.main()
