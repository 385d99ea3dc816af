from services.recovery.service import runtime

runtime.main()
