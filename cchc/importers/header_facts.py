"""The facts of a report's header and closing, read as the office wrote them.

Shared by the text, Word and Excel readers: the lines of the document in order
(a layout table's cells already turned into lines) give

- the governing and issuing bodies from the capitalised lines at the top, the
  issuing body being the one the document symbol names (`BC-PNV` is the Phòng
  Nội vụ's, not the People's Committee above it);
- number and symbol, place and date — a date line whose day is left blank
  (`Hương Sơn, ngày    tháng 6 năm 2024`) is a draft: its place is kept and
  `draft_date` says so;
- `Kính gửi`, and the distribution under `Nơi nhận:` or in the two lists
  `Gửi bản giấy:` / `Gửi bản điện tử:` (their labels kept as items ending in `:`);
- the signing authority (`TM.`, `KT.`, `Q.`, `TL.`, `TUQ.` and the title) and
  the signer's name, skipping `(Đã ký)` and the like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from cchc.core.document_details import LIST_LABELS
from cchc.core.text import clean, fold

__all__ = ["HeaderFacts", "read_header", "symbol_names_other_body"]

_PLACE_DATE = re.compile(
    r"^(?P<place>[^,\n]{2,60}?)\s*,\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(
    r"^(?P<place>[^,\n]{2,60}?)\s*,\s*ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\s*$",
    re.IGNORECASE,
)
# The day (and maybe the month) left blank or dotted: "…, ngày    tháng 6 năm 2024",
# "…, ngày …/…/2024", "…, ngày/2022".
_BLANK_DATE = re.compile(
    r"^(?P<place>[^,\n\d]{2,60}?)\s*,\s*ngày(?:[\s.…_/]*(?:tháng)?[\s.…_/]*(?P<m>\d{1,2})?"
    r"[\s.…_/]*(?:năm)?[\s.…_/]*(?P<y>\d{4})?)?[\s.…_]*$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^Số\s*:\s*(?P<number>[^/\s]*)\s*/\s*(?P<symbol>[^\s]+)", re.IGNORECASE)
_AUTHORITY = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s*(.+)$")
_UNIT = re.compile(
    r"\b(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+"
    r"(xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố|tỉnh)"
    r"\s+((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴ][\wÀ-ỹ]*\s?)+)"
)
# Words a body's name starts with; a capitalised line starting otherwise continues
# the name above it ("PHÒNG VĂN HÓA VÀ" / "THÔNG TIN").
_BODY_WORDS = (
    "uy ban nhan dan",
    "ubnd",
    "hoi dong nhan dan",
    "hdnd",
    "van phong",
    "phong",
    "so",
    "ban",
    "trung tam",
    "chi cuc",
    "cuc",
    "bo",
    "tong cuc",
    "thanh tra",
    "bo phan",
    "doan",
)
_COMMITTEE = ("uy ban nhan dan", "ubnd")
_LIST_LABELS = (*LIST_LABELS, "noi nhan")
_NOT_A_NAME = re.compile(r"^\(.*\)$|^(đã ký|ký tên|ký, ghi rõ)", re.IGNORECASE)


@dataclass
class HeaderFacts:
    governing_body: str = ""
    issuing_body: str = ""
    number: str = ""
    symbol: str = ""
    place: str = ""
    date: date | None = None
    doc_type: str = ""
    summary: str = ""
    recipients: list[str] = field(default_factory=list)
    signing_authority: list[str] = field(default_factory=list)
    signer: str = ""
    distribution: list[str] = field(default_factory=list)
    unit: str = ""
    national_name: bool = False
    draft_date: bool = False  # the date line is there, its day left blank
    line_of: dict[str, int] = field(default_factory=dict)


def read_header(lines: list[str]) -> HeaderFacts:
    """Every header and closing fact found in the document's lines."""
    h = HeaderFacts()
    texts = [clean(line.replace("Н", "N")) for line in lines]
    for n, t in enumerate(texts):
        if not t:
            continue
        folded = fold(t)
        if not h.number and (m := _NUMBER.match(t)):
            h.number, h.symbol = m.group("number"), m.group("symbol").rstrip(".,;")
            h.line_of["number"] = n + 1
        elif "date" not in h.line_of and (m := _PLACE_DATE.match(t) or _NUMERIC_DATE.match(t)):
            h.place, h.date = m.group("place").strip(), _date(m)
            h.line_of["date"] = n + 1
        elif "date" not in h.line_of and (m := _BLANK_DATE.match(t)):
            h.place, h.draft_date = m.group("place").strip(), True
            h.line_of["date"] = n + 1
        elif t.upper().startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA"):
            h.national_name = True
        elif (
            not h.doc_type
            and t.upper() == t
            and folded in {"bao cao", "ke hoach", "quyet dinh", "to trinh"}
        ):
            h.doc_type = t.upper()
            h.line_of["doc_type"] = n + 1
            h.summary = next((x for x in texts[n + 1 : n + 4] if x), "")
        elif not h.summary and t.startswith("V/v"):
            h.summary = t
        elif not h.recipients and folded.startswith("kinh gui"):
            h.line_of["recipients"] = n + 1
            _read_recipients(h, texts, n, t)
        elif "distribution" not in h.line_of and folded.startswith(_LIST_LABELS):
            h.line_of["distribution"] = n + 1
            _read_closing(h, texts, n)
    if not h.signing_authority:
        _signer_without_distribution(h, texts)
    _bodies(h, lines)
    h.unit = _reporting_unit(lines, h)
    return h


