"""A certification authority of the tests' own: a CA, signers' and an agency's certificates.

Made with `cryptography` (what pyHanko itself uses), kept in the test's temporary
folder, never on the network; and signing outside cchc with pyHanko directly, as
an office's signing tool would.
"""

from __future__ import annotations

import io
import os
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers

P12_PASSWORD = b"mat-khau-p12-thu"


@dataclass
class Identity:
    name: str
    p12: Path  # PKCS#12 with the key, the certificate and the CA
    key_pem: Path  # the key alone, unencrypted PKCS#8, to put on a token
    cert_der: bytes

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
        self,
        name: str,
        file: str,
        *,
        not_before: datetime | None = None,
        days: int = 365,
        rsa_key: bool = False,  # as the USB tokens offices hold (RSA 2048)
    ) -> Identity:
        key = (
            rsa.generate_private_key(public_exponent=65537, key_size=2048)
            if rsa_key
            else ec.generate_private_key(ec.SECP256R1())
        )
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
        key_pem = self.folder / f"{file}.key.pem"
        key_pem.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return Identity(name, path, key_pem, cert.public_bytes(serialization.Encoding.DER))


def sign_outside(pdf: bytes, who: Identity, *, field: str = "ChuKyNguoiKy") -> bytes:
    """Sign as the leader's own tool would: into the field cchc left for the signature."""
    meta = signers.PdfSignatureMetadata(field_name=field, md_algorithm="sha256")
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=who.signer())
    return out.getvalue()


SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_PIN = "123456"


def softhsm_token(folder: Path, who: Identity, *, token: str, label: str, monkeypatch) -> None:
    """A SoftHSM token (a software HSM, the PKCS#11 interface of USB tokens) holding `who`'s
    key and certificate under `label`; SOFTHSM2_CONF set for the test (monkeypatch)."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    (folder / "tokens").mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    util = ["softhsm2-util"]
    subprocess.run(
        [*util, "--init-token", "--free", "--label", token, "--pin", TOKEN_PIN, "--so-pin", "0000"],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        [*util, "--import", str(who.key_pem), "--token", token, "--label", label, "--id", "01",
         "--pin", TOKEN_PIN],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))  # the library reads it when loaded
    cert = x509.load_der_x509_certificate(who.cert_der)
    lib = pkcs11.lib(str(SOFTHSM_MODULE))
    with lib.get_token(token_label=token).open(rw=True, user_pin=TOKEN_PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: label,
                Attribute.ID: b"\x01",
                Attribute.VALUE: who.cert_der,
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.ISSUER: cert.issuer.public_bytes(),
                Attribute.SERIAL_NUMBER: cert.serial_number.to_bytes(20, "big"),
            }
        )
