from services.billing.bootstrap import bootstrap

bootstrap().runtime.main()
