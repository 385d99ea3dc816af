"""An officer at a browser: signing in through the council's identity provider, checking each page with axe-core
(WCAG 2.2 AA) and at a phone's width, and keeping screenshots of the pages."""

from __future__ import annotations

import os
import random
import string
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page

from shared.contracts.council_systems import LiableParty, PostalAddress

PROJECT_ROOT = Path(__file__).resolve().parents[3]
AXE = PROJECT_ROOT / "services" / "workbench" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEMO_PASSWORD = "demo-password"


def a_resident_of_their_own_postcode() -> LiableParty:
    """A resident at a postcode no other test uses, so a search by postcode finds them alone."""
    district = random.randint(10, 99)
    postcode = f"DE{district} {random.randint(1, 9)}{''.join(random.choices('ABDEFGHJLNPQRSTUWXYZ', k=2))}"
    return LiableParty(
        kind="person",
        title="Mrs",
        first_names="Margaret Ann",
        surname="Hollis" + "".join(random.choices(string.ascii_lowercase, k=6)),
        address=PostalAddress(lines=[f"{random.randint(1, 200)} Friar Gate", "Derby"], postcode=postcode),
    )


async def signed_in(browser: Browser, site: str, username: str, viewport: dict[str, int] = DESKTOP) -> Page:
    """A fresh browser that opened the workbench, was sent to the provider's sign-in form and signed in."""
    context = await browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(f"{site}/search")
    await page.wait_for_selector("#login")  # the provider's form, not the workbench's
    assert not page.url.startswith(site)
    await page.fill("#login", username)
    await page.fill("#password", DEMO_PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{site}/**")
    return page


async def accessibility_violations(page: Page) -> list[dict[str, Any]]:
    """What axe-core finds against WCAG 2.0, 2.1 and 2.2 A and AA on the page as it stands, each with the
    elements it found."""
    await page.add_script_tag(path=str(AXE))
    found: dict[str, Any] = await page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    reported = []
    for v in found["violations"]:
        nodes = [n for n in v["nodes"] if not _govuk_conditional_radio(v["id"], n)]
        if nodes:
            reported.append(
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "nodes": [n["html"] for n in nodes][:3],
                }
            )
    return reported


def _govuk_conditional_radio(rule: str, node: dict[str, Any]) -> bool:
    """GOV.UK Frontend's known issue, and nothing more: a radio that reveals conditional content carries
    `aria-expanded`, which ARIA 1.2 does not list for the radio role, so axe reports `aria-allowed-attr`. The
    Design System keeps it on purpose (screen readers announce it; alphagov/govuk-frontend#979, #1280, and
    w3c/aria#1404 to allow it). Only that attribute on a GOV.UK radio is let through; any other attribute, or
    the rule on any other element, is still a violation."""
    if rule != "aria-allowed-attr" or 'class="govuk-radios__input"' not in node["html"]:
        return False
    checks = node.get("any", []) + node.get("all", []) + node.get("none", [])
    attributes = [
        str(value)
        for check in checks
        for value in (
            (check.get("data") or {}).get("values") or [] if isinstance(check.get("data"), dict) else []
        )
    ]
    return len(checks) == 1 and bool(attributes) and all(a.startswith("aria-expanded=") for a in attributes)


async def page_width(page: Page) -> int:
    """How wide the page's content is (wider than the window means sideways scrolling)."""
    width: int = await page.evaluate("document.documentElement.scrollWidth")
    return width


async def checked(page: Page, name: str) -> None:
    """Assert the page has no WCAG 2.2 AA violation and no sideways scroll at its window's width, and keep a
    screenshot (into WORKBENCH_SCREENSHOTS when set, e.g. docs/screenshots)."""
    violations = await accessibility_violations(page)
    assert violations == [], f"{name}: {violations}"
    window = page.viewport_size
    assert window is not None
    assert await page_width(page) <= window["width"], f"{name} scrolls sideways at {window['width']} px"
    folder = os.environ.get("WORKBENCH_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        await page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
