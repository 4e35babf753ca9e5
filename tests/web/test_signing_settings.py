"""The signing settings: a wrong value or a mistyped path stops the start, saying which."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from cchc.documents.signing.keys import SigningSetupError
from cchc.web.signing.config import agency_setup


def _start(tmp_path, **env: str) -> str:
    process = subprocess.run(
        [sys.executable, "-c", "import cchc.web.settings"],
        env={**os.environ, "CCHC_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return process.stderr.strip().splitlines()[-1] if process.returncode else ""


@pytest.mark.parametrize(
    ("env", "said"),
    [
        (
            {"CCHC_AGENCY_SEAL_MM": "99"},
            "CCHC_AGENCY_SEAL_MM=99: cần một số từ 20 đến 60.",
        ),
        (
            {"CCHC_SIGNING_TRUST_ROOTS": "/khong/co/thu-muc"},
            "CCHC_SIGNING_TRUST_ROOTS='/khong/co/thu-muc': không có tệp hoặc thư mục này.",
        ),
    ],
)
def test_a_wrong_signing_setting_is_refused_at_start_up(tmp_path, env, said) -> None:
    assert _start(tmp_path, **env) == f"django.core.exceptions.ImproperlyConfigured: {said}"


def test_existing_signing_paths_start(tmp_path) -> None:
    roots = tmp_path / "ca"
    roots.mkdir()
    assert _start(tmp_path, CCHC_SIGNING_TRUST_ROOTS=str(roots), CCHC_AGENCY_SEAL_MM="36") == ""


def test_half_an_agency_configuration_is_said_not_skipped(settings, tmp_path) -> None:
    seal = tmp_path / "con-dau.png"
    seal.write_bytes(b"\x89PNG\r\n\x1a\n")
    settings.AGENCY_UNIT = "XA"
    settings.AGENCY_P12 = None
    settings.AGENCY_SEAL_IMAGE = seal
    settings.AGENCY_PKCS11_MODULE = tmp_path  # any existing path: only the labels are missing
    settings.AGENCY_PKCS11_TOKEN = settings.AGENCY_PKCS11_KEY = ""
    with pytest.raises(SigningSetupError) as no_labels:
        agency_setup("XA")
    settings.AGENCY_PKCS11_MODULE = None
    with pytest.raises(SigningSetupError) as no_key:
        agency_setup("XA")
    assert (agency_setup("XB"), str(no_labels.value), str(no_key.value)) == (
        None,  # another unit: the certificate is not its own
        "Ký bằng thiết bị ký số (CCHC_AGENCY_PKCS11_MODULE) cần tên thiết bị "
        "(CCHC_AGENCY_PKCS11_TOKEN) và nhãn khóa (CCHC_AGENCY_PKCS11_KEY); hãy báo "
        "quản trị hệ thống.",
        "Chữ ký số của cơ quan cần chứng thư số (tệp CCHC_AGENCY_P12 hoặc thiết bị "
        "CCHC_AGENCY_PKCS11_MODULE) và ảnh con dấu (CCHC_AGENCY_SEAL_IMAGE); hãy báo "
        "quản trị hệ thống.",
    )
