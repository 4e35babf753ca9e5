"""The PDF the leader signs: the frozen report, PDF/A, its fingerprint inside.

The Word file of the snapshot is converted by LibreOffice (PDF/A-2b: fonts
embedded, metadata in XMP) with the fingerprint in the document's keywords,
which LibreOffice writes both in the document information and in the XMP
metadata. An empty signature field is then added where the signer's signature
image belongs, so the office's signing tool signs into it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

from cchc.core.report_content import ReportContent
from cchc.core.snapshot import Snapshot
from cchc.core.templates import ReportTemplate
from cchc.documents.docx_writer import render_docx
from cchc.documents.pdf import docx_to_pdf
from cchc.documents.signing.layout import Box, find_signature_box

__all__ = ["SIGNER_FIELD", "PdfToSign", "pdf_to_sign"]

SIGNER_FIELD = "ChuKyNguoiKy"
PDF_A_PART = 2  # PDF/A-2b: what LibreOffice makes best, and what allows signatures


@dataclass(frozen=True)
class PdfToSign:
    pdf: bytes
    signature_box: Box | None  # None: no signer block found, the tool places the signature


def _with_keywords(docx: bytes, keywords: str) -> bytes:
    document = Document(io.BytesIO(docx))
    document.core_properties.keywords = keywords
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_to_sign(template: ReportTemplate, content: ReportContent, snapshot: Snapshot) -> PdfToSign:
    """The snapshot's PDF with its fingerprint and the empty field for the signer."""
    docx = _with_keywords(render_docx(template, content), snapshot.keyword)
    pdf = docx_to_pdf(docx, pdf_version=PDF_A_PART)
    header = content.header
    box = find_signature_box(
        pdf,
        signer=header.signer,
        titles=[t for t in header.signing_authority if t.strip()],
    )
    if box is None:
        return PdfToSign(pdf, None)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    append_signature_field(
        writer,
        SigFieldSpec(sig_field_name=SIGNER_FIELD, on_page=box.page, box=box.rect()),  # type: ignore[arg-type]  # points
    )
    # AppendOnly from the start: a signing tool must add to the file, not save it anew
    # (and signing then changes nothing in the form but the field it fills).
    writer.root["/AcroForm"]["/SigFlags"] = generic.NumberObject(3)
    writer.update_container(writer.root["/AcroForm"])
    out = io.BytesIO()
    writer.write(out)
    return PdfToSign(out.getvalue(), box)
