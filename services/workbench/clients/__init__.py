"""The services' HTTP APIs as the workbench calls them: always with the signed-in officer's access token, so
every service checks the officer's roles itself and records who acted from the token."""

from services.workbench.clients.calls import (
    DidNotAnswer,
    NotAllowed,
    NotFound,
    NotOffered,
    NotSignedIn,
    Refused,
    ServiceClient,
    ServiceProblem,
)
from services.workbench.clients.services import ServiceConnections, Services

__all__ = [
    "DidNotAnswer",
    "NotAllowed",
    "NotFound",
    "NotOffered",
    "NotSignedIn",
    "Refused",
    "ServiceClient",
    "ServiceConnections",
    "ServiceProblem",
    "Services",
]
