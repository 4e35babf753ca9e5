"""Trust roots and the agency's key, read from files the settings name.

Nothing here is stored or logged: the PKCS#12 password is passed in by the
caller (read from a file or the environment) and only handed to the library;
error messages name the file, never the password.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from asn1crypto import x509
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.sign import signers
from pyhanko.sign.signers import SimpleSigner

__all__ = [
    "CERT_SUFFIXES",
    "SigningSetupError",
    "agency_token_signer",
    "load_agency_signer",
    "load_trust_roots",
]

CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")


class SigningSetupError(RuntimeError):
    """The signing settings point at something unusable; the message says what to fix."""


def load_trust_roots(path: Path | None) -> list[x509.Certificate]:
    """The CA certificates of a file, or of every certificate file in a folder (PEM or DER)."""
    if path is None:
        raise SigningSetupError(
            "Chưa cấu hình chứng thư gốc tin cậy (CCHC_SIGNING_TRUST_ROOTS) nên chưa kiểm tra "
            "được chữ ký số; hãy báo quản trị hệ thống."
        )
    files = (
        sorted(p for p in path.iterdir() if p.suffix.lower() in CERT_SUFFIXES)
        if path.is_dir()
        else [path]
    )
    roots: list[x509.Certificate] = []
    for file in files:
        try:
            roots.extend(load_certs_from_pemder_data(file.read_bytes()))
        except OSError as exc:
            raise SigningSetupError(f"Không đọc được tệp chứng thư gốc {file}: {exc}.") from exc
        except Exception as exc:
            raise SigningSetupError(
                f"Tệp {file} không phải chứng thư số dạng PEM hoặc DER."
            ) from exc
    if not roots:
        raise SigningSetupError(
            f"Không có chứng thư gốc nào trong {path} (.pem, .crt, .cer, .der)."
        )
    return roots


def load_agency_signer(p12: Path, password: bytes | None) -> SimpleSigner:
    """The agency's organisation certificate and key from its PKCS#12 (.p12, .pfx) file."""
    try:
        data = p12.read_bytes()
    except OSError as exc:
        raise SigningSetupError(f"Không đọc được tệp chứng thư số của cơ quan {p12}.") from exc
    try:
        return SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password)
    except ValueError as exc:
        raise SigningSetupError(
            f"Không mở được tệp chứng thư số của cơ quan {p12}: sai mật khẩu hoặc tệp không "
            "phải PKCS#12."
        ) from exc


@contextmanager
def agency_token_signer(
    module: Path, *, token: str, key_label: str, pin: str | None
) -> Iterator[signers.Signer]:
    """The agency's key on a PKCS#11 token or HSM (its driver `module`, e.g. the USB token's
    .so or SoftHSM), the key and its certificate found by label; the session is closed after."""
    from pyhanko.config.pkcs11 import TokenCriteria  # noqa: PLC0415 — PKCS#11 loads only for a hardware token
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session  # noqa: PLC0415 — PKCS#11 loads only for a hardware token

    try:
        session = open_pkcs11_session(
            str(module), token_criteria=TokenCriteria(label=token), user_pin=pin
        )
    except Exception as exc:  # the driver's own errors say nothing a person can act on
        raise SigningSetupError(
            f"Không mở được thiết bị ký số «{token}» qua {module}: thiếu thiết bị, sai tên "
            "thiết bị hoặc sai mã PIN."
        ) from exc
    try:
        signer = PKCS11Signer(session, cert_label=key_label, key_label=key_label)
        try:
            signer.signing_cert  # noqa: B018  (read now: a missing label is said here)
        except Exception as exc:
            raise SigningSetupError(
                f"Thiết bị ký số «{token}» không có khóa và chứng thư mang nhãn «{key_label}»."
            ) from exc
        yield signer
    finally:
        session.close()
