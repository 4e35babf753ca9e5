"""The words a report uses around its figures: what is counted, at which stage,
through which channel, at which level.

Everything here works on folded text (`cchc.core.text.fold`: no case, no
diacritics), so `Đúng hạn`, `đúng hạn` and `dung han` are one word. The same
reading serves a sentence of the narrative and an indicator's name, which is
how a figure in the text is linked to a row of the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "LEAVES",
    "STOP_WORDS",
    "Context",
    "group_word",
    "level_of",
    "noun_at",
    "read_context",
    "unit_noun",
]

# Noun classes: the folded words after a figure → the class compared with a table's unit.
_NOUNS: tuple[tuple[str, str], ...] = (
    ("ho so", "ho so"),
    ("thu tuc hanh chinh", "thu tuc"),
    ("thu tuc", "thu tuc"),
    ("tthc", "thu tuc"),
    ("van ban", "van ban"),
    ("vbqppl", "van ban"),
    ("vb", "van ban"),
    ("ke hoach", "van ban"),  # "6 kế hoạch và 5 quyết định": documents, not the planned stage
    ("quyet dinh", "van ban"),
    ("cong van", "van ban"),
    ("thong bao", "van ban"),
    ("chi thi", "van ban"),
    ("nhiem vu", "nhiem vu"),
    ("dong chi", "nguoi"),
    ("cong chuc", "nguoi"),
    ("can bo", "nguoi"),
    ("vien chuc", "nguoi"),
    ("ca nhan", "nguoi"),
    ("luot nguoi", "luot"),
    ("nguoi", "nguoi"),
    ("tin bai", "tin bai"),
    ("bai", "tin bai"),
    ("tin", "tin bai"),
    ("phieu", "phieu"),
    ("pakn", "pakn"),
    ("phan anh", "pakn"),
    ("cuoc", "cuoc"),
    ("luot", "luot"),
    ("don vi", "don vi"),
    ("co quan", "don vi"),
    ("trieu dong", "dong"),
    ("ty dong", "dong"),
    ("dong", "dong"),
    ("van de", "van de"),
)

# Person groups whose size a ratio's denominator must match ("Công chức: có 7/8 …").
_GROUPS = ("cong chuc", "can bo", "vien chuc")

# Stages of a procedure file or a task, most specific first. Each names the
# "leaves" it covers, so that an exhaustive breakdown can be recognised:
# E early, O on time, L resolved late, N pending not yet due, P pending overdue.
LEAVES: dict[str, frozenset[str]] = {
    "received": frozenset("EOLNP"),
    "resolved": frozenset("EOL"),
    "early_or_on_time": frozenset("EO"),
    "early": frozenset("E"),
    "on_time": frozenset("EO"),
    "late": frozenset("LP"),
    "pending": frozenset("NP"),
    "not_due": frozenset("N"),
}
_STAGES: tuple[tuple[str, str], ...] = (
    (r"truoc han,? (?:va )?dung han|dung (?:va )?truoc han|truoc va dung han", "early_or_on_time"),
    (r"chua (?:toi|den) han|(?:dang )?trong (?:thoi )?han", "not_due"),
    (r"dang (?:giai quyet|xu ly)|chua giai quyet", "pending"),
    (r"qua han|tre han|tre hen|cham tra", "late"),
    (r"truoc han|truoc hen", "early"),
    (r"dung han|dung hen", "on_time"),
    (r"tiep nhan|nhan duoc", "received"),
    (r"giai quyet|xu ly xong|tra ket qua", "resolved"),
    (r"de ra|duoc giao|ke hoach", "planned"),
    (r"hoan thanh", "done"),
)
# "thuộc thẩm quyền (tiếp nhận và) giải quyết" names a stock of procedures, not a stage.
_NOT_A_STAGE = re.compile(r"tham quyen (?:tiep nhan )?(?:va )?(?:giai quyet|tiep nhan)")
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (r"truc tuyen|dich vu cong|qua mang", "truc tuyen"),
    (r"muc do 2", "muc do 2"),
    (r"muc do 3", "muc do 3"),
    (r"muc do 4", "muc do 4"),
    (r"truc tiep", "truc tiep"),
    (r"buu chinh|bcci", "buu chinh"),
    (r"toan trinh", "toan trinh"),
    (r"mot phan", "mot phan"),
    (r"dat dai", "dat dai"),
    (r"xay dung", "xay dung"),
    (r"lien thong", "lien thong"),
)
_LEVELS: tuple[tuple[str, str], ...] = (
    (r"cap tinh|ubnd tinh|so nganh|so ban nganh", "tinh"),
    (r"cap huyen|ubnd huyen", "huyen"),
    (r"cap xa|ubnd xa", "xa"),
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Context:
    """What the words around one figure say about it."""

    stage: str | None
    qualifiers: frozenset[str]
    level: str | None
    words: frozenset[str]


def noun_at(folded: str) -> tuple[str, str]:
    """(noun class, words) when the folded text starts with a counted noun."""
    for words, noun in _NOUNS:
        if folded == words or folded.startswith(words + " "):
            return noun, words
    return "", ""


def unit_noun(unit_folded: str) -> str:
    """The noun class of a table's unit (`Số lượng hồ sơ` → `ho so`, `%` → `%`)."""
    if unit_folded.strip() == "%" or not unit_folded:
        return unit_folded.strip()
    for words, noun in _NOUNS:
        if re.search(rf"(?<![a-z]){words}(?![a-z])", unit_folded):
            return noun
    return ""


def group_word(folded: str) -> str:
    """The person group a folded text names first (`cong chuc`, `can bo`…), or ""."""
    found = [(folded.find(g), g) for g in _GROUPS if re.search(rf"(?<![a-z]){g}(?![a-z])", folded)]
    return min(found)[1] if found else ""


def _words(pairs: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    """Each pattern compiled to match whole folded words only."""
    return [(re.compile(rf"(?<![a-z])(?:{p})(?![a-z])"), name) for p, name in pairs]


_LEVEL_RE, _STAGE_RE, _QUALIFIER_RE = _words(_LEVELS), _words(_STAGES), _words(_QUALIFIERS)


def level_of(folded: str) -> str | None:
    return next((level for p, level in _LEVEL_RE if p.search(folded)), None)


def read_context(folded: str) -> Context:
    """Stage, qualifiers, level and content words of a folded label."""
    text = _NOT_A_STAGE.sub(" ", folded)
    stage = next((s for p, s in _STAGE_RE if p.search(text)), None)
    quals = {q for p, q in _QUALIFIER_RE if p.search(text)}
    if quals & {"muc do 3", "muc do 4"}:
        quals.add("truc tuyen")  # level 3 and 4 online services are online by definition
    return Context(stage, frozenset(quals), level_of(text), frozenset(_WORD.findall(text)))


def _words_of(patterns: list[str]) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", " ".join(patterns)))


# Words that say nothing about *which* figure a row holds: generic words and the
# vocabulary above (noun, stage, channel and level are compared on their own).
_GENERIC = (
    "so tong luong cua da duoc cac va tai trong bao cao thoi diem la co mot nhung theo ve voi "
    "cho den tu do ubnd nay hien ca"
)
STOP_WORDS = frozenset(re.findall(r"[a-z]+", _GENERIC)) | frozenset(
    _words_of([w for w, _ in _NOUNS])
    | _words_of([p for p, _ in _STAGES])
    | _words_of([p for p, _ in _QUALIFIERS])
    | _words_of([p for p, _ in _LEVELS])
)
