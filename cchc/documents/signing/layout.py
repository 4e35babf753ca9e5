"""Where the signatures go on the page, as Decree 30 (Phụ lục I) places them.

The signer's signature image sits between the signer's title and name; the
agency's seal, red and at its actual size, covers about the left third of that
image. The signer block is found on the rendered PDF itself (poppler's
`pdftotext -bbox`, the words with their boxes), so the places follow the pages
exactly as LibreOffice laid them out.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

__all__ = ["MM", "Box", "SealPlace", "find_signature_box", "seal_place"]

MM = 72 / 25.4  # PDF points in a millimetre
# The signature image: as wide as it is tall times this, within the signer's column.
_ASPECT, _MAX_WIDTH = 1.8, 60 * MM
_GAP = 3.0  # points kept clear above the name and below the title
_TEXT_BAND = 2 * 12 + 10  # two lines of 10 pt (12 pt apart) clear of the seal


@dataclass(frozen=True)
class Box:
    """A rectangle on one page (0-based), in PDF points from the bottom left."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    def rect(self) -> tuple[float, float, float, float]:
        return (self.x1, self.y1, self.x2, self.y2)

    def to_json(self) -> dict:
        return {"page": self.page, "rect": [round(v, 2) for v in self.rect()]}

    @classmethod
    def from_json(cls, data: dict) -> Box:
        return cls(int(data["page"]), *(float(v) for v in data["rect"]))


@dataclass(frozen=True)
class SealPlace:
    """The agency signature's widget: the seal square at its top left, the text under it."""

    widget: Box
    seal: Box


@dataclass(frozen=True)
class _Word:
    page: int
    text: str
    x1: float
    top: float
    x2: float
    bottom: float


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _words(pdf: bytes) -> tuple[list[_Word], list[float]]:
    program = shutil.which("pdftotext")
    if program is None:
        raise RuntimeError(
            "Chưa cài poppler-utils (lệnh pdftotext) nên không tìm được khối chữ ký trên "
            "bản PDF; hãy cài: sudo apt-get install poppler-utils."
        )
    with tempfile.TemporaryDirectory(prefix="cchc-layout-") as work:
        source = Path(work) / "bao-cao.pdf"
        source.write_bytes(pdf)
        out = subprocess.run(
            [program, "-bbox", str(source), "-"], capture_output=True, timeout=120, check=True
        ).stdout
    root = ElementTree.fromstring(out)
    words, heights = [], []
    for n, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page")):
        heights.append(float(page.get("height", 0)))
        for w in page.iter("{http://www.w3.org/1999/xhtml}word"):
            words.append(
                _Word(
                    n,
                    w.text or "",
                    float(w.get("xMin", 0)),
                    float(w.get("yMin", 0)),
                    float(w.get("xMax", 0)),
                    float(w.get("yMax", 0)),
                )
            )
    return words, heights


def _lines(words: list[_Word]) -> list[list[_Word]]:
    """Words grouped into lines: same page, same top (within a point), left to right."""
    lines: list[list[_Word]] = []
    for w in sorted(words, key=lambda w: (w.page, round(w.top), w.x1)):
        last = lines[-1] if lines else None
        if last and last[0].page == w.page and abs(last[0].top - w.top) < 1.0:
            last.append(w)
        else:
            lines.append([w])
    return lines


def _runs(line: list[_Word], wanted: list[str]) -> list[list[_Word]]:
    keys = [_key(w.text) for w in line]
    n = len(wanted)
    return [line[i : i + n] for i in range(len(keys) - n + 1) if keys[i : i + n] == wanted]


def find_signature_box(pdf: bytes, *, signer: str, titles: list[str]) -> Box | None:
    """The signer's signature image place: under the last title line, above the name.

    The name is looked for where it stands as the signer (with the title above it
    in the same column); a report whose signer block has no title still gets the
    room Decree 30 leaves above the name. None when the name is nowhere on the pages.
    """
    wanted = [_key(x) for x in signer.split()]
    if not wanted:
        return None
    words, heights = _words(pdf)
    lines = _lines(words)
    last_title = [_key(x) for x in titles[-1].split()] if titles else []
    candidates = []
    for n, line in enumerate(lines):
        for run in _runs(line, wanted):
            name_top = min(w.top for w in run)
            x1, x2 = run[0].x1, run[-1].x2
            above = None
            for prev in reversed(lines[max(0, n - 6) : n]):
                if prev[0].page != line[0].page or name_top - prev[0].bottom > 160:
                    continue
                for title_run in _runs(prev, last_title) if last_title else []:
                    if title_run[0].x1 < x2 and title_run[-1].x2 > x1:  # the same column
                        above = max(w.bottom for w in title_run)
                        break
                if above is not None:
                    break
            candidates.append((above is not None, line[0].page, name_top, x1, x2, above))
    if not candidates:
        return None
    # The signer block proper (title above the name) first; then the first occurrence.
    candidates.sort(key=lambda c: (not c[0], c[1]))
    _, page, name_top, x1, x2, above = candidates[0]
    top = (above if above is not None else name_top - 84) + _GAP
    bottom = name_top - _GAP
    height = bottom - top
    width = min(height * _ASPECT, _MAX_WIDTH)
    centre = (x1 + x2) / 2
    page_height = heights[page]
    left, right = centre - width / 2, centre + width / 2
    return Box(page, left, page_height - bottom, right, page_height - top)


def seal_place(signature: Box, *, seal_mm: float, text_width: float) -> SealPlace:
    """The seal, `seal_mm` across, over the left third of the signature image, centred on
    it vertically; the agency's signing text (10 pt) in a band under the seal."""
    size = seal_mm * MM
    right = signature.x1 + signature.width / 3
    left = right - size
    middle = (signature.y1 + signature.y2) / 2
    seal = Box(signature.page, left, middle - size / 2, right, middle + size / 2)
    widget = Box(
        signature.page,
        left,
        seal.y1 - _TEXT_BAND,
        max(right, left + text_width + 24),
        seal.y2,
    )
    return SealPlace(widget=widget, seal=seal)
