"""A letter as a print-ready PDF: A4, the council's letterhead and logo, the recipient's name and postal address
where a DL window envelope shows it, the references, amounts and dates, the letter's words laid out from its
template, and a large-print variant (at least 16 pt, re-flowed). Tagged PDF/UA-1 (WeasyPrint's `pdf/ua-1`), with
the document's language set, so a screen reader reads it in order. A council that writes in Welsh gets the Welsh
letter first and the English after it (every notice has its Welsh letter in `letters/cy/`; one added without
it is sent in English).

The words come from the same templates as the text letter (`letters/*.txt.j2`), rendered without the text
header: the letter's first line is its title (the PDF's title and its one level-1 heading, what a screen reader
announces first), whatever its case ("FINAL NOTICE: PAY £900.00 BY 6 September 2026" has a date in it); after
it a line in capitals is a heading, lines starting "- " are a list, every other line a paragraph. Pure apart from reading the templates and stylesheets once.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import weasyprint
from jinja2 import Environment, StrictUndefined, select_autoescape
from weasyprint.text.fonts import FontConfiguration

from services.recovery.domain.notices import letter_templates, render_letter_text
from services.recovery.domain.policy import StepKind
from services.recovery.letter_content import advice_for, pay_to_for, rights_for, translation_set
from services.recovery.letterheads import LOGOS_DIR, Letterhead, letterhead_for
from services.recovery.letters import INCLUDES, TEMPLATES

PDF_DIR = Path(__file__).resolve().parent / "letters" / "pdf"
WELSH_DIR = Path(__file__).resolve().parent / "letters" / "cy"
# Enforcement after the order (post_order_letters.py): its letters, not any timetable's step.
POST_ORDER_TEMPLATES = letter_templates(Path(__file__).resolve().parent / "letters" / "post_order")
PDF_VARIANT = "pdf/ua-1"
LABELS = {
    "en": {"date": "Date", "reference": "Reference", "about": "About", "contact": "Contact us"},
    "cy": {"date": "Dyddiad", "reference": "Cyfeirnod", "about": "Ynghylch", "contact": "Cysylltwch â ni"},
}
BILINGUAL_NOTES = {
    "cy": "Mae fersiwn Saesneg o'r llythyr hwn yn dilyn. An English version of this letter follows.",
    "en": "This is the English version of the letter above.",
}


@dataclass(frozen=True)
class PostalAddress:
    """Where the letter is posted: the address lines and the postcode."""

    lines: tuple[str, ...]
    postcode: str


@dataclass(frozen=True)
class RenderedLetter:
    """A letter's PDF, its sha256 (hex) and its page count."""

    pdf: bytes
    sha256: str
    page_count: int


@dataclass(frozen=True)
class Block:
    """One piece of a letter's layout: its title, a heading, a paragraph or a list."""

    kind: str
    lines: tuple[str, ...]


def letter_blocks(text: str) -> list[Block]:
    """The letter's words as layout blocks (see the module docstring)."""
    blocks: list[Block] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not blocks:
            blocks.append(Block("title", (line,)))
        elif line.startswith("- "):
            if blocks and blocks[-1].kind == "list":
                blocks[-1] = Block("list", (*blocks[-1].lines, line[2:]))
            else:
                blocks.append(Block("list", (line[2:],)))
        elif line == line.upper() and any(c.isalpha() for c in line):
            blocks.append(Block("heading", (line,)))
        else:
            blocks.append(Block("paragraph", (line,)))
    return blocks


