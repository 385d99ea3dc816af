"""`python -m services.workbench`: the officers' workbench on HTTP_HOST:HTTP_PORT."""

import structlog
import uvicorn

from services.workbench.bootstrap import bootstrap
from shared import event_loop
from shared.logs import configure_logging

workbench = bootstrap()
configure_logging("workbench", workbench.settings.log_level, workbench.settings.log_format)
server = uvicorn.Server(
    uvicorn.Config(
        workbench.http_app,
        host=workbench.settings.http_host,
        port=workbench.settings.http_port,
        log_config=None,
        access_log=False,
    )
)


async def serve() -> None:
    """Serve until SIGTERM/SIGINT; says 'service started' once listening, as every service process does."""
    import asyncio

    task = asyncio.create_task(server.serve())
    while not server.started and not task.done():
        await asyncio.sleep(0.05)
    if server.started:
        structlog.get_logger("workbench").info("service started", port=workbench.settings.http_port)
    await task


event_loop.run(serve())
