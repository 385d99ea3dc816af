import sys

import structlog

from services.recovery.bootstrap import bootstrap
from services.recovery.domain.policy_loader import PolicyFileError
from shared.logs import configure_logging
from shared.settings import platform_settings

try:
    service = bootstrap()
except PolicyFileError as refusal:
    # An inconsistent policy file refuses start-up, saying where and why (file:line: reason).
    settings = platform_settings()
    configure_logging("recovery", settings.log_level, settings.log_format)
    structlog.get_logger("recovery").error("recovery policy refused, not starting", problem=str(refusal))
    sys.exit(2)

service.runtime.main()
