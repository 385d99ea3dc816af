"""One call to one service, and what can go wrong with it, in words an officer's screen can show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx


class ServiceProblem(Exception):
    """A service did not do what was asked; `reason` is fit to show the officer."""

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"{service}: {reason}")
        self.service = service
        self.reason = reason


class NotSignedIn(ServiceProblem):
    """The service refused the officer's token (401): expired or revoked; the officer signs in again."""


class NotAllowed(ServiceProblem):
    """The officer's roles do not allow this (403)."""


class NotFound(ServiceProblem):
    """The service knows no such thing (404 with its reason)."""


class NotOffered(ServiceProblem):
    """The service has no such route (yet): the workbench says so rather than showing made-up data."""


class Refused(ServiceProblem):
    """The service refused the request with a reason (400, 409, 422): shown next to the form."""


class DidNotAnswer(ServiceProblem):
    """The service is down, timed out or failed (5xx)."""


def _reason(response: httpx.Response) -> str:
    """The reason a FastAPI service gave: `detail` as text, `{"reason": ...}`, or pydantic's list of errors."""
    try:
        detail = response.json().get("detail", response.text)
    except (ValueError, AttributeError):
        return response.text or response.reason_phrase
    if isinstance(detail, dict):
        return str(detail.get("reason") or detail)
    if isinstance(detail, list):
        return "; ".join(
            f"{'.'.join(str(p) for p in item.get('loc', [])[1:])}: {item.get('msg')}".lstrip(": ")
            for item in detail
            if isinstance(item, dict)
        )
    return str(detail)


def _problem(service: str, response: httpx.Response) -> ServiceProblem:
    reason = _reason(response)
    status = response.status_code
    if status == 401:
        return NotSignedIn(service, reason)
    if status == 403:
        return NotAllowed(service, reason)
    if status == 405 or (status == 404 and reason == "Not Found"):
        # FastAPI's own answer for a path no route matches; a service's 404 for a missing thing names it.
        return NotOffered(service, f"not available from {service}")
    if status == 404:
        return NotFound(service, reason)
    if 400 <= status < 500:
        return Refused(service, reason)
    return DidNotAnswer(service, f"{service} failed ({status})")


@dataclass(frozen=True)
class Download:
    """A document a service gave as it gave it: its bytes, content type and Content-Disposition (its file
    name), for the workbench to pass on to the officer's browser unchanged."""

    body: bytes
    content_type: str
    disposition: str | None


class ServiceClient:
    """One service's HTTP API with the officer's bearer token on every call."""

    def __init__(self, service: str, http: httpx.AsyncClient, token: str) -> None:
        self.service = service
        self._http = http
        self._headers = {"Authorization": f"Bearer {token}"}

    async def _answer(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._http.request(method, path, headers=self._headers, **kwargs)
        except httpx.HTTPError as error:
            raise DidNotAnswer(
                self.service, f"{self.service} did not answer ({type(error).__name__})"
            ) from None
        if response.is_success:
            return response
        raise _problem(self.service, response)

    async def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._answer(method, path, **kwargs)
        return response.json() if response.content else None

    async def get_bytes(self, path: str) -> tuple[bytes, str]:
        """GET a document (a letter's PDF): its bytes and content type."""
        found = await self.download(path)
        return found.body, found.content_type

    async def download(self, path: str, **params: Any) -> Download:
        """GET a document with query parameters (None values left out), with its type and file name."""
        response = await self._answer("GET", path, params={k: v for k, v in params.items() if v is not None})
        return Download(
            response.content,
            response.headers.get("content-type", "application/octet-stream"),
            response.headers.get("content-disposition"),
        )

    async def get(self, path: str, **params: Any) -> Any:
        """GET with query parameters (None values left out); the decoded JSON."""
        return await self._send("GET", path, params={k: v for k, v in params.items() if v is not None})

    async def post(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """POST a JSON body; the decoded JSON answer."""
        return await self._send("POST", path, json=body if body is not None else {})
