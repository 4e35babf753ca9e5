"""The safe expression language over indicator codes (cchc/core/formulas.py)."""

import ast
from decimal import Decimal
from importlib.util import find_spec
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.core.formulas import ExpressionError, Ref, Value, parse_expression
from cchc.core.template_limits import MAX_FORMULA_CHARS, MAX_FORMULA_DEPTH
from tests.fuzzing import FUZZ

# The report being checked: indicators of its own form (form None) and of other forms.
# Codes 9.x are blank.
VALUES: dict[tuple[str | None, str], Decimal | None] = {
    (None, "1"): Decimal(10),
    (None, "2.1"): Decimal(4),
    (None, "2.2"): Decimal(3),
    (None, "3"): Decimal(0),
    (None, "4.1"): Decimal("2.5"),
    (None, "4.2"): Decimal("-2.5"),
    (None, "4.3"): Decimal("78.945"),
    (None, "4.4"): Decimal("-7"),
    (None, "9.1"): None,
    ("BM1", "2.1"): Decimal(40),
    ("BM1", "2.2"): Decimal(7),
    ("PL8", "1"): Decimal(5),
}


def lookup(form: str | None, code: str) -> Decimal | None:
    return VALUES.get((form, code))


def evaluate(source: str) -> Value:
    return parse_expression(source).evaluate(lookup)


D = Decimal


# --- evaluation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "value"),
    [
        # numbers and references
        ("7", D(7)),
        ("01", D(1)),
        ("2.2", D(3)),
        ("[1]", D(10)),
        ("[ 1 ]", D(10)),
        ("[2.2]", D(3)),
        ("BM1.2.2", D(7)),
        ("BM1[2.2]", D(7)),
        ("PL8[1]", D(5)),
        ("9.1", None),
        ("9.9", None),  # not in the report at all: blank too
        ("BM2.2.2", None),
        # the same code in the own form and in another form are different indicators
        ("BM1.2.2 - 2.2", D(4)),
        ("PL8[1] + [1]", D(15)),
        ("BM1.2.2 <= BM1.2.1", True),
        # a rate
        ("2.2 / 2.1 * 100", D(75)),
        ("BM1.2.2 / BM1.2.1 * 100", D("17.5")),
        # precedence and associativity
        ("1 + 2 * 3", D(7)),
        ("(1 + 2) * 3", D(9)),
        ("2 * 3 + 4 * 5", D(26)),
        ("10 - 3 - 2", D(5)),
        ("10 - (3 - 2)", D(9)),
        ("8 / 4 / 2", D(1)),
        ("8 / (4 / 2)", D(4)),
        ("7 / 2", D("3.5")),
        ("2 + 2.1 * 2.2", D(14)),
        ("((2.1))", D(4)),
        # unary minus
        ("-2.1", D(-4)),
        ("-2 * 3", D(-6)),
        ("2 * -3", D(-6)),
        ("- -2", D(2)),
        ("1 - -1", D(2)),
        ("-(1 + 2)", D(-3)),
        ("-4.4", D(7)),
        ("-1 < 0", True),
        # comparisons bind looser than arithmetic
        ("1 + 2 > 2", True),
        ("2.1 * 2 == 8", True),
        ("2.2 < 2.1", True),
        ("2.2 <= 3", True),
        ("2.2 > 3", False),
        ("2.2 >= 3", True),
        ("2.2 == 3", True),
        ("2.2 != 3", False),
        ("4.1 < 4.2", False),
    ],
)
def test_an_expression_evaluates_to_its_value(source, value):
    assert evaluate(source) == value


@pytest.mark.parametrize(
    "source",
    [
        "0 / 0",
        "2.1 / 0",
        "2.1 / [3]",  # indicator 3 is zero
        "[3] / [3]",
        "0 / 0 * 100",
        "(2.1 - 2.1) / (2.2 - 2.2) * 100",
        "1 + 2.1 / 0",
        "-(1 / 0)",
        "0 / 0 == 0",
        "2.1 / 0 > 0",
    ],
)
def test_division_by_zero_is_undefined_and_stays_undefined(source):
    assert evaluate(source) is None


