from services.agents_gateway.service import runtime

runtime.main()
