from services.writeoff.service import runtime

runtime.main()