def test_a_rate_is_undefined_when_denominator_is_zero():
    values = {(None, "2.1"): D(0), (None, "2.2"): D(0)}
    rate = parse_expression("2.2 / 2.1 * 100")
    assert rate.evaluate(lambda form, code: values.get((form, code))) is None


@pytest.mark.parametrize(
    "source",
    [
        "2.1 + 9.1",
        "9.1 + 2.1",
        "9.1 - 9.1",
        "9.1 * 0",  # blank times zero is not zero
        "0 * 9.1",
        "9.1 / 2.1",
        "2.1 / 9.1",
        "-9.1",
        "9.9 + 1",
        "BM2.2.2 * 100",
        "(2.1 + 9.1) * 2",
    ],
)
def test_arithmetic_with_a_blank_is_undefined(source):
    assert evaluate(source) is None


@pytest.mark.parametrize(
    "source",
    ["9.1 == 9.1", "9.1 != 9.1", "9.1 < 1", "1 <= 9.1", "9.1 > 0", "2.1 >= 9.1", "9.1 == 0"],
)
def test_a_comparison_with_a_blank_is_undefined(source):
    assert evaluate(source) is None


# T, F and U: a true, a false and an undefined check.
T, F, U = "1 > 0", "1 < 0", "9.1 > 0"


@pytest.mark.parametrize(
    ("source", "value"),
    [
        (f"{T} and {T}", True),
        (f"{T} and {F}", False),
        (f"{F} and {T}", False),
        (f"{F} and {F}", False),
        (f"{F} and {U}", False),
        (f"{U} and {F}", False),
        (f"{T} and {U}", None),
        (f"{U} and {T}", None),
        (f"{U} and {U}", None),
        (f"{T} or {T}", True),
        (f"{T} or {F}", True),
        (f"{F} or {T}", True),
        (f"{F} or {F}", False),
        (f"{T} or {U}", True),
        (f"{U} or {T}", True),
        (f"{F} or {U}", None),
        (f"{U} or {F}", None),
        (f"{U} or {U}", None),
        (f"not {T}", False),
        (f"not {F}", True),
        (f"not {U}", None),
        (f"not not {T}", True),
        # and binds tighter than or, not tighter than and
        (f"{T} or {T} and {F}", True),
        (f"({T} or {T}) and {F}", False),
        (f"not {F} and {F}", False),
        (f"not ({F} and {F})", True),
        (f"{F} and {F} or {T}", True),
        # a chain of checks
        ("2.2 <= 2.1 and 2.1 > 0 and BM1.2.2 <= BM1.2.1", True),
        ("present(9.1) and 9.1 > 0", False),
        ("not present(9.1) or 9.1 > 0", True),
    ],
)
def test_and_or_not_follow_three_valued_logic(source, value):
    assert evaluate(source) == value


@pytest.mark.parametrize(
    ("source", "value"),
    [("1 or 1", True), ("0 and 0", False), ("2.1 or 2.2", True), ("[3] and [3]", False)],
)
def test_and_or_read_numbers_the_way_not_does(source, value):
    assert evaluate(source) == value


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("sum(2.1, 2.2, [1])", D(17)),
        ("sum(2.1, 2.2, 1)", D(8)),
        ("sum(2.1, 9.1, 2.2)", D(7)),
        ("sum(9.1, 2.1)", D(4)),
        ("sum(2.1)", D(4)),
        ("sum(9.1)", None),
        ("sum(9.1, 9.2, BM2.1)", None),
        ("sum([3])", D(0)),  # zero is a value, not a blank
        ("min(2.1, 9.1, 2.2)", D(3)),
        ("min(9.1, 4.4)", D(-7)),
        ("min(9.1, 9.2)", None),
        ("max(2.1, 9.1, 2.2)", D(4)),
        ("max(9.1, 4.2)", D("-2.5")),
        ("max(9.1)", None),
        ("max(2.1 + 9.1, 2.2)", D(3)),  # an undefined argument is skipped too
        ("abs(4.4)", D(7)),
        ("abs(2.1)", D(4)),
        ("abs(9.1)", None),
        ("abs(-(2.2 - 2.1) * 100)", D(100)),
        ("sum(2.1, 2.2) / 2.1 * 100", D(175)),
        ("max(2.1, sum(2.2, PL8[1]))", D(8)),
    ],
)
def test_sum_min_max_skip_blanks_and_are_undefined_when_all_are_blank(source, value):
    assert evaluate(source) == value


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("round(4.1, 0)", "3"),  # 2.5: half up, not half even
        ("round(4.2, 0)", "-3"),  # -2.5: half away from zero
        ("round(4.3, 2)", "78.95"),  # 78.945
        ("round(4.3, 1)", "78.9"),
        ("round(2.2 / 2.1 * 100, 1)", "75.0"),
        ("round(1 / 3 * 100, 2)", "33.33"),
        ("round(2 / 3 * 100, 2)", "66.67"),
        ("round(2.1, 2)", "4.00"),
    ],
)
def test_round_rounds_half_up_to_the_given_decimals(source, text):
    assert str(evaluate(source)) == text


