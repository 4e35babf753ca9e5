"""The signing settings: a wrong value or a mistyped path stops the start, saying which."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


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
