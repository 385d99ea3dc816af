from services.billing.service import runtime

runtime.main()