@pytest.mark.parametrize("source", ["round(9.1, 2)", "round(2.1, 9.1)", "round(1 / 0, 2)"])
def test_round_of_a_blank_is_undefined(source):
    assert evaluate(source) is None


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("present(2.1)", True),
        ("present([3])", True),  # zero is present
        ("present(BM1.2.2)", True),
        ("present(9.1)", False),
        ("present(9.9)", False),
        ("present(2.1 + 9.1)", False),
        ("present(0 / 0)", False),
        ("present(2.1) and present(2.2)", True),
        ("not present(9.1)", True),
    ],
)
def test_present_tells_whether_a_value_is_there(source, value):
    assert evaluate(source) == value


def test_lookup_is_asked_with_the_form_none_for_the_expression_s_own_form():
    asked: list[tuple[str | None, str]] = []

    def recording(form: str | None, code: str) -> Decimal | None:
        asked.append((form, code))
        return D(1)

    parse_expression("2.2 + [1] + BM1.2.2 + PL8[1] + BM1[3]").evaluate(recording)
    assert asked == [(None, "2.2"), (None, "1"), ("BM1", "2.2"), ("PL8", "1"), ("BM1", "3")]


# --- references -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "refs"),
    [
        ("7 * 100", ()),
        ("2.2 / 2.1 * 100", (Ref(None, "2.2"), Ref(None, "2.1"))),
        ("2.1 + 2.1 + 2.1", (Ref(None, "2.1"),)),
        ("[2.1] + 2.1", (Ref(None, "2.1"),)),  # one indicator, written two ways
        ("[1] + 1", (Ref(None, "1"),)),  # 1 is a number, [1] the indicator
        ("BM1.2.2 <= BM1.2.1", (Ref("BM1", "2.2"), Ref("BM1", "2.1"))),
        ("BM1.2.2 - 2.2", (Ref("BM1", "2.2"), Ref(None, "2.2"))),
        ("PL8[1] + BM1[1] + [1]", (Ref("PL8", "1"), Ref("BM1", "1"), Ref(None, "1"))),
        (
            "sum([3], 2.1, [3], present(BM1.2.2)) / 2.1",
            (Ref(None, "3"), Ref(None, "2.1"), Ref("BM1", "2.2")),
        ),
        ("not present(9.1) or 9.1 > 9.2", (Ref(None, "9.1"), Ref(None, "9.2"))),
    ],
)
def test_refs_are_extracted_in_order_without_duplicates(source, refs):
    assert parse_expression(source).refs == refs


@pytest.mark.parametrize(
    ("ref", "text"), [(Ref(None, "2.2"), "2.2"), (Ref("BM1", "2.2"), "BM1.2.2")]
)
def test_a_ref_prints_as_it_is_written(ref, text):
    assert str(ref) == text


def test_an_expression_keeps_its_source():
    assert parse_expression(" 2.2 / 2.1 ").source == " 2.2 / 2.1 "


