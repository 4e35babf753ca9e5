"""The frozen report: one fingerprint per content, and the signer's name compared fairly."""

from __future__ import annotations

import copy

import pytest

from cchc.core.snapshot import content_of, fingerprint_in, freeze, names_match
from cchc.core.values import Entry
from cchc.importers.report_file import import_report, report_content
from tests.seeds import SEED_001


@pytest.fixture(scope="module")
def content():
    return report_content(import_report(SEED_001))


def _freeze(content, **identity):
    return freeze(content, **({"report_id": 7, "unit_code": "XA", "round_id": 3} | identity))


def test_the_same_content_frozen_twice_has_the_same_fingerprint(content) -> None:
    assert _freeze(content).fingerprint == _freeze(copy.deepcopy(content)).fingerprint


def test_a_changed_value_text_or_signer_changes_the_fingerprint(content) -> None:
    base = _freeze(content).fingerprint
    value = copy.deepcopy(content)
    value.values["PL2"]["2.1"] = Entry(raw="20")
    text = copy.deepcopy(content)
    text.narrative[0].text += " Bổ sung."
    signer = copy.deepcopy(content)
    signer.header.signer = "Ngô Văn Thành"
    other_report = _freeze(content, report_id=8).fingerprint
    changed = [_freeze(c).fingerprint for c in (value, text, signer)] + [other_report]
    assert [f == base for f in changed] == [False, False, False, False]
    assert len(set(changed)) == 4


def test_an_emptied_cell_is_the_same_document_as_one_never_typed(content) -> None:
    emptied = copy.deepcopy(content)
    emptied.values["PL2"]["9.9"] = Entry(raw="  ")
    assert _freeze(emptied).fingerprint == _freeze(content).fingerprint


def test_the_snapshot_gives_back_the_content_it_froze(content) -> None:
    snapshot = _freeze(content)
    again = content_of(snapshot.data)
    assert _freeze(again).fingerprint == snapshot.fingerprint
    assert (again.header.signer, again.values["PL2"]["2.1"].raw) == ("Hồ Thanh Nghi", "19")


def test_the_fingerprint_is_read_back_from_keywords_as_libreoffice_writes_them() -> None:
    fingerprint = "ab" * 32
    assert [
        fingerprint_in(f"cchc-sha256-{fingerprint}"),
        fingerprint_in(f"báo cáo, cchc-sha256-{fingerprint.upper()}"),
        fingerprint_in("báo cáo"),
    ] == [fingerprint, fingerprint, None]


@pytest.mark.parametrize(
    ("certificate", "expected"),
    [
        ("Ngô Văn Thành", True),
        ("NGÔ VĂN THÀNH", True),
        ("NGO VAN THANH", True),  # issued without diacritics: compared without them
        ("Ngô Văn Thanh", False),  # with diacritics, «Thanh» is another name
        ("Ngô Văn Thành - Chủ tịch UBND xã Hương Sơn", True),
        ("Ngô Văn Thành Long", False),
        ("Chủ tịch (Ngô Văn Thành)", True),
        ("Ngô Văn", False),
        ("Nguyễn Văn Thành", False),
    ],
)
def test_the_certificate_name_matches_the_signer_only_when_it_is_the_same_person(
    certificate, expected
) -> None:
    assert names_match("Ngô Văn Thành", certificate) is expected
