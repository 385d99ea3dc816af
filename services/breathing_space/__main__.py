from services.breathing_space.service import runtime

runtime.main()
