"""The report templates shipped in cchc/bundled_templates, checked against their sources."""

import unicodedata

import pytest

from cchc.bundled_templates import TEMPLATE_DIR, get_template, read_template_file, registry
from cchc.core.reading import read_report
from cchc.core.templates import Kind, ReportTemplate
from cchc.core.values import Entry

TEMPLATE_IDS = ["ha-trung-9t-2022", "pl-2024", "xa-2022"]


def xa() -> ReportTemplate:
    return get_template("xa-2022")


# --- the registry ---------------------------------------------------------------------


def test_the_three_templates_are_registered() -> None:
    assert sorted(registry()) == TEMPLATE_IDS


def test_every_template_file_is_registered_under_its_file_name() -> None:
    files = sorted(TEMPLATE_DIR.glob("*.yaml"))

    assert [(p.stem, read_template_file(p).id) for p in files] == [(i, i) for i in TEMPLATE_IDS]


def test_an_unknown_template_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(KeyError) as caught:
        get_template("xa-2099")

    assert caught.value.args == (
        "Không có mẫu báo cáo «xa-2099» (các mẫu: ha-trung-9t-2022, pl-2024, xa-2022).",
    )


# --- xa-2022: seed 000, the Bình Lãng directive ----------------------------------------


def test_xa_2022_has_the_five_officials_of_seed_000() -> None:
    assert [r.id for r in xa().roles] == [
        "vp-noi-vu",
        "vp-ubnd",
        "tu-phap",
        "tai-chinh",
        "van-hoa-xh",
    ]


def assignment(template: ReportTemplate, code: str) -> tuple[str | None, tuple[str, ...]]:
    form = template.form(code)
    if form is not None:
        return form.role, form.support_roles
    (section,) = [s for s in template.all_sections() if s.code == code]
    return section.role, section.support_roles


@pytest.mark.parametrize(
    ("code", "role", "support"),
    [
        ("I", "vp-noi-vu", ()),
        ("I.1", "vp-noi-vu", ()),
        # "… tham mưu báo cáo nội dung … các nhiệm vụ được UBND huyện, Chủ tịch UBND huyện giao"
        ("I.5", "vp-ubnd", ()),
        ("II.1", "tu-phap", ()),
        ("II.1.4", "tu-phap", ()),
        ("II.2", "vp-ubnd", ()),
        ("II.2.3.1", "vp-ubnd", ()),
        ("II.3", "vp-noi-vu", ()),
        ("II.4", "vp-noi-vu", ()),
        ("II.5", "tai-chinh", ()),
        ("II.6", "van-hoa-xh", ("vp-ubnd",)),
        ("BM1", "vp-noi-vu", ()),
        ("BM2", "tu-phap", ()),
        ("BM3", "vp-ubnd", ()),
        ("BM4", "vp-noi-vu", ()),
        ("BM5", "vp-noi-vu", ()),
        ("BM6", "tai-chinh", ()),
        ("BM7", "van-hoa-xh", ("vp-ubnd",)),
    ],
)
def test_xa_2022_assigns_sections_and_forms_as_seed_000_does(
    code: str, role: str, support: tuple[str, ...]
) -> None:
    assert assignment(xa(), code) == (role, support)


def test_every_outline_item_of_xa_2022_but_part_ii_has_an_author() -> None:
    assert [s.code for s in xa().all_sections() if s.role is None] == ["II"]


def test_the_item_on_tasks_given_by_the_district_is_i_5() -> None:
    (item,) = [s for s in xa().all_sections() if "UBND huyện, Chủ tịch UBND huyện giao" in s.title]

    assert item.code == "I.5"


# Rows of each "Biểu mẫu" table in seeds/000_f748df3ee7a03c16.txt, counted by hand
# (BM3 row 3.2 is printed over two lines: one row).
@pytest.mark.parametrize(
    ("form", "label", "rows"),
    [
        ("BM1", "Biểu mẫu 1", 19),
        ("BM2", "Biểu mẫu 2", 13),
        ("BM3", "Biểu mẫu 3", 25),
        ("BM4", "Biểu mẫu 4", 14),
        ("BM5", "Biểu mẫu 5", 11),
        ("BM6", "Biểu mẫu 6", 12),
        ("BM7", "Biểu mẫu 7", 29),
    ],
)
def test_xa_2022_forms_have_the_rows_of_seed_000(form: str, label: str, rows: int) -> None:
    f = xa().form(form)

    assert (f.label, len(f.indicators)) == (label, rows)