# --- refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "Biểu thức «»: biểu thức rỗng ở cuối biểu thức."),
        ("   ", "Biểu thức «   »: biểu thức rỗng ở cuối biểu thức."),
        ("2.1 +", "Biểu thức «2.1 +»: thiếu giá trị trước «hết» ở cuối biểu thức."),
        ("* 2", "Biểu thức «* 2»: thiếu giá trị trước «*» ở vị trí 1."),
        ("1 +* 2", "Biểu thức «1 +* 2»: thiếu giá trị trước «*» ở vị trí 4."),
        ("2.1 >", "Biểu thức «2.1 >»: thiếu giá trị trước «hết» ở cuối biểu thức."),
        ("not", "Biểu thức «not»: thiếu giá trị trước «hết» ở cuối biểu thức."),
        ("()", "Biểu thức «()»: thiếu giá trị trước «)» ở vị trí 2."),
        (
            "avg(2.1, 2.2)",
            "Biểu thức «avg(2.1, 2.2)»: không biết «avg» "
            "(mã một phần viết trong ngoặc vuông: [1]) ở vị trí 1.",
        ),
        (
            "Sum(2.1)",
            "Biểu thức «Sum(2.1)»: không biết «Sum» "
            "(mã một phần viết trong ngoặc vuông: [1]) ở vị trí 1.",
        ),
        ("2.1 % 3", "Biểu thức «2.1 % 3»: ký tự không hợp lệ «%» ở vị trí 5."),
        ("2,5 * 2", "Biểu thức «2,5 * 2»: thừa «,» ở vị trí 2."),
        ("2.1 ≤ 2.2", "Biểu thức «2.1 ≤ 2.2»: ký tự không hợp lệ «≤» ở vị trí 5."),
        ("[]", "Biểu thức «[]»: ký tự không hợp lệ «[» ở vị trí 1."),
        ("(2.1 + 2.2", "Biểu thức «(2.1 + 2.2»: cần «)» nhưng gặp «hết» ở cuối biểu thức."),
        ("min(2.1, 2.2", "Biểu thức «min(2.1, 2.2»: cần «)» nhưng gặp «hết» ở cuối biểu thức."),
        ("2.1 + 2.2)", "Biểu thức «2.1 + 2.2)»: thừa «)» ở vị trí 10."),
        ("sum 2.1", "Biểu thức «sum 2.1»: cần «(» nhưng gặp «2.1» ở vị trí 5."),
        ("round(2.1)", "Biểu thức «round(2.1)»: hàm round nhận 2 đối số, có 1 ở vị trí 1."),
        (
            "1 + abs(2.1, 2.2)",
            "Biểu thức «1 + abs(2.1, 2.2)»: hàm abs nhận 1 đối số, có 2 ở vị trí 5.",
        ),
        ("present()", "Biểu thức «present()»: hàm present nhận 1 đối số, có 0 ở vị trí 1."),
        ("sum()", "Biểu thức «sum()»: hàm sum nhận 1 đối số, có 0 ở vị trí 1."),
        ("2.1 2.2", "Biểu thức «2.1 2.2»: thừa «2.2» ở vị trí 5."),
        ("(2.1) (2.2)", "Biểu thức «(2.1) (2.2)»: thừa «(» ở vị trí 7."),
        ("1 < 2 < 3", "Biểu thức «1 < 2 < 3»: thừa «<» ở vị trí 7."),
        ("1e5", "Biểu thức «1e5»: thừa «e5» ở vị trí 2."),
        (
            "x",
            "Biểu thức «x»: không biết «x» (mã một phần viết trong ngoặc vuông: [1]) ở vị trí 1.",
        ),
        (
            "2.1 > 0 and ok",
            "Biểu thức «2.1 > 0 and ok»: không biết «ok» "
            "(mã một phần viết trong ngoặc vuông: [1]) ở vị trí 13.",
        ),
        (
            "and 2.1",
            "Biểu thức «and 2.1»: không biết «and» "
            "(mã một phần viết trong ngoặc vuông: [1]) ở vị trí 1.",
        ),
    ],
)
def test_a_bad_expression_is_refused_naming_the_expression_and_the_position(source, message):
    with pytest.raises(ExpressionError) as raised:
        parse_expression(source)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("[ ] + 1", "Biểu thức «[ ] + 1»: mã chỉ tiêu rỗng ở vị trí 1."),
        ("1 + PL8[ ]", "Biểu thức «1 + PL8[ ]»: mã chỉ tiêu rỗng ở vị trí 5."),
    ],
)
def test_an_empty_bracket_code_is_refused_at_its_own_position(source, message):
    with pytest.raises(ExpressionError) as raised:
        parse_expression(source)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("source", "value"),
    [("2.1 > 0 and-2.2 < 0", True), ("2.1 < 0 or-2.2 < 0", True), ("not-2.2 < 0", False)],
)
def test_a_keyword_followed_by_a_minus_stays_a_keyword(source, value):
    assert evaluate(source) == value


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os')",
        '__import__("os").system("ls")',
        "__import__",
        "__builtins__",
        "os.system",
        "().__class__",
        "().__class__.__bases__[0].__subclasses__()",
        "2.1.__class__",
        "[1].__class__",
        "BM1.2.2.real",
        "sum.__globals__",
        "present.__code__",
        "eval('1')",
        "exec('1')",
        "open('/etc/passwd')",
        "getattr(2.1, 'real')",
        "lambda: 1",
        "1 if 1 else 2",
        "{1: 2}",
        "f'{1}'",
        "2.1; 2.2",
        "a = 1",
        "2.1 ** 2",
        "x.y",
    ],
)
def test_nothing_but_the_language_can_be_parsed(source):
    with pytest.raises(ExpressionError):
        parse_expression(source)


