"""The agency's signature, added by cchc with the unit's organisation certificate.

Decree 30 (Phụ lục I): the agency's signature image is its seal, red, at its
actual size, a transparent PNG covering about the left third of the signer's
signature image; the signing information (the agency and the time, ISO 8601
with the Vietnam time zone) is in Times New Roman 10, upright, black. Times New
Roman cannot be installed on these machines: Liberation Serif has its metrics.
The signature is an incremental update, so the signer's signature stays valid.
"""

from __future__ import annotations

import io
import os
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import signers
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.stamp import TextStampStyle

from cchc.documents.signing.layout import Box, SealPlace, seal_place

__all__ = ["AGENCY_FIELD", "STAMP_FONT", "agency_stamp_text", "sign_as_agency"]

AGENCY_FIELD = "ChuKyCoQuan"
# Liberation Serif 2 (package fonts-liberation2) has every Vietnamese letter.
STAMP_FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
_FONT_SIZE = 10
_VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def agency_stamp_text(agency: str, when: datetime) -> str:
    """«Ủy ban nhân dân xã …» and «Thời gian ký: 2026-12-01T21:05:33+07:00»."""
    moment = when.astimezone(_VIETNAM).replace(microsecond=0)
    return f"{agency}\nThời gian ký: {moment.isoformat()}"


def _font_1000() -> Path:
    """The stamp font scaled to 1000 units per em, made once per machine.

    pyHanko writes glyph widths and kerning in the font's own units where PDF
    wants thousandths of an em, so a 2048-unit TrueType font comes out spread
    wide; the same font at 1000 units is laid out exactly.
    """
    target = Path(tempfile.gettempdir()) / "cchc-fonts" / "LiberationSerif-Regular-1000.ttf"
    if not target.is_file():
        font = TTFont(str(STAMP_FONT))
        scale_upem(font, 1000)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(partial))
        partial.replace(target)  # whole or not at all, even with two servers starting
    return target


def _text_width(text: str, font_file: Path) -> float:
    """The widest line at 10 pt, from the font's own advance widths."""
    font = TTFont(str(font_file))
    cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
    scale = _FONT_SIZE / font["head"].unitsPerEm
    return max(
        sum(metrics[cmap.get(ord(c), ".notdef")][0] for c in line) * scale
        for line in text.splitlines()
    )


def sign_as_agency(
    pdf: bytes,
    *,
    signer: signers.Signer,
    agency: str,
    seal_png: bytes,
    seal_mm: float,
    signature_box: Box,
    when: datetime | None = None,
) -> tuple[bytes, SealPlace]:
    """The PDF with the agency's signature added: the seal over the signer's signature."""
    if not STAMP_FONT.is_file():
        raise RuntimeError(
            "Chưa cài phông Liberation Serif (cùng kích thước chữ với Times New Roman) để ghi "
            "thông tin chữ ký số của cơ quan; hãy cài gói fonts-liberation2."
        )
    text = agency_stamp_text(agency, when or datetime.now(tz=_VIETNAM))
    font_file = _font_1000()
    place = seal_place(signature_box, seal_mm=seal_mm, text_width=_text_width(text, font_file))
    size = place.seal.width
    seal = PdfImage(
        Image.open(io.BytesIO(seal_png)),
        box=layout.BoxConstraints(width=size, height=size),
    )
    style = TextStampStyle(
        stamp_text=text,
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(str(font_file)), font_size=_FONT_SIZE, leading=12
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(left=2, bottom=2),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        border_width=0,
        background=seal,
        background_opacity=1.0,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MAX,
            margins=layout.Margins(),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
    )
    widget = place.widget
    meta = signers.PdfSignatureMetadata(
        field_name=AGENCY_FIELD, md_algorithm="sha256", name=agency, reason="Chữ ký số của cơ quan"
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer,
        stamp_style=style,
        new_field_spec=SigFieldSpec(
            sig_field_name=AGENCY_FIELD,
            on_page=widget.page,
            box=widget.rect(),  # type: ignore[arg-type]  # points
        ),
    )
    out = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))
    return out.getvalue(), place
