"""The signing settings turned into what the signing code needs, read when it is needed.

The PKCS#12 password is read here at the moment of signing (a file is better:
it stays out of the process environment that crash reports may show) and
handed straight to the library; it is never stored nor logged.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from cchc.documents.signing.keys import (
    SigningSetupError,
    agency_token_signer,
    load_agency_signer,
    load_trust_roots,
)

__all__ = ["AgencySetup", "agency_setup", "trust_roots"]

PASSWORD_ENV = "CCHC_AGENCY_P12_PASSWORD"
PIN_ENV = "CCHC_AGENCY_PKCS11_PIN"


def trust_roots():
    return load_trust_roots(settings.SIGNING_TRUST_ROOTS)


@dataclass(frozen=True)
class AgencySetup:
    unit_code: str
    p12: Path | None  # a PKCS#12 file, or
    token: tuple[Path, str, str] | None  # a PKCS#11 module, token label, key label
    seal: Path
    seal_mm: int

    @contextmanager
    def signer(self) -> Iterator:
        if self.token is not None:
            module, token, key = self.token
            pin = _secret(settings.AGENCY_PKCS11_PIN_FILE, PIN_ENV)
            with agency_token_signer(
                module, token=token, key_label=key, pin=pin.decode() if pin else None
            ) as signer:
                yield signer
        else:
            yield load_agency_signer(
                self.p12,  # type: ignore[arg-type]  # no token: the file is set (from_settings)
                _secret(settings.AGENCY_P12_PASSWORD_FILE, PASSWORD_ENV),
            )

    def seal_png(self) -> bytes:
        try:
            data = self.seal.read_bytes()
        except OSError as exc:
            raise SigningSetupError(f"Không đọc được ảnh con dấu {self.seal}.") from exc
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            raise SigningSetupError(
                f"Ảnh con dấu {self.seal} phải là tệp PNG nền trong suốt (Nghị định 30)."
            )
        return data


def _secret(file: Path | None, env: str) -> bytes | None:
    """A password or PIN: the file's first line, else the environment variable."""
    if file is not None:
        try:
            return file.read_text(encoding="utf-8").rstrip("\r\n").encode()
        except OSError as exc:
            raise SigningSetupError(f"Không đọc được tệp mật khẩu {file}.") from exc
    value = os.environ.get(env)
    return value.encode() if value else None


def agency_setup(unit_code: str) -> AgencySetup | None:
    """The agency signature settings when they are for this unit; None when it signs no
    reports here. Half a configuration is an error worth saying, not a silent skip."""
    if not settings.AGENCY_UNIT or unit_code != settings.AGENCY_UNIT:
        return None
    token = None
    if settings.AGENCY_PKCS11_MODULE is not None:
        if not (settings.AGENCY_PKCS11_TOKEN and settings.AGENCY_PKCS11_KEY):
            raise SigningSetupError(
                "Ký bằng thiết bị ký số (CCHC_AGENCY_PKCS11_MODULE) cần tên thiết bị "
                "(CCHC_AGENCY_PKCS11_TOKEN) và nhãn khóa (CCHC_AGENCY_PKCS11_KEY); hãy báo "
                "quản trị hệ thống."
            )
        token = (
            settings.AGENCY_PKCS11_MODULE,
            settings.AGENCY_PKCS11_TOKEN,
            settings.AGENCY_PKCS11_KEY,
        )
    if (settings.AGENCY_P12 is None and token is None) or settings.AGENCY_SEAL_IMAGE is None:
        raise SigningSetupError(
            "Chữ ký số của cơ quan cần chứng thư số (tệp CCHC_AGENCY_P12 hoặc thiết bị "
            "CCHC_AGENCY_PKCS11_MODULE) và ảnh con dấu (CCHC_AGENCY_SEAL_IMAGE); hãy báo "
            "quản trị hệ thống."
        )
    return AgencySetup(
        unit_code,
        settings.AGENCY_P12,
        token,
        settings.AGENCY_SEAL_IMAGE,
        settings.AGENCY_SEAL_MM,
    )