@pytest.mark.parametrize("code", ["__import__('os')", "x for x in y", "1; 2"])
def test_anything_in_brackets_is_only_a_code_to_look_up(code):
    expression = parse_expression(f"[{code}]")
    assert (expression.refs, expression.evaluate(lookup)) == ((Ref(None, code),), None)


def test_the_expression_module_never_evaluates_python():
    spec = find_spec("cchc.core.formulas")
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    forbidden = {"eval", "exec", "compile", "__import__", "getattr", "setattr", "globals"}
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert called & forbidden == set()
    dangerous_modules = {"builtins", "importlib", "os", "subprocess", "simpleeval", "asteval"}
    assert imported & dangerous_modules == set()


# --- properties -------------------------------------------------------------------------

small_ints = st.integers(min_value=0, max_value=999)


@given(
    st.lists(st.lists(small_ints, min_size=1, max_size=4), min_size=1, max_size=5),
    st.lists(st.sampled_from("+-"), min_size=4, max_size=4),
)
def test_a_chain_of_plus_minus_and_times_follows_python_s_precedence(terms, signs):
    # a * b + c - d * e * f ...: products first, then sums left to right.
    products = [" * ".join(map(str, term)) for term in terms]
    source = products[0]
    expected = _product(terms[0])
    for sign, term, product in zip(signs, terms[1:], products[1:], strict=False):
        source += f" {sign} {product}"
        expected += _product(term) if sign == "+" else -_product(term)
    assert evaluate(source) == expected


def _product(term: list[int]) -> int:
    result = 1
    for n in term:
        result *= n
    return result


def _combine(children: st.SearchStrategy) -> st.SearchStrategy:
    def build(a, op, b):
        (text_a, value_a), (text_b, value_b) = a, b
        value = {"+": value_a + value_b, "-": value_a - value_b, "*": value_a * value_b}[op]
        return f"({text_a} {op} {text_b})", value

    negated = children.map(lambda c: (f"-{c[0]}", -c[1]))
    return st.one_of(st.builds(build, children, st.sampled_from("+-*"), children), negated)


integer_expressions = st.recursive(small_ints.map(lambda n: (str(n), n)), _combine, max_leaves=8)


@given(integer_expressions)
def test_an_integer_expression_equals_python_s_arithmetic(expression):
    source, value = expression
    assert evaluate(source) == value


# --- a formula comes from a user: bounded length and nesting --------------------------

NESTING = {  # opening, inner, closing; the value nested to the limit
    "parentheses": ("(", "1", ")", D(1)),
    "calls": ("abs(", "1", ")", D(1)),
    "not": ("not ", "1", "", True),
    "minus": ("-", "1", "", D(1)),
}


