"""Pages of a PDF as small PNG pictures, for a preview on a page (poppler's `pdftoppm`).

The template editor shows the blank forms as the Word file prints them: the
.docx the writer makes, converted by LibreOffice (`pdf.docx_to_pdf`), then
drawn page by page here. Bounded: a few pages, a low resolution, a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from cchc.documents.pdf import PdfError

__all__ = ["page_pngs"]

_MISSING = (
    "Chưa cài poppler-utils (chương trình pdftoppm) nên không vẽ được trang xem trước; "
    "hãy tải tệp .docx để xem (Debian/Ubuntu: sudo apt-get install poppler-utils)."
)


def page_pngs(
    pdf: bytes, *, dpi: int = 60, max_pages: int = 12, timeout: float = 60
) -> list[bytes]:
    """The first `max_pages` pages as PNG bytes, in order."""
    program = shutil.which("pdftoppm")
    if program is None:
        raise PdfError(_MISSING)
    with tempfile.TemporaryDirectory(prefix="cchc-pages-") as work:
        root = Path(work)
        (root / "in.pdf").write_bytes(pdf)
        command = [program, "-png", "-r", str(dpi), "-f", "1", "-l", str(max_pages)]
        try:
            done = subprocess.run(
                [*command, "in.pdf", "trang"], cwd=work, capture_output=True, timeout=timeout
            )
        except subprocess.TimeoutExpired:
            raise PdfError(f"Không vẽ xong trang xem trước sau {timeout:g} giây.") from None
        if done.returncode != 0:
            raise PdfError("Không vẽ được trang xem trước từ tệp PDF.")
        # pdftoppm pads the page number to the width of the last one: trang-01.png …
        files = sorted(root.glob("trang-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [f.read_bytes() for f in files]
