"""Reading a letter's PDF back as a resident's eyes (and a printer's) would: its words, the size of every piece of
text, and where the address falls on the sheet."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

MM_PER_PT = 25.4 / 72
# Each page's foot ("Reference X  Page 2 of 3") and list bullets, which text extraction puts among the words.
_PAGE_FOOT = re.compile(r"Reference \S+ Page \d+ of \d+|•")


@dataclass(frozen=True)
class TextPiece:
    """One run of text on a page: what it says, its size in points, and where it starts (mm from the sheet's
    left edge and from its top)."""

    text: str
    size_pt: float
    left_mm: float
    top_mm: float
    page: int


@dataclass(frozen=True)
class ReadLetter:
    """A PDF as read back."""

    words: str
    pieces: tuple[TextPiece, ...]
    pages: int
    tagged: bool
    language: str
    title: str
    headings: tuple[str, ...]  # the structure's heading tags in reading order ("H1", "H2", ...)

    @property
    def largest_text(self) -> str:
        """The words set in the letter's largest type (its level-1 heading), in reading order."""
        largest = max(p.size_pt for p in self.pieces)
        pieces = [p for p in _reading_order(list(self.pieces)) if p.size_pt == largest]
        return " ".join(" ".join(p.text for p in pieces).split())

    def says(self, phrase: str) -> bool:
        """The phrase appears, however the lines were broken."""
        return " ".join(phrase.split()) in self.words

    def piece(self, text: str) -> TextPiece:
        """The first piece of text on the first page that is exactly `text`."""
        return next(p for p in self.pieces if p.text.strip() == text)


def _reading_order(pieces: list[TextPiece]) -> list[TextPiece]:
    # Top to bottom, left to right on each page: the letterhead and the address (positioned boxes) are drawn
    # after the letter's flow, so the drawing order would put them inside a paragraph that crosses a page.
    return sorted(pieces, key=lambda p: (p.page, round(p.top_mm, 1), p.left_mm))


def _heading_tags(node: object) -> list[str]:
    # The tagged structure in document order: every element whose type is a heading (H1-H6).
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        return [tag for kid in node for tag in _heading_tags(kid)]
    if not isinstance(node, dict):
        return []
    kind = str(node.get("/S", ""))
    tags = [kind[1:]] if re.fullmatch(r"/H[1-6]", kind) else []
    return tags + _heading_tags(node.get("/K", []))


def read_letter(pdf: bytes) -> ReadLetter:
    """The PDF's words (whitespace collapsed), its text pieces, and whether it is tagged."""
    reader = PdfReader(io.BytesIO(pdf))
    pieces: list[TextPiece] = []
    for number, page in enumerate(reader.pages, start=1):

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: object,
            size: float,
            n: int = number,
            sheet: float = float(page.mediabox.height),
        ) -> None:
            if text.strip():
                scale = abs(cm[0]) * abs(tm[0])
                x = cm[0] * tm[4] + cm[4]
                y = cm[3] * tm[5] + cm[5]
                pieces.append(
                    TextPiece(text, round(size * scale, 2), x * MM_PER_PT, (sheet - y) * MM_PER_PT, n)
                )

        page.extract_text(visitor_text=visit)
    root: Any = reader.trailer["/Root"]
    metadata = reader.metadata
    return ReadLetter(
        words=" ".join(_PAGE_FOOT.sub(" ", " ".join(p.text for p in _reading_order(pieces))).split()),
        pieces=tuple(pieces),
        pages=len(reader.pages),
        tagged="/StructTreeRoot" in root and bool(root.get("/MarkInfo", {}).get("/Marked")),
        language=str(root.get("/Lang", "")),
        title=str(metadata.title if metadata else ""),
        headings=tuple(_heading_tags(root.get("/StructTreeRoot", {}))),
    )
