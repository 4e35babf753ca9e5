"""A small, safe expression language over indicator codes.

Formulas (`2.2 / 2.1 * 100`) and rule checks (`BM1.2.2 <= BM1.2.1`) are parsed
here into closures; nothing is ever handed to `eval`. A blank indicator and a
division by zero are *undefined* (None): arithmetic and comparisons over an
undefined value stay undefined, so 0/0 is never reported as 0 or 100.

A formula comes from a template, that is from a user: its length and its
nesting are bounded (`cchc/core/template_limits.py`) and refused with an
ExpressionError, and a chain `a + b + c …` is evaluated in a loop, so neither
parsing nor evaluating can exhaust the stack.

The functions a formula may call are `formula_functions`. The tokenizer
(`tokenize`) is the one every reader of a formula uses: the parser, a
template's words and the Excel formulas.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from cchc.core.formula_functions import ARITY, FUNCTIONS, Lookup, Value
from cchc.core.numbers import format_number
from cchc.core.template_limits import MAX_FORMULA_CHARS, MAX_FORMULA_DEPTH

__all__ = [
    "Expression",
    "ExpressionError",
    "Lookup",
    "Ref",
    "Token",
    "Value",
    "parse_expression",
    "tokenize",
]


class ExpressionError(ValueError):
    """An expression that cannot be parsed; the message is Vietnamese."""


@dataclass(frozen=True)
class Ref:
    """A reference to an indicator: `form` None means the expression's own form."""

    form: str | None
    code: str

    def __str__(self) -> str:
        return f"{self.form}.{self.code}" if self.form else self.code


@dataclass(frozen=True)
class Expression:
    """A parsed expression: its source, the indicators it reads, and its evaluator."""

    source: str
    refs: tuple[Ref, ...]
    _run: Callable[[Lookup], Value] = field(repr=False, compare=False)

    def evaluate(self, lookup: Lookup) -> Value:
        """Evaluate with `lookup(form, code)` giving a value or None when blank."""
        return self._run(lookup)


_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<qualified>[A-Za-z][A-Za-z0-9_]*(?:\.[0-9]+(?:\.[0-9]+)*|\[[^\]]+\]))
  | (?P<bracket>\[[^\]]+\])
  | (?P<number>[0-9]+(?:\.[0-9]+)*)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|==|!=|<|>|\+|-|\*|/|\(|\)|,)
    """,
    re.VERBOSE,
)

_KEYWORDS = {"and", "or", "not"}


@dataclass(frozen=True)
class Token:
    """One token of a formula: `kind` is qualified (`BM2.5.1`, `BM2[a]`), bracket
    (`[1]`), number (`100`, or a dotted code `5.1`), name, op or end."""

    kind: str
    text: str
    pos: int

    @property
    def ref(self) -> Ref | None:
        """The indicator this token names, or None for a number, name or operator."""
        if self.kind == "qualified":
            form, _, rest = self.text.partition("[")
            if rest:
                return Ref(form, rest[:-1].strip())
            form, _, code = self.text.partition(".")
            return Ref(form, code)
        if self.kind == "bracket":
            return Ref(None, self.text[1:-1].strip())
        if self.kind == "number" and "." in self.text:
            return Ref(None, self.text)
        return None


def tokenize(source: str) -> list[Token]:
    """The tokens of a formula or check, spaces dropped, ending with an `end` token:
    the one tokenizer for the parser, the words of a template and Excel formulas."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if not m:
            raise ExpressionError(
                f"Biểu thức «{_shown(source)}»: ký tự không hợp lệ «{source[pos]}» "
                f"ở vị trí {pos + 1}."
            )
        kind = m.lastgroup or ""
        text = m.group()
        if kind == "qualified" and text.split(".")[0].split("[")[0].lower() in (
            FUNCTIONS.keys() | _KEYWORDS
        ):
            # `sum[...]` is not a thing; let the name rule reject it clearly.
            kind, text = "name", re.match(r"[A-Za-z_]\w*", text).group()  # type: ignore[union-attr]
        if kind != "space":
            tokens.append(Token(kind, text, pos))
        pos += len(text)
    tokens.append(Token("end", "", len(source)))
    return tokens


