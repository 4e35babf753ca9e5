"""The seed text reader (cchc/importers/seed_text.py) on text of any shape.

Reading a text report never fails: what is not a table row or a heading is narrative.
Importing it (mapping onto a template, or inferring one) gives a result or the
importer's own ImportError_, whose message names the file.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cchc.importers.errors import ImportError_
from cchc.importers.report_file import import_report
from cchc.importers.seed_text import TextDocument, read_text_report
from tests.fuzzing import FUZZ
from tests.seeds import SEED_001, SEED_002

SEED_LINES = [
    line
    for seed in (SEED_001, SEED_002)
    for line in seed.read_text(encoding="utf-8").split("\n")
    if line.strip()
]

# Lines of the real reports, cut, doubled, with their cells shuffled, between lines of
# anything: the text an export from Word really gives, and worse.
seed_line = st.sampled_from(SEED_LINES)
mangled_line = st.one_of(
    seed_line,
    st.tuples(seed_line, st.integers(0, 200)).map(lambda lc: lc[0][: lc[1]]),
    seed_line.flatmap(lambda line: st.permutations(line.split("\t")).map("\t".join)),
    st.text(max_size=30),
    st.lists(
        st.sampled_from(["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả", "1.", "2.1", "%"]),
        max_size=5,
    ).map("\t".join),
)
report_like = st.lists(mangled_line, max_size=40).map("\n".join)


@FUZZ
@given(report_like)
def test_any_text_reads_as_a_document_with_rows_on_its_own_lines(text) -> None:
    document = read_text_report(text, "bao-cao.txt")
    line_count = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    assert isinstance(document, TextDocument)
    assert all(1 <= row.line <= line_count for t in document.tables for row in t.rows)


@FUZZ
@given(report_like, st.sampled_from(["auto", "infer"]))
def test_any_text_imports_or_is_an_import_error_naming_the_file(text, how) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bao-cao.txt"
        path.write_text(text, encoding="utf-8")
        try:
            result = import_report(path, how)
        except ImportError_ as exc:
            assert str(path) in str(exc)
            return
    assert result.template.forms
