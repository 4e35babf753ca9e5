"""Text helpers: clean what Word-to-text conversion leaves, and fold for matching.

Row names are matched between a report and a template after folding: case,
diacritics, punctuation and spacing differ from one office's copy to the next.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean", "fold", "has_markup_bold", "nfc", "shorten", "strip_markup"]

_TAG = re.compile(r"</?\s*(?:b|i|u|em|strong|sup|sub|span|br)\b[^>]*>", re.IGNORECASE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*(?=\S)|(?<=\S)\*)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_SPACE = re.compile(r"[ \t\u00a0\u202f\u2009]+")
_PUNCT = re.compile(r"[^\w%]+", re.UNICODE)


def nfc(text: str) -> str:
    """Composed Unicode, the form every stored text uses."""
    return unicodedata.normalize("NFC", text)


def strip_markup(text: str) -> str:
    """Drop `<b>/<i>/<sup>` tags, markdown emphasis and heading marks."""
    text = _TAG.sub("", text)
    text = _MD_HEADING.sub("", text)
    return _MD_EMPHASIS.sub("", text)


def has_markup_bold(text: str) -> bool:
    """Whether a cell was bold in the source (`<b>` or `**`)."""
    return bool(re.search(r"<b>|\*\*", text, re.IGNORECASE))


def clean(text: str) -> str:
    """NFC, markup removed, spaces collapsed, ends trimmed."""
    return _SPACE.sub(" ", strip_markup(nfc(text))).strip()


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case, no diacritics, no punctuation: the key names are matched on.

    Cached: matching a report compares each row with every indicator of every
    template, so the same names are folded thousands of times.
    """
    text = clean(text).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()


def shorten(text: str, limit: int = 40) -> str:
    """A value quoted in a message: whole when short, else its start and end
    (a stored text of thousands of characters must not fill every finding)."""
    shown = text.strip()
    if len(shown) <= limit:
        return shown
    head, tail = limit * 3 // 5, limit * 3 // 10
    return f"{shown[:head].rstrip()} … {shown[-tail:].lstrip()}"