class _Parser:
    """Recursive descent: or < and < not < comparison < sum < product < unary."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = tokenize(source)
        self.i = 0
        self.depth = 0
        self.refs: list[Ref] = []

    def error(self, message: str, token: Token | None = None) -> ExpressionError:
        token = token or self.tokens[self.i]
        where = f"ở vị trí {token.pos + 1}" if token.kind != "end" else "ở cuối biểu thức"
        return ExpressionError(f"Biểu thức «{_shown(self.source)}»: {message} {where}.")

    def nested(self, parse: Callable[[], Callable[[Lookup], Value]]) -> Callable[[Lookup], Value]:
        """Parse one level deeper (parentheses, a call, `not`, `-`), refusing past the limit."""
        if self.depth >= MAX_FORMULA_DEPTH:  # the token just taken opens the level too many
            raise self.error(
                f"lồng quá sâu (quá {MAX_FORMULA_DEPTH} mức ngoặc, hàm, not, dấu -)",
                self.tokens[self.i - 1],
            )
        self.depth += 1
        try:
            return parse()
        finally:
            self.depth -= 1

    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def take(self, text: str) -> bool:
        if self.tok.text == text and self.tok.kind in ("op", "name"):
            self.i += 1
            return True
        return False

    def expect(self, text: str) -> None:
        if not self.take(text):
            raise self.error(f"cần «{text}» nhưng gặp «{self.tok.text or 'hết'}»")

    def parse(self) -> Callable[[Lookup], Value]:
        if self.tok.kind == "end":
            raise self.error("biểu thức rỗng")
        node = self.parse_or()
        if self.tok.kind != "end":
            raise self.error(f"thừa «{self.tok.text}»")
        return node

    def parse_or(self) -> Callable[[Lookup], Value]:
        terms = [self.parse_and()]
        while self.take("or"):
            terms.append(self.parse_and())
        return terms[0] if len(terms) == 1 else _logic(terms, any_=True)

    def parse_and(self) -> Callable[[Lookup], Value]:
        terms = [self.parse_not()]
        while self.take("and"):
            terms.append(self.parse_not())
        return terms[0] if len(terms) == 1 else _logic(terms, any_=False)

    def parse_not(self) -> Callable[[Lookup], Value]:
        if self.take("not"):
            inner = self.nested(self.parse_not)
            return lambda env: None if (v := inner(env)) is None else not v
        return self.parse_comparison()

    def parse_comparison(self) -> Callable[[Lookup], Value]:
        left = self.parse_sum()
        op = self.tok.text if self.tok.kind == "op" else ""
        if op in _COMPARE:
            self.i += 1
            right = self.parse_sum()
            compare = _COMPARE[op]

            def run(env: Lookup) -> Value:
                a, b = left(env), right(env)
                return None if a is None or b is None else compare(a, b)

            return run
        return left

    def parse_sum(self) -> Callable[[Lookup], Value]:
        return self.parse_chain(("+", "-"), self.parse_product)

    def parse_product(self) -> Callable[[Lookup], Value]:
        return self.parse_chain(("*", "/"), self.parse_unary)

    def parse_chain(
        self, ops: tuple[str, str], operand: Callable[[], Callable[[Lookup], Value]]
    ) -> Callable[[Lookup], Value]:
        """`a + b - c …` left to right, as one loop over its operands."""
        first = operand()
        rest: list[tuple[str, Callable[[Lookup], Value]]] = []
        while self.tok.text in ops and self.tok.kind == "op":
            op = self.tok.text
            self.i += 1
            rest.append((op, operand()))
        return _arith(first, rest) if rest else first

    def parse_unary(self) -> Callable[[Lookup], Value]:
        if self.take("-"):
            inner = self.nested(self.parse_unary)
            return lambda env: None if (v := inner(env)) is None else -Decimal(v)
        return self.parse_atom()

    def parse_atom(self) -> Callable[[Lookup], Value]:
        tok = self.tok
        if (ref := tok.ref) is not None:
            self.i += 1
            return self.ref(ref.form, ref.code, tok)
        if tok.kind == "number":
            self.i += 1
            number = Decimal(tok.text)
            return lambda env: number
        if tok.kind == "name" and tok.text in FUNCTIONS:
            self.i += 1
            return self.nested(lambda: self.call(tok))
        if self.take("("):
            inner = self.nested(self.parse_or)
            self.expect(")")
            return inner
        if tok.kind == "name":
            raise self.error(f"không biết «{tok.text}» (mã một phần viết trong ngoặc vuông: [1])")
        raise self.error(f"thiếu giá trị trước «{tok.text or 'hết'}»")

    def ref(self, form: str | None, code: str, tok: Token) -> Callable[[Lookup], Value]:
        if not code:
            raise self.error("mã chỉ tiêu rỗng", tok)
        r = Ref(form, code)
        self.refs.append(r)
        return lambda env: env(form, code)

    def call(self, name_tok: Token) -> Callable[[Lookup], Value]:
        self.expect("(")
        args: list[Callable[[Lookup], Value]] = []
        if not self.take(")"):
            args.append(self.parse_or())
            while self.take(","):
                args.append(self.parse_or())
            self.expect(")")
        name = name_tok.text
        wanted = ARITY.get(name, (1, 999))
        if not wanted[0] <= len(args) <= wanted[1]:
            raise self.error(f"hàm {name} nhận {wanted[0]} đối số, có {len(args)}", name_tok)
        return FUNCTIONS[name](args)


def _truth(v: Value) -> bool | None:
    """Numbers in `and`/`or` count as in `not`: zero is false."""
    return None if v is None else bool(v)


def _logic(terms: list[Callable[[Lookup], Value]], *, any_: bool) -> Callable[[Lookup], Value]:
    """`a or b or …` (any_) / `a and b and …`: one deciding operand decides, else undefined."""
    decides = any_  # True decides an `or`, False decides an `and`

    def run(env: Lookup) -> Value:
        truths = [_truth(t(env)) for t in terms]
        if decides in truths:
            return decides
        return None if None in truths else not decides

    return run


def _arith(
    first: Callable[[Lookup], Value], rest: list[tuple[str, Callable[[Lookup], Value]]]
) -> Callable[[Lookup], Value]:
    def run(env: Lookup) -> Value:
        a = first(env)
        if a is None:
            return None
        acc = Decimal(a)
        for op, operand in rest:
            b = operand(env)
            if b is None:
                return None
            b = Decimal(b)
            try:
                if op == "+":
                    acc += b
                elif op == "-":
                    acc -= b
                elif op == "*":
                    acc *= b
                elif b == 0:
                    return None
                else:
                    acc /= b
            except ArithmeticError:  # beyond what a Decimal holds (1E+999999²): no value
                return None
        return acc

    return run


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {  # a number or a yes/no answer
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _shown(source: str) -> str:
    """The source as a message quotes it: a long one is cut."""
    return source if len(source) <= 80 else f"{source[:80]}…"


def parse_expression(source: str) -> Expression:
    """Parse a formula or check; raises ExpressionError naming the position."""
    if len(source) > MAX_FORMULA_CHARS:
        raise ExpressionError(
            f"Biểu thức «{_shown(source)}»: dài {format_number(len(source))} ký tự, "
            f"quá giới hạn {format_number(MAX_FORMULA_CHARS)} ký tự."
        )
    parser = _Parser(source)
    run = parser.parse()
    return Expression(source=source, refs=tuple(dict.fromkeys(parser.refs)), _run=run)
