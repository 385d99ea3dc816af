from services.breathing_space.bootstrap import bootstrap

bootstrap().runtime.main()
