"""`python -m services.writeoff`: the write-off service, wired by its bootstrap. A deployed configuration with a
development default is refused before anything starts: the reason on stderr, exit status 2."""

import sys

from services.writeoff.bootstrap import bootstrap
from services.writeoff.settings import UnsafeConfiguration

try:
    service = bootstrap()
except UnsafeConfiguration as refused:
    print(f"writeoff: {refused}", file=sys.stderr)
    sys.exit(2)
service.runtime.main()
