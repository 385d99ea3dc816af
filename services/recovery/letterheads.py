"""Each council's letterhead: its name, logo, return address, contact details, how to pay, the magistrates' court
its summonses name, its nation (which tribunals hear appeals) and the languages its letters are in.

One YAML file per council in `letters/councils/` (`council: derby` and the fields of `Letterhead`); a council
without a file gets a neutral letterhead naming it. Read once per folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

LETTERHEADS_DIR = Path(__file__).resolve().parent / "letters" / "councils"
LOGOS_DIR = Path(__file__).resolve().parent / "letters" / "logos"
LANGUAGES = ("en", "cy")


class LetterheadError(ValueError):
    """A letterhead file that cannot be used, with the file and the reason."""


@dataclass(frozen=True)
class Court:
    """A magistrates' court as a summons names it."""

    name: str
    address: str


@dataclass(frozen=True)
class Letterhead:
    """What every letter of one council prints about the council."""

    council: str
    council_name: str
    return_address: tuple[str, ...]
    phone: str
    email: str
    website: str
    payment_methods: tuple[str, ...]
    department: str = ""
    opening_hours: str = ""
    logo: str = "neutral.svg"
    nation: str = "england"
    languages: tuple[str, ...] = ("en",)
    magistrates_court: Court | None = None
    translated_names: dict[str, str] = field(default_factory=dict)

    @property
    def welsh(self) -> bool:
        """The council writes in Welsh as well as English (Welsh first, as the Welsh Language Standards ask)."""
        return "cy" in self.languages

    def logo_svg(self) -> str:
        """The logo file's SVG text, to be placed inline in the letter."""
        return (LOGOS_DIR / self.logo).read_text(encoding="utf-8")

    def name_in(self, language: str) -> str:
        """The council's name in a language (its Welsh name when configured)."""
        return self.translated_names.get(language, self.council_name)


def _letterhead(file: Path, raw: object) -> Letterhead:
    if not isinstance(raw, dict):
        raise LetterheadError(f"{file}: a letterhead is a mapping of its fields")
    fields = dict(raw)
    try:
        court = fields.pop("magistrates_court", None)
        languages = tuple(fields.pop("languages", ["en"]))
        unknown = set(languages) - set(LANGUAGES)
        if unknown or "en" not in languages:
            raise LetterheadError(f"{file}: languages must include en and be of {LANGUAGES}, not {languages}")
        head = Letterhead(
            return_address=tuple(fields.pop("return_address")),
            payment_methods=tuple(fields.pop("payment_methods")),
            magistrates_court=Court(**court) if court else None,
            languages=languages,
            translated_names=dict(fields.pop("translated_names", {})),
            **fields,
        )
    except (KeyError, TypeError) as missing:
        raise LetterheadError(f"{file}: {missing}") from None
    if head.nation not in ("england", "wales"):
        raise LetterheadError(f"{file}: nation must be england or wales, not {head.nation!r}")
    if not (LOGOS_DIR / head.logo).is_file():
        raise LetterheadError(f"{file}: no logo file {head.logo} in {LOGOS_DIR}")
    return head


@lru_cache(maxsize=8)
def load_letterheads(folder: Path = LETTERHEADS_DIR) -> dict[str, Letterhead]:
    """Every council's letterhead in the folder, by council; raises LetterheadError for a file it cannot use."""
    heads: dict[str, Letterhead] = {}
    for file in sorted(folder.glob("*.yaml")):
        head = _letterhead(file, yaml.safe_load(file.read_text(encoding="utf-8")))
        heads[head.council] = head
    return heads


def letterhead_for(council: str, folder: Path = LETTERHEADS_DIR) -> Letterhead:
    """The council's letterhead; a council without one gets a neutral letterhead naming it."""
    found = load_letterheads(folder).get(council)
    if found is not None:
        return found
    return Letterhead(
        council=council,
        council_name=council.replace("_", " ").title(),
        return_address=(),
        phone="the number on your bill",
        email="the address on your bill",
        website="the council's website",
        payment_methods=("Online at the council's website", "By phone on the number on your bill"),
    )