@pytest.mark.parametrize("kind", NESTING)
def test_a_formula_is_read_nested_to_the_limit_and_refused_one_level_past_it(kind):
    opening, inner, closing, value = NESTING[kind]

    def nested(depth: int) -> str:
        return opening * depth + inner + closing * depth

    assert parse_expression(nested(MAX_FORMULA_DEPTH)).evaluate(lookup) == value
    with pytest.raises(ExpressionError, match="lồng quá sâu"):
        parse_expression(nested(MAX_FORMULA_DEPTH + 1))


def test_a_formula_nested_300_deep_is_refused_with_the_position_of_the_level_too_many():
    with pytest.raises(ExpressionError) as caught:
        parse_expression("(" * 300 + "1" + ")" * 300)
    assert str(caught.value) == (
        f"Biểu thức «{'(' * 80}…»: lồng quá sâu (quá 32 mức ngoặc, hàm, not, dấu -) ở vị trí 33."
    )


@pytest.mark.parametrize("kind", NESTING)
def test_a_formula_nested_past_the_limit_is_refused(kind):
    opening, inner, closing, _ = NESTING[kind]
    source = opening * 5000 + inner + closing * 5000
    with pytest.raises(ExpressionError, match="lồng quá sâu"):
        parse_expression(source[:MAX_FORMULA_CHARS])


def test_a_formula_longer_than_the_limit_is_refused_before_it_is_read():
    source = "[1] + " * 400 + "[1]"
    with pytest.raises(ExpressionError) as caught:
        parse_expression(source)
    assert str(caught.value) == (
        f"Biểu thức «{source[:80]}…»: dài 2.403 ký tự, quá giới hạn 2.000 ký tự."
    )


def test_a_chain_of_a_thousand_terms_evaluates_without_exhausting_the_stack():
    # 1 + 1 + … evaluated as nested closures went 1.000 frames deep.
    source = "+".join(["1"] * 1000)
    assert len(source) < MAX_FORMULA_CHARS
    assert (
        evaluate(source),
        evaluate("*".join(["1"] * 1000)),
        evaluate(" or ".join(["0"] * 400)),
    ) == (
        D(1000),
        D(1),
        False,
    )


def test_round_of_a_29_digit_value_rounds_instead_of_failing():
    big = Decimal("12345678901234567890123456789.125")
    assert parse_expression("round([1], 2)").evaluate(lambda form, code: big) == Decimal(
        "12345678901234567890123456789.13"
    )


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("[1] * [1]", None),  # 1E+1999980 is beyond what a Decimal holds: no value
        ("sum([1] * [1], 1)", D(1)),  # the blank (undefined) product is left out
        ("round([1], 2)", D("9E+999990")),  # no places worth rounding: as it is
        ("[1] / [1]", D(1)),
    ],
)
def test_a_value_at_the_edge_of_decimal_gives_a_value_or_undefined_never_an_error(source, value):
    assert parse_expression(source).evaluate(lambda form, code: D("9E+999990")) == value


# Tokens of the language (and a few that are not) in any order: the fuzz of the parser.
formula_tokens = st.sampled_from(
    [
        "(",
        ")",
        "+",
        "-",
        "*",
        "/",
        "<=",
        "==",
        "!=",
        "<",
        ">",
        " and ",
        " or ",
        "not ",
        ",",
        "sum(",
        "min(",
        "max(",
        "abs(",
        "round(",
        "present(",
        "1",
        "0",
        "12",
        "2.1",
        "9.1",
        "[1]",
        "[3.a]",
        "BM1.2.1",
        "PL8[1]",
        "100",
        " ",
        "x",
        "[",
        "]",
        "%",
        "\u00a0",
    ]
)
formula_soup = st.one_of(st.lists(formula_tokens, max_size=40).map("".join), st.text(max_size=40))
any_value = st.one_of(
    st.none(),
    st.integers(min_value=-(10**40), max_value=10**40).map(Decimal),
    st.decimals(min_value=-(10**30), max_value=10**30, allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),  # exponents up to ±999.999
)


@FUZZ
@given(formula_soup, any_value, any_value)
def test_any_text_is_an_expression_error_or_an_expression_that_evaluates(source, a, b):
    try:
        expression = parse_expression(source)
    except ExpressionError:
        return
    result = expression.evaluate(lambda form, code: a if code < "5" else b)
    assert result is None or isinstance(result, Decimal | bool)