def _date(m: re.Match[str]) -> date | None:
    try:
        return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:  # "ngày 31 tháng 2": no such day; the line is still the date line
        return None


def _read_recipients(h: HeaderFacts, texts: list[str], n: int, t: str) -> None:
    rest = t.split(":", 1)[1].strip() if ":" in t else ""
    if rest:
        h.recipients = [x.strip(" -;.") for x in re.split(r";\s*-?\s*", rest) if x.strip(" -;.")]
        return
    for x in texts[n + 1 : n + 10]:
        if x.startswith(("-", "+", "•")):
            h.recipients.append(x.lstrip("-+• ").rstrip(";."))
        elif x:
            break


def _read_closing(h: HeaderFacts, texts: list[str], start: int) -> None:
    """The distribution lists from `start` (a `Nơi nhận:` or `Gửi bản …:` line),
    then the signing authority and the signer's name."""
    n = start
    while n < len(texts):
        t = texts[n]
        label, colon, rest = t.partition(":")
        if colon and fold(label).startswith(_LIST_LABELS):
            if not fold(label).startswith("noi nhan"):
                h.distribution.append(f"{label.strip()}:")
            for item in re.split(r";\s*", rest):
                if item.strip(" -;."):
                    h.distribution.append(item.strip(" -.;"))
        elif t.startswith(("-", "+", "•")):
            h.distribution.append(t.lstrip("-+• ").rstrip(";."))
        elif t:
            break
        n += 1
    _read_signer(h, texts, n)


def _read_signer(h: HeaderFacts, texts: list[str], n: int) -> None:
    while n < len(texts):
        t = texts[n]
        if t and t.upper() == t and any(c.isalpha() for c in t):
            h.signing_authority.extend(x.strip() for x in re.split(r"\s{2,}", t) if x.strip())
        elif t and _NOT_A_NAME.match(t):
            pass  # "(Đã ký)", "(Ký, ghi rõ họ tên, đóng dấu)"
        elif t and h.signing_authority:
            h.signer = t
            h.line_of["signer"] = n + 1
            return
        elif t:
            return
        n += 1


def _signer_without_distribution(h: HeaderFacts, texts: list[str]) -> None:
    """A closing with no `Nơi nhận`: the last `TM.`/`KT.`… line starts the signer block."""
    for n in range(len(texts) - 1, max(-1, len(texts) - 60), -1):
        if _AUTHORITY.match(texts[n]) and texts[n].upper() == texts[n]:
            _read_signer(h, texts, n)
            return


def _body_start(t: str) -> bool:
    folded = fold(t)
    return any(folded == w or folded.startswith(w + " ") for w in _BODY_WORDS)


