"""A workbook opened and saved again by LibreOffice Calc, as an office would."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest


def saved_by_libreoffice(source: Path, work: Path) -> Path:
    """`source` saved again as .xlsx by headless LibreOffice (skips the test without it)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out = work / "lo"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{work}/profile", "--headless",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return out / source.name
