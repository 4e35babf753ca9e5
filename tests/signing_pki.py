"""A certification authority of the tests' own: a CA, signers' and an agency's certificates.

Made with `cryptography` (what pyHanko itself uses), kept in the test's temporary
folder, never on the network; and signing outside cchc with pyHanko directly, as
an office's signing tool would.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

P12_PASSWORD = b"mat-khau-p12-thu"


@dataclass
class Identity:
    name: str
    p12: Path  # PKCS#12 with the key, the certificate and the CA

    def signer(self) -> signers.SimpleSigner:
        return signers.SimpleSigner.load_pkcs12_data(
            self.p12.read_bytes(), other_certs=[], passphrase=P12_PASSWORD
        )


_USAGES = (
    "content_commitment",  # non-repudiation, what a document signature asks for
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
    "encipher_only",
    "decipher_only",
)


def _usage(*on: str) -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, **{u: u in on for u in _USAGES})


class OwnCA:
    """One root CA; `issue` makes a signing certificate with a chosen validity."""

    def __init__(self, folder: Path, name: str = "CA Thử nghiệm cchc") -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
        now = datetime.now(tz=UTC)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=3650))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(_usage("key_cert_sign", "crl_sign"), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        self.root_file = folder / "ca.pem"
        self.root_file.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))

    def issue(
        self, name: str, file: str, *, not_before: datetime | None = None, days: int = 365
    ) -> Identity:
        key = ec.generate_private_key(ec.SECP256R1())
        start = not_before or datetime.now(tz=UTC) - timedelta(days=1)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(start + timedelta(days=days))
            .add_extension(_usage("content_commitment"), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        path = self.folder / file
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                name.encode(),
                key,
                cert,
                [self.cert],
                serialization.BestAvailableEncryption(P12_PASSWORD),
            )
        )
        return Identity(name, path)


def sign_outside(pdf: bytes, who: Identity, *, field: str = "ChuKyNguoiKy") -> bytes:
    """Sign as the leader's own tool would: into the field cchc left for the signature."""
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=who.signer())
    return out.getvalue()
