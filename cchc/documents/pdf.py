"""The report as PDF: the Word file converted by LibreOffice, headless.

LibreOffice runs with a private, throw-away profile (so it never collides with
a desktop session or another conversion) and a time limit. Times New Roman is
replaced by Liberation Serif, which has the same metrics, so the pages break
where they break in Word.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from cchc.core.report_content import ReportContent
from cchc.core.templates import ReportTemplate

__all__ = ["TIMEOUT_SECONDS", "PdfError", "PdfWriter", "docx_to_pdf", "find_soffice"]

TIMEOUT_SECONDS = 120
_MISSING = (
    "Chưa cài LibreOffice nên không xuất được PDF; hãy cài gói libreoffice-writer-nogui "
    "(Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui fonts-liberation), "
    "hoặc xuất tệp .docx rồi lưu thành PDF bằng Word."
)


class PdfError(RuntimeError):
    """The PDF could not be made; the message says why, in Vietnamese."""


def find_soffice(env: Mapping[str, str] | None = None) -> str | None:
    """The `soffice` program on the PATH of `env` (the process environment by default)."""
    path = (env if env is not None else os.environ).get("PATH", "")
    return shutil.which("soffice", path=path) or shutil.which("libreoffice", path=path)


def docx_to_pdf(
    docx: bytes,
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = TIMEOUT_SECONDS,
    name: str = "bao-cao",
    pdf_version: int | None = None,
) -> bytes:
    """Convert .docx bytes to PDF bytes with `soffice --headless --convert-to pdf`.

    `pdf_version` 2 or 3 asks LibreOffice for PDF/A-2b or PDF/A-3b (its export
    option `SelectPdfVersion`): fonts embedded, metadata in XMP, what an archive keeps.
    """
    environment = dict(env if env is not None else os.environ)
    program = find_soffice(environment)
    if program is None:
        raise PdfError(_MISSING)
    with tempfile.TemporaryDirectory(prefix="cchc-pdf-") as work:
        root = Path(work)
        source = root / f"{name}.docx"
        source.write_bytes(docx)
        outdir = root / "out"
        outdir.mkdir()
        profile = (root / "profile").as_uri()
        environment.setdefault("HOME", work)
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            _export_filter(pdf_version),
            "--outdir",
            str(outdir),
            str(source),
        ]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            cwd=work,
            start_new_session=True,  # so a hung LibreOffice can be stopped with its children
        )
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfError(
                f"LibreOffice không chuyển xong tệp PDF sau {timeout:g} giây; hãy thử lại."
            ) from None
        result = outdir / f"{name}.pdf"
        if process.returncode != 0 or not result.is_file():
            detail = err.decode("utf-8", errors="replace").strip().splitlines()
            raise PdfError(
                "LibreOffice không chuyển được tệp sang PDF"
                + (f" ({detail[-1]})" if detail else "")
                + "."
            )
        return result.read_bytes()


def _export_filter(pdf_version: int | None) -> str:
    if pdf_version is None:
        return "pdf:writer_pdf_Export"
    option = {"SelectPdfVersion": {"type": "long", "value": str(int(pdf_version))}}
    return f"pdf:writer_pdf_Export:{json.dumps(option, separators=(',', ':'))}"


class PdfWriter:
    identifier = "pdf"
    extension = ".pdf"
    media_type = "application/pdf"

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.env = env

    def render(self, template: ReportTemplate, content: ReportContent) -> bytes:
        from cchc.documents.docx_writer import render_docx  # noqa: PLC0415 — python-docx loads only when a PDF is made

        if find_soffice(self.env) is None:  # say so before the work of the .docx
            raise PdfError(_MISSING)
        return docx_to_pdf(render_docx(template, content), env=self.env)
