"""How long the signing steps take on seed 001's report (23 pages).

The PDF to sign is made once (LibreOffice, then the signer block found and the
empty field added); then checking a signed upload and adding the agency's
signature are timed. Certificates come from a CA made for the run, in a
temporary folder. Targets: a check under 1 s, the agency signature under 2 s
(both within one request); the PDF to sign is printed, not judged (LibreOffice).

    .venv/bin/python bench/bench_signing.py [runs]
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_documents import SEED_001, timed
from cchc.core.snapshot import freeze
from cchc.documents.signing.agency import sign_as_agency
from cchc.documents.signing.keys import load_trust_roots
from cchc.documents.signing.to_sign import pdf_to_sign
from cchc.documents.signing.verify import verify_signed_pdf
from cchc.importers.report_file import import_report, report_content
from tests.signing_pki import OwnCA, sign_outside


def main(runs: int = 10) -> None:
    result = import_report(SEED_001, "pl-2024")
    content = report_content(result)
    snapshot = freeze(content, report_id=1, unit_code="HS", round_id=1)
    start = time.perf_counter()
    prepared = pdf_to_sign(result.template, content, snapshot)
    print(f"Bản PDF để ký (LibreOffice, PDF/A-2b, ô chữ ký): {time.perf_counter() - start:.1f} s")
    with tempfile.TemporaryDirectory() as work:
        ca = OwnCA(Path(work))
        leader, agency = ca.issue("Hồ Thanh Nghi", "a.p12"), ca.issue("UBND xã", "b.p12")
        signed = sign_outside(prepared.pdf, leader)
        roots = load_trust_roots(ca.root_file)
        seal = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
        ImageDraw.Draw(seal).ellipse((0, 0, 399, 399), outline=(220, 20, 30, 255), width=14)
        png = io.BytesIO()
        seal.save(png, "PNG")
        agency_signer = agency.signer()

        def check():
            return verify_signed_pdf(
                signed,
                file="x.pdf",
                fingerprint=snapshot.fingerprint,
                expected_signer="Hồ Thanh Nghi",
                trust_roots=roots,
                not_before=datetime.now(tz=UTC) - timedelta(hours=1),
                now=datetime.now(tz=UTC),
                original=prepared.pdf,
            )

        def countersign():
            return sign_as_agency(
                signed,
                signer=agency_signer,
                agency="UBND xã",
                seal_png=png.getvalue(),
                seal_mm=40,
                signature_box=prepared.signature_box,
            )

        print(f"Tệp đã ký: {len(signed) // 1024} KB; {runs} lần đo.")
        timed("Kiểm tra bản đã ký (chữ ký, bản gốc, chứng thư)", runs, 1000, check)
        timed("Thêm chữ ký số của cơ quan (con dấu)", runs, 2000, countersign)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