def test_xa_2022_has_exactly_the_seven_forms() -> None:
    assert [f.code for f in xa().forms] == ["BM1", "BM2", "BM3", "BM4", "BM5", "BM6", "BM7"]


def test_xa_2022_example_round_is_the_first_half_of_2022() -> None:
    assert xa().example_round == {
        "period": {"type": "half_year", "year": 2022},
        "window": ["10/12/2021", "09/06/2022"],
        "deadline": "10:00 09/06/2022",
    }


def test_xa_2022_rates_with_both_operands_on_the_form_have_their_formula() -> None:
    formulas = {
        (f.code, i.code): i.formula.source
        for f in xa().forms
        for i in f.indicators
        if i.kind is Kind.RATE and i.formula is not None
    }

    assert formulas == {
        ("BM1", "2"): "2.2 / 2.1 * 100",
        ("BM1", "3.3"): "3.3.2 / 3.3.1 * 100",
        ("BM2", "2.2"): "2.2.2 / 2.2.1 * 100",
        ("BM2", "3.2"): "3.2.2 / 3.2.1 * 100",
        ("BM3", "3.1"): "3.1.2 / 3.1.1 * 100",
        ("BM3", "3.2"): "3.2.2 / 3.2.1 * 100",
        ("BM3", "3.3"): "3.3.2 / 3.3.1 * 100",
        ("BM3", "3.4"): "3.4.2 / 3.4.1 * 100",
        ("BM6", "1"): "1.2 / 1.1 * 100",
        ("BM7", "6.4"): "6.4.2 / 6.4.1 * 100",
        ("BM7", "6.5"): "6.5.2 / 6.5.1 * 100",
        ("BM7", "6.6"): "6.6.2 / 6.6.1 * 100",
        ("BM7", "6.7"): "6.7.2 / 6.7.1 * 100",
        ("BM7", "6.8"): "6.8.2 / 6.8.1 * 100",
    }


# --- pl-2024: seed 001 -----------------------------------------------------------------


def test_pl_2024_has_appendices_2_to_8() -> None:
    assert [f.code for f in get_template("pl-2024").forms] == [f"PL{n}" for n in range(2, 9)]


@pytest.mark.parametrize(
    ("form", "code", "levels"),
    [
        ("PL2", "3.1", ("tinh",)),
        ("PL2", "3.2", ("tinh",)),
        ("PL3", "1.2", ("tinh", "huyen")),
        ("PL2", "1", ("tinh", "huyen", "xa")),
    ],
)
def test_pl_2024_marks_the_levels_that_fill_a_row(
    form: str, code: str, levels: tuple[str, ...]
) -> None:
    assert get_template("pl-2024").indicator(form, code).levels == levels


# --- every template --------------------------------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_a_rate_over_two_counted_rows_has_a_formula(template_id: str) -> None:
    """A rate whose children include a total and a part (`Tổng số…` / `Số…`) is derived."""
    template = get_template(template_id)

    missing = [
        (f.code, i.code)
        for f in template.forms
        for i in f.indicators
        if i.kind is Kind.RATE
        and i.formula is None
        and len([c for c in f.children(i.code) if c.kind in (Kind.COUNT, Kind.AMOUNT)]) >= 2
    ]

    assert missing == []


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_a_formula_reads_only_rows_of_its_own_rate(template_id: str) -> None:
    template = get_template(template_id)

    strays = [
        (f.code, i.code, str(ref))
        for f in template.forms
        for i in f.indicators
        if i.formula is not None
        for ref in i.formula.refs
        if ref.form is not None or f.get(ref.code).parent != i.code
    ]

    assert strays == []


def has_flaw(text: str) -> bool:
    return unicodedata.normalize("NFC", text) != text or any(m in text for m in ("<", ">", "**"))


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_names_and_titles_are_nfc_without_leftover_markup(template_id: str) -> None:
    template = get_template(template_id)
    texts = [
        *(i.name for f in template.forms for i in f.indicators),
        *(i.note for f in template.forms for i in f.indicators),
        *(f.title for f in template.forms),
        *(s.title for s in template.all_sections()),
        *(s.guidance for s in template.all_sections()),
    ]

    assert [t for t in texts if has_flaw(t)] == []


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_a_blank_report_raises_no_finding(template_id: str) -> None:
    template = get_template(template_id)
    blank = {f.code: {i.code: Entry("") for i in f.indicators} for f in template.forms}

    assert (read_report(template, {}).findings, read_report(template, blank).findings) == (
        [],
        [],
    )
