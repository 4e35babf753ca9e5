"""Refuse hostile Office files before any parser sees them.

A .docx or .xlsx is a zip of XML parts. Before python-docx or openpyxl opens
one, `check_office_file` makes sure that it is a zip at all, that it is the
kind of file expected, that it is not too big, that it does not inflate into
something absurd (a zip bomb), and that none of its parts declares a DOCTYPE
or an ENTITY (external entities, "billion laughs"). Each refusal is one
Vietnamese sentence naming the file; nothing else happens.
"""

from __future__ import annotations

import io
import re
import zipfile

__all__ = [
    "MAX_COMPRESSION_RATIO",
    "MAX_PARTS",
    "MAX_TEXT_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_UPLOAD_BYTES",
    "UnsafeFileError",
    "check_office_file",
    "check_upload_size",
    "size_text",
]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a report file as uploaded or read from disk
MAX_TEXT_BYTES = 5 * 1024 * 1024  # a .txt report or a values file: a real one is ~100 KB
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all the parts of the zip, inflated
MAX_COMPRESSION_RATIO = 200  # inflated / compressed size of one part (XML is ~5–50)
MAX_PARTS = 5000  # parts in one zip; a real report has a few dozen

_RATIO_FLOOR = 1024 * 1024  # parts smaller than this inflated are never a bomb
_KINDS = {
    "docx": ("word/document.xml", "Word (.docx)"),
    "xlsx": ("xl/workbook.xml", "Excel (.xlsx)"),
}
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .doc / .xls container


class UnsafeFileError(ValueError):
    """A file refused before parsing; the message names the file, in Vietnamese."""


def size_text(size: int) -> str:
    """`7,5 MB`: a file size in a message, Vietnamese decimal comma."""
    value = size / (1024 * 1024)
    text = f"{value:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')} MB"


def check_upload_size(size: int, file: str, *, limit: int | None = None) -> None:
    """Refuse a file larger than MAX_UPLOAD_BYTES (checked before reading it)."""
    limit = MAX_UPLOAD_BYTES if limit is None else limit
    if size > limit:
        raise UnsafeFileError(
            f"{file}: tệp quá lớn ({size_text(size)}); cchc chỉ nhận tệp đến {size_text(limit)}."
        )


def check_office_file(
    data: bytes,
    file: str,
    expected: str,
    *,
    max_bytes: int | None = None,
    max_uncompressed: int | None = None,
) -> None:
    """Raise UnsafeFileError unless `data` is a plausible, harmless .docx / .xlsx.

    `expected` is "docx" or "xlsx"; the limits default to MAX_UPLOAD_BYTES and
    MAX_UNCOMPRESSED_BYTES. Sizes are taken from the zip's directory: Python's
    zipfile never inflates a part beyond its declared size, so the declared
    sizes bound what the parsers will read.
    """
    if expected not in _KINDS:
        raise ValueError(f"unknown office file kind {expected!r}")
    main_part, kind = _KINDS[expected]
    max_uncompressed = MAX_UNCOMPRESSED_BYTES if max_uncompressed is None else max_uncompressed
    check_upload_size(len(data), file, limit=max_bytes)
    if data.startswith(_OLE):
        raise UnsafeFileError(
            f"{file}: đây là tệp Office dạng cũ (.doc/.xls), không phải {kind}; "
            f"hãy mở bằng Word/Excel và lưu lại dưới dạng {kind}."
        )
    if not data.startswith(b"PK"):
        raise UnsafeFileError(f"{file}: không phải tệp {kind} (không đúng định dạng nén Office).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise UnsafeFileError(f"{file}: không phải tệp {kind} (tệp nén hỏng: {exc}).") from exc
    with archive:
        if len(parts) > MAX_PARTS:
            raise UnsafeFileError(
                f"{file}: tệp nén có {len(parts)} phần, quá nhiều cho một {kind}; "
                "cchc không mở tệp này."
            )
        total = sum(p.file_size for p in parts)
        if total > max_uncompressed:
            raise UnsafeFileError(
                f"{file}: giải nén ra tới {size_text(total)} "
                f"(giới hạn {size_text(max_uncompressed)}); "
                "có thể là tệp độc hại (zip bomb), cchc không mở tệp này."
            )
        for p in parts:
            if p.file_size > _RATIO_FLOOR and p.file_size > MAX_COMPRESSION_RATIO * max(
                p.compress_size, 1
            ):
                raise UnsafeFileError(
                    f"{file}: phần «{p.filename}» nén với tỷ lệ bất thường "
                    f"({p.file_size // max(p.compress_size, 1)} lần); có thể là tệp độc hại "
                    "(zip bomb), cchc không mở tệp này."
                )
        names = {p.filename for p in parts}
        if main_part not in names or "[Content_Types].xml" not in names:
            raise UnsafeFileError(
                f"{file}: không phải tệp {kind} (thiếu phần «{main_part}»); "
                "có thể tệp bị đổi đuôi hoặc hỏng."
            )
        for p in parts:
            if p.is_dir():
                continue
            try:
                content = archive.read(p)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError) as exc:
                raise UnsafeFileError(
                    f"{file}: không đọc được phần «{p.filename}» của tệp nén ({exc})."
                ) from exc
            if _declares_doctype(content):
                raise UnsafeFileError(
                    f"{file}: phần «{p.filename}» có khai báo DOCTYPE/ENTITY, điều tệp Office "
                    "thật không bao giờ có (có thể là tệp độc hại); cchc không mở tệp này."
                )


def _declares_doctype(content: bytes) -> bool:
    if _DECLARATION.search(content):
        return True
    head = content[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
        for encoding in ("utf-16-le", "utf-16-be"):
            text = content.decode(encoding, errors="ignore").encode("utf-8", errors="ignore")
            if _DECLARATION.search(text):
                return True
    return False