def _abbreviation(name: str) -> str:
    """A body's initials as a symbol writes them (`PHÒNG NỘI VỤ` → `PNV`), the
    committee's as `UBND`."""
    folded = fold(name)
    for long, short in (("uy ban nhan dan", "ubnd"), ("hoi dong nhan dan", "hdnd")):
        folded = folded.replace(long, short)
    return "".join(w if w in ("ubnd", "hdnd") else w[0] for w in folded.split() if w).upper()


def _bodies(h: HeaderFacts, lines: list[str]) -> None:
    """Governing and issuing bodies from the capitalised lines at the very top:
    a line starting with a body's word (`PHÒNG`, `SỞ`…) starts a body, any other
    continues the one above; the last body issues, the others govern it."""
    caps: list[str] = []
    for raw in lines[:14]:
        t = clean(raw)
        if not t:
            continue
        if t.upper() != t or _NUMBER.match(t) or t.startswith("CỘNG HÒA") or fold(t) == "bao cao":
            break
        caps.append(t)
    if not caps:
        return
    bodies: list[str] = []
    for t in caps:
        after_committee = bodies and fold(bodies[-1]) in {"uy ban nhan dan", "hoi dong nhan dan"}
        if bodies and (after_committee or not _body_start(t)):
            bodies[-1] = f"{bodies[-1]} {t}"
        else:
            bodies.append(t)
    h.issuing_body = bodies[-1]
    h.governing_body = " ".join(bodies[:-1])


def symbol_names_other_body(h: HeaderFacts) -> bool:
    """Whether the symbol's agency part (`BC-UBND`) is the governing body's
    abbreviation and not the issuing body's: the header and the symbol disagree
    on who issues the document."""
    agency = h.symbol.split("-", 1)[1].upper() if "-" in h.symbol else ""
    if not agency or not h.governing_body or not h.issuing_body:
        return False
    return not _abbreviation(h.issuing_body).startswith(agency) and _abbreviation(
        h.governing_body
    ).startswith(agency)


def _reporting_unit(lines: list[str], h: HeaderFacts) -> str:
    text = "\n".join(clean(x) for x in lines)
    m = re.search(r"Đơn vị\s*:\s*((?:UBND|Ủy ban nhân dân)[^\n*]+)", text)
    if m:
        return m.group(1).strip(" .*")
    if h.issuing_body and fold(h.issuing_body).startswith("uy ban nhan dan "):
        words = h.issuing_body.split()
        if len(words) > 5:
            return f"UBND {words[4].lower()} {' '.join(words[5:]).title()}"
    if h.issuing_body and not fold(h.issuing_body).startswith(_COMMITTEE):
        # An office or department reports for itself, not for the committee above it.
        return _office_unit(h.issuing_body, h.governing_body)
    upper = " ".join(h.recipients)
    counts: dict[str, int] = {}
    for m in _UNIT.finditer(text):
        unit = f"UBND {m.group(1)} {m.group(2).strip()}"
        if m.group(2).strip() not in upper:
            counts[unit] = counts.get(unit, 0) + 1
    ranked = sorted(counts, key=lambda u: (u.split()[1] not in {"xã", "phường", "thị"}, -counts[u]))
    return ranked[0] if ranked else ""


def _office_unit(issuing: str, governing: str) -> str:
    """An office's name as a unit (`PHÒNG NỘI VỤ` under `UBND HUYỆN NAM ĐÔNG` →
    `Phòng Nội vụ huyện Nam Đông`): its kind and first word capitalised,
    abbreviations kept, then the level and place of the body it belongs to."""
    words = issuing.split()
    kind = 2 if fold(" ".join(words[:2])) in ("van phong", "trung tam", "chi cuc") else 1
    out = [
        w
        if w.isupper() and len(w) <= 5 and fold(w) in ("ubnd", "hdnd", "cchc")
        else (w.capitalize() if n <= kind else w.lower())
        for n, w in enumerate(words)
    ]
    m = re.search(
        r"\b(xã|phường|thị trấn|huyện|quận|thị xã|thành phố|tỉnh)\s+(.+)$", governing.lower()
    )
    if m and not fold(issuing).endswith(fold(m.group(2))):
        out += [m.group(1), m.group(2).title()]
    return " ".join(out)
