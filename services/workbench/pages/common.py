"""What every page shares: the officer's desk (their request, principal, services and the renderer), posted
forms, how a service's problem shows, and post/redirect/get after an action."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qs, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.workbench.clients import NotAllowed, NotFound, NotSignedIn, Refused, ServiceProblem, Services
from services.workbench.domain.forms import FormErrors
from services.workbench.domain.permissions import Action
from services.workbench.officer import Officer, OfficersServices, allowed, require_action
from services.workbench.rendering import Pages
from shared.auth import Principal

Answer = TypeVar("Answer")

Page = Callable[..., Awaitable[Response]]
"""A form's page drawn again, given its `errors` or the service's `refusal` (and whatever else it keeps)."""


@dataclass(frozen=True)
class Desk:
    """One officer at one page: who they are, the services as they call them, and the page renderer."""

    request: Request
    officer: Principal
    services: Services
    pages: Pages

    @property
    def allowed(self) -> frozenset[Action]:
        """The actions the officer's roles allow."""
        return allowed(self.officer)

    def require(self, action: Action) -> None:
        """403 for an action the officer's roles do not allow."""
        require_action(self.officer, action)

    def render(self, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """A page, with what the officer may do."""
        return self.pages.render(
            self.request, template, status_code, officer=self.officer, allowed=self.allowed, **context
        )

    def problem(self, problem: ServiceProblem) -> Response:
        """A service could not give what the page needs: sign in again, not allowed, not found, not answering."""
        if isinstance(problem, NotSignedIn):
            return RedirectResponse(f"/sign-in?{urlencode({'next': self.request.url.path})}", status_code=303)
        status = 403 if isinstance(problem, NotAllowed) else 404 if isinstance(problem, NotFound) else 502
        return self.render(
            "problem.html",
            status_code=status,
            title="Sorry, there is a problem",
            service=problem.service,
            reason=problem.reason,
        )

    async def submit(
        self,
        page: Page,
        errors: FormErrors,
        call: Callable[[], Awaitable[Answer]],
        back: str,
        done: str | Callable[[Answer], str],
    ) -> Response:
        """A posted form: its page again with its errors (the service not asked) or with the service's refusal
        and its reason; otherwise the service called and the officer sent `back`, told what was `done` (post,
        redirect, get). Any other problem of the service's is shown as `problem` shows it."""
        if errors:
            return await page(errors=errors)
        try:
            answer = await call()
        except Refused as refused:
            return await page(refusal=refused.reason)
        except ServiceProblem as problem:
            return self.problem(problem)
        return after_action(back, done(answer) if callable(done) else done)

    async def form(self) -> dict[str, list[str]]:
        """The posted url-encoded form, every value of each name (no files are uploaded, so no multipart)."""
        body = await self.request.body()
        return parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)

    async def fields(self) -> dict[str, str]:
        """The posted form's fields (the last value of each name)."""
        return {key: values[-1] for key, values in (await self.form()).items()}


def pages_of(request: Request) -> Pages:
    """The app's page renderer (set by bootstrap)."""
    pages: Pages = request.app.state.pages
    return pages


def desk(request: Request, officer: Officer, services: OfficersServices) -> Desk:
    """The signed-in officer's desk for this request."""
    return Desk(request, officer, services, pages_of(request))


OnDesk = Annotated[Desk, Depends(desk)]


def after_action(path: str, done: str) -> RedirectResponse:
    """Back to where the officer came from, saying what was done (post/redirect/get)."""
    joined = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{joined}{urlencode({'done': done})}", status_code=303)