@lru_cache(maxsize=1)
def _page() -> Any:
    env = Environment(autoescape=select_autoescape(default=True), undefined=StrictUndefined)
    return env.from_string((PDF_DIR / "letter.html.j2").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _fonts_and_styles() -> tuple[FontConfiguration, weasyprint.CSS, weasyprint.CSS]:
    # Parsing the stylesheets and finding the fonts costs more than laying out a letter: done once per process.
    fonts = FontConfiguration()
    standard = weasyprint.CSS(filename=str(PDF_DIR / "letter.css"), font_config=fonts)
    large = weasyprint.CSS(filename=str(PDF_DIR / "large_print.css"), font_config=fonts)
    return fonts, standard, large


@lru_cache(maxsize=16)
def _logo_uri(logo: str) -> str:
    # Each logo file is read once per process, not once per letter.
    svg = (LOGOS_DIR / logo).read_text(encoding="utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


# WeasyPrint's image cache, shared by every letter this process renders: each council's logo (an SVG) is parsed
# once, not once per letter. Keyed by the logo's data URI, so it holds one entry per council.
_IMAGES: dict[str, Any] = {}


def welsh_templates() -> dict[str, str]:
    """The Welsh letters by template name (the same names as the English)."""
    return letter_templates(WELSH_DIR)


WELSH = welsh_templates()
WELSH_INCLUDES = {name: body for name, body in WELSH.items() if name.startswith("_")}
WELSH_POST_ORDER = letter_templates(WELSH_DIR / "post_order")
"""The letters of enforcement after the order to the debtor that have a Welsh version (`letters/cy/post_order/`).
A letter to an employer or the DWP is in English only: it is a statutory notice to a payroll or a benefits office,
whose forms and the law's tables are in English."""


def welsh_date(iso: str) -> str:
    """A date as a Welsh letter writes it: '5 Mawrth 2025'."""
    day = date.fromisoformat(iso)
    return f"{day.day} {translation_set('cy')['months'][day.month - 1]} {day.year}"


_CLOCK = re.compile(r"(\d{1,2}(?::\d{2})?)(am|pm)")


def welsh_clock(english: str) -> str:
    """A time of day as a Welsh letter writes it: '10am' is '10yb' (y bore), '2:30pm' is '2:30yp' (y prynhawn)."""
    found = _CLOCK.fullmatch(english.strip())
    if found is None:
        return english
    return found.group(1) + ("yb" if found.group(2) == "am" else "yp")


def _dates_in_welsh(values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, list):
            value = [_dates_in_welsh(v) if isinstance(v, Mapping) else v for v in value]
        out[key] = value
    for key, value in values.items():
        if key.endswith("_iso") and isinstance(value, str) and value:
            out[key.removesuffix("_iso")] = welsh_date(value)
    return out


_ENGLISH_NEXT_STEPS: dict[str, StepKind] = {}


def _next_step_kind(english: str) -> StepKind | None:
    if not _ENGLISH_NEXT_STEPS:
        from services.recovery.domain.notices import plain_english_for

        for kind in StepKind:
            try:
                _ENGLISH_NEXT_STEPS[plain_english_for(kind)] = kind
            except KeyError:
                continue
    return _ENGLISH_NEXT_STEPS.get(english)


def welsh_values(facts: Mapping[str, Any], head: Letterhead) -> dict[str, Any]:
    """The letter's facts as the Welsh letter says them: dates, the debt, what happens next, rights, advice."""
    cy = translation_set("cy")
    values = _dates_in_welsh(facts)
    kind = str(facts["recipient_kind"])
    debt_type = str(facts["debt_type"])
    description = cy["debt_description"].get(debt_type, cy["debt_description"]["other"])
    following = _next_step_kind(str(facts.get("next_step", "")))
    values.update(
        council_name=head.name_in("cy"),
        debt_description=description.format(
            year=facts.get("financial_year") or "eleni", reference=facts["reference"]
        ),
        next_step=cy["next_step"].get(following.value, "") if following else "",
        appeal_rights=rights_for(debt_type, head, kind, str(facts.get("originating_service", "")), "cy"),
        advice=advice_for(kind, head, "cy"),
    )
    if isinstance(facts.get("rest_of_year_due_on"), str) and facts["rest_of_year_due_on"]:
        values["rest_of_year_due_on"] = welsh_date(str(facts["rest_of_year_due_on"]))  # kept as ISO
    if isinstance(facts.get("hearing_time"), str):
        values["hearing_time"] = welsh_clock(str(facts["hearing_time"]))
    step_kind = str(facts["step_kind"])
    timetable_step = step_kind in {
        k.value for k in StepKind
    }  # not an enforcement step chosen after the order
    pay_to = pay_to_for(StepKind(step_kind), "cy") if timetable_step else None
    if pay_to is not None:
        values["pay_to"] = pay_to
    return values


def document_title(title: str) -> str:
    """A letter's title as the PDF's title: sentence case, with words written in mixed case (a month, a
    name) kept as they are: "Final notice: pay £900.00 by 6 September 2026"."""
    words = [w.lower() if w == w.upper() else w for w in title.split(" ")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _section(language: str, text: str, values: Mapping[str, Any], bilingual: bool) -> dict[str, Any]:
    return {
        "language": language,
        "labels": LABELS[language],
        "issued_on": values["issued_on"],
        "debt_description": values["debt_description"],
        "blocks": letter_blocks(text),
        "note": BILINGUAL_NOTES[language] if bilingual else "",
    }


def letter_html(
    facts: Mapping[str, Any], address: PostalAddress | None, head: Letterhead | None = None
) -> str:
    """The letter as the HTML its PDF is laid out from."""
    head = head or letterhead_for(str(facts["council"]))
    template = str(facts["template"])
    if "recipient_address" in facts:  # written to someone other than the debtor (an employer, the DWP)
        address = PostalAddress(tuple(facts["recipient_address"]), str(facts.get("recipient_postcode", "")))
    text = TEMPLATES.get(template) or POST_ORDER_TEMPLATES[template]
    english = render_letter_text(text, {**facts, "pdf": True}, INCLUDES)
    welsh_text = WELSH.get(template) if template in TEMPLATES else WELSH_POST_ORDER.get(template)
    bilingual = head.welsh and welsh_text is not None
    sections = [_section("en", english, facts, bilingual)]
    if bilingual:
        assert welsh_text is not None
        cy = welsh_values(facts, head)
        welsh = render_letter_text(welsh_text, {**cy, "pdf": True}, WELSH_INCLUDES)
        sections.insert(0, _section("cy", welsh, cy, bilingual))
    title = next((b.lines[0] for b in sections[0]["blocks"] if b.kind == "title"), template)
    html: str = _page().render(
        languages=[s["language"] for s in sections],
        title=document_title(title),
        council_name=head.name_in("cy") + " / " + head.council_name if bilingual else head.council_name,
        department=head.department,
        return_address=head.return_address,
        phone=head.phone,
        email=head.email,
        website=head.website,
        logo=_logo_uri(head.logo),
        debtor_name=facts["debtor_name"],
        address_lines=address.lines if address else (),
        postcode=address.postcode if address else "",
        reference=facts["reference"],
        large_print=bool(facts["large_print"]),
        sections=sections,
    )
    return html


def render_letter_pdf(
    facts: Mapping[str, Any], address: PostalAddress | None, head: Letterhead | None = None
) -> RenderedLetter:
    """The letter's PDF (large print when its facts say so), with its sha256 and page count."""
    fonts, standard, large = _fonts_and_styles()
    sheets = [standard, large] if facts["large_print"] else [standard]
    document = weasyprint.HTML(string=letter_html(facts, address, head)).render(
        stylesheets=sheets, font_config=fonts, pdf_variant=PDF_VARIANT, cache=_IMAGES
    )
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return RenderedLetter(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), page_count=len(document.pages))


def address_of(lines: Sequence[str] | None, postcode: str | None) -> PostalAddress | None:
    """A stored address as the renderer takes it (None when billing gave none)."""
    return PostalAddress(tuple(lines), postcode or "") if lines else None


def prepare_renderer() -> None:
    """Make this process a letter renderer (a print run's worker process calls it once when it starts): load
    the templates, parse the stylesheets, find the fonts, and tune the garbage collector for layout.

    Laying out a letter allocates hundreds of thousands of short-lived objects (boxes, computed styles), so
    Python's default collector runs a young-generation pass every 700 allocations and keeps re-scanning the
    long-lived font, stylesheet and template objects: freezing those after loading them and collecting the young
    generation less often cut the CPU a letter takes by about a tenth in the profile (benchmarks/print_batch.py).
    The PDFs are unchanged (the same bytes)."""
    _page()
    _fonts_and_styles()
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def render_many(items: Sequence[tuple[Mapping[str, Any], PostalAddress | None]]) -> list[RenderedLetter]:
    """Many letters' PDFs, in order (what a worker process of the print run is given)."""
    return [render_letter_pdf(facts, address) for facts, address in items]
