from services.agents_gateway.gateway import runtime

runtime.main()
