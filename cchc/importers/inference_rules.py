"""The rules and rate formulas an unknown table implies, read from its rows' words.

Careful, because a false alarm on a table cchc has never seen costs trust:

- a total with rows under it: the parts must equal it when they are the whole
  of it (đúng hạn + quá hạn, trực tiếp + trực tuyến, nam + nữ — every part one
  of those, and each of the pair present), must not exceed it when introduced by
  "Trong đó" or when it is a "Tổng số …"; otherwise nothing is assumed;
- rates under "Trong đó" are shares of one whole only when that whole is a
  count and the rates are of the same group: rates of the province's, the
  districts' and the communes' offices listed side by side are not added up;
- a `Tỷ lệ …` row gets its formula from the two count rows beneath it, or else
  from the count rows anywhere in the table that its own words name: the
  numerator is the row it speaks of ("Số hồ sơ giải quyết đúng hạn" for "Tỷ lệ
  hồ sơ giải quyết đúng hạn"), the denominator a "Tổng số …" row whose words
  are all the numerator's but its qualifier ("Tổng số hồ sơ đã giải quyết").
"""

from __future__ import annotations

import re
from typing import Any

from cchc.core.narrative.lexicon import level_of
from cchc.core.text import fold
from cchc.importers.seed_text import Table

__all__ = ["children", "formulas", "rules"]

_QUANTITIES = ("count", "amount")
# Parts that together make their whole: each part is one of a family, all of
# the family's required members are there.
_FAMILIES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("dung han", "qua han"), ("truoc han",)),
    (("truc tiep", "truc tuyen"), ("buu chinh",)),
    (("nam", "nu"), ()),
)
_STOP = frozenset(re.findall(r"[a-z]+", "da duoc cua cac trong ky bao cao la va tai tren dia ban"))
_LEAD = re.compile(r"^(tong so luong|tong so|so luong|so|ty le)\s+")


def children(indicators: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [i for i in indicators if i.get("parent") == code]


def _words(name: str) -> frozenset[str]:
    text = re.sub(r"\(.*?\)", " ", _LEAD.sub("", fold(name)))
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text) if w not in _STOP)


def _member(name: str, words: tuple[str, ...]) -> str | None:
    folded = f" {fold(name)} "
    hits = [w for w in words if f" {w} " in folded]
    return hits[0] if len(hits) == 1 else None


def _exhaustive(parts: list[dict[str, Any]]) -> bool:
    """Whether the parts are the whole of their total (see the module's note)."""
    for required, optional in _FAMILIES:
        members = [_member(p["name"], required + optional) for p in parts]
        if None not in members and set(required) <= set(members):
            return True
    return False


def _different_groups(rates: list[dict[str, Any]]) -> bool:
    """Rates of different groups (levels, or "… của X" naming different X)."""
    levels = {level_of(fold(r["name"])) for r in rates}
    owners = {fold(r["name"]).partition(" cua ")[2].strip() for r in rates}
    return len(levels) > 1 or (len(owners) > 1 and "" not in owners)


def _named_operands(
    rate: dict[str, Any], counts: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(numerator, denominator) among `counts` that the rate's own words name."""
    folded = fold(rate["name"])
    own, _, over = folded.partition(" tren ")
    target = _words(own)
    if not target:
        return None

    def closeness(c: dict[str, Any]) -> float:
        w = _words(c["name"])
        return len(w & target) / len(w | target) if w | target else 0.0

    numerators = sorted(counts, key=closeness, reverse=True)
    if not numerators or closeness(numerators[0]) < 0.75:
        return None
    if len(numerators) > 1 and closeness(numerators[1]) == closeness(numerators[0]):
        return None  # two rows fit as well: no guessing
    num = numerators[0]
    num_words = _words(num["name"])
    dens = [
        c
        for c in counts
        if c is not num
        and fold(c["name"]).startswith("tong so")
        and len(_words(c["name"])) >= 2
        and (_words(c["name"]) < num_words or (over and _words(c["name"]) == _words(over)))
    ]
    if not dens:
        return None
    den = max(dens, key=lambda c: len(_words(c["name"])))
    return num, den


def _operands(
    item: dict[str, Any], indicators: list[dict[str, Any]], kinds: dict[str, str]
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    counts = [c for c in children(indicators, item["code"]) if kinds[c["code"]] in _QUANTITIES]
    if len(counts) >= 2:
        den = next((c for c in counts if fold(c["name"]).startswith("tong so")), counts[0])
        return next(c for c in counts if c is not den), den
    if counts:
        return None
    everywhere = [i for i in indicators if kinds[i["code"]] in _QUANTITIES]
    return _named_operands(item, everywhere)


def formulas(indicators: list[dict[str, Any]], kinds: dict[str, str]) -> None:
    """Give each `Tỷ lệ` row whose operands are found its formula (numerator / denominator)."""
    for item in indicators:
        if item["kind"] == "rate" and (ops := _operands(item, indicators, kinds)):
            item["formula"] = f"[{ops[0]['code']}] / [{ops[1]['code']}] * 100"


def rules(
    form: str, indicators: list[dict[str, Any]], kinds: dict[str, str], table: Table
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    breakdown_rows = {r.line for r in table.rows if r.breakdown}
    by_code_row = dict(zip((i["code"] for i in indicators), table.rows, strict=True))
    for item in indicators:
        code = item["code"]
        if kinds[code] == "rate" and (ops := _operands(item, indicators, kinds)):
            out.append(
                {
                    "id": f"{form.lower()}-{code}-tu-so-le-mau-so",
                    "form": form,
                    "kind": "parts_le_total",
                    "total": ops[1]["code"],
                    "parts": [ops[0]["code"]],
                }
            )
            continue
        kids = children(indicators, code)
        if not kids:
            continue
        is_breakdown = all(by_code_row[c["code"]].line in breakdown_rows for c in kids)
        child_kinds = {kinds[c["code"]] for c in kids}
        parts = [c["code"] for c in kids]
        if is_breakdown and child_kinds == {"rate"}:
            if kinds[code] in ("count", "heading") and not _different_groups(kids):
                out.append(
                    {
                        "id": f"{form.lower()}-{code}-ty-le-cong-lai",
                        "form": form,
                        "kind": "shares_le_100",
                        "parts": parts,
                    }
                )
        elif kinds[code] == "count" and child_kinds == {"count"}:
            if _exhaustive(kids):
                out.append(
                    {
                        "id": f"{form.lower()}-{code}-cong-du",
                        "form": form,
                        "kind": "sum_equals_total",
                        "total": code,
                        "parts": parts,
                    }
                )
            elif is_breakdown or fold(item["name"]).startswith("tong so"):
                out.append(
                    {
                        "id": f"{form.lower()}-{code}-thanh-phan",
                        "form": form,
                        "kind": "parts_le_total",
                        "total": code,
                        "parts": parts,
                        "severity": "error" if is_breakdown else "warning",
                    }
                )
    return out
