"""Reading back the CSV files cchc writes, as Vietnamese Excel does."""

from __future__ import annotations

import codecs
import csv
import io


def read_csv(body: bytes) -> list[list[str]]:
    """The rows of a CSV file, checked first to start with the UTF-8 byte-order mark
    and then split on `;` only (a `,` inside a field is a decimal mark, not a break)."""
    assert body.startswith(codecs.BOM_UTF8), f"no UTF-8 BOM: {body[:12]!r}"
    text = body[len(codecs.BOM_UTF8) :].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
