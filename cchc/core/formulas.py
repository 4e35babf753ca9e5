"""A small, safe expression language over indicator codes.

Formulas (`2.2 / 2.1 * 100`) and rule checks (`BM1.2.2 <= BM1.2.1`) are parsed
here into closures; nothing is ever handed to `eval`. A blank indicator and a
division by zero are *undefined* (None): arithmetic and comparisons over an
undefined value stay undefined, so 0/0 is never reported as 0 or 100.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["Expression", "ExpressionError", "Lookup", "Ref", "Value", "parse_expression"]

Value = Decimal | bool | None
Lookup = Callable[[str | None, str], Decimal | None]


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

_FUNCTIONS = {"sum", "min", "max", "abs", "round", "present"}
_KEYWORDS = {"and", "or", "not"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    pos: int


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if not m:
            raise ExpressionError(
                f"Biểu thức «{source}»: ký tự không hợp lệ «{source[pos]}» ở vị trí {pos + 1}."
            )
        kind = m.lastgroup or ""
        text = m.group()
        if kind == "qualified" and text.split(".")[0].split("[")[0].lower() in (
            _FUNCTIONS | _KEYWORDS
        ):
            # `sum[...]` is not a thing; let the name rule reject it clearly.
            kind, text = "name", re.match(r"[A-Za-z_]\w*", text).group()  # type: ignore[union-attr]
        if kind != "space":
            tokens.append(_Token(kind, text, pos))
        pos += len(text)
    tokens.append(_Token("end", "", len(source)))
    return tokens


class _Parser:
    """Recursive descent: or < and < not < comparison < sum < product < unary."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokenize(source)
        self.i = 0
        self.refs: list[Ref] = []

    def error(self, message: str, token: _Token | None = None) -> ExpressionError:
        token = token or self.tokens[self.i]
        where = f"ở vị trí {token.pos + 1}" if token.kind != "end" else "ở cuối biểu thức"
        return ExpressionError(f"Biểu thức «{self.source}»: {message} {where}.")

    @property
    def tok(self) -> _Token:
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
        left = self.parse_and()
        while self.take("or"):
            left = _logic(left, self.parse_and(), any_=True)
        return left

    def parse_and(self) -> Callable[[Lookup], Value]:
        left = self.parse_not()
        while self.take("and"):
            left = _logic(left, self.parse_not(), any_=False)
        return left

    def parse_not(self) -> Callable[[Lookup], Value]:
        if self.take("not"):
            inner = self.parse_not()
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
        left = self.parse_product()
        while self.tok.text in ("+", "-") and self.tok.kind == "op":
            op = self.tok.text
            self.i += 1
            left = _arith(left, self.parse_product(), op)
        return left

    def parse_product(self) -> Callable[[Lookup], Value]:
        left = self.parse_unary()
        while self.tok.text in ("*", "/") and self.tok.kind == "op":
            op = self.tok.text
            self.i += 1
            left = _arith(left, self.parse_unary(), op)
        return left

    def parse_unary(self) -> Callable[[Lookup], Value]:
        if self.take("-"):
            inner = self.parse_unary()
            return lambda env: None if (v := inner(env)) is None else -Decimal(v)
        return self.parse_atom()

    def parse_atom(self) -> Callable[[Lookup], Value]:
        tok = self.tok
        if tok.kind == "number":
            self.i += 1
            if "." in tok.text:
                return self.ref(None, tok.text, tok)
            number = Decimal(tok.text)
            return lambda env: number
        if tok.kind == "bracket":
            self.i += 1
            return self.ref(None, tok.text[1:-1].strip(), tok)
        if tok.kind == "qualified":
            self.i += 1
            form, _, rest = tok.text.partition("[")
            if rest:
                return self.ref(form, rest[:-1].strip(), tok)
            form, _, code = tok.text.partition(".")
            return self.ref(form, code, tok)
        if tok.kind == "name" and tok.text in _FUNCTIONS:
            self.i += 1
            return self.call(tok)
        if self.take("("):
            inner = self.parse_or()
            self.expect(")")
            return inner
        if tok.kind == "name":
            raise self.error(f"không biết «{tok.text}» (mã một phần viết trong ngoặc vuông: [1])")
        raise self.error(f"thiếu giá trị trước «{tok.text or 'hết'}»")

    def ref(self, form: str | None, code: str, tok: _Token) -> Callable[[Lookup], Value]:
        if not code:
            raise self.error("mã chỉ tiêu rỗng", tok)
        r = Ref(form, code)
        self.refs.append(r)
        return lambda env: env(form, code)

    def call(self, name_tok: _Token) -> Callable[[Lookup], Value]:
        self.expect("(")
        args: list[Callable[[Lookup], Value]] = []
        if not self.take(")"):
            args.append(self.parse_or())
            while self.take(","):
                args.append(self.parse_or())
            self.expect(")")
        name = name_tok.text
        wanted = {"abs": (1, 1), "round": (2, 2), "present": (1, 1)}.get(name, (1, 999))
        if not wanted[0] <= len(args) <= wanted[1]:
            raise self.error(f"hàm {name} nhận {wanted[0]} đối số, có {len(args)}", name_tok)
        return _FUNCTION_BUILDERS[name](args)


def _truth(v: Value) -> bool | None:
    """Numbers in `and`/`or` count as in `not`: zero is false."""
    return None if v is None else bool(v)


def _logic(
    left: Callable[[Lookup], Value], right: Callable[[Lookup], Value], *, any_: bool
) -> Callable[[Lookup], Value]:
    def run(env: Lookup) -> Value:
        a, b = _truth(left(env)), _truth(right(env))
        if any_:
            if a is True or b is True:
                return True
            return None if a is None or b is None else False
        if a is False or b is False:
            return False
        return None if a is None or b is None else True

    return run


def _arith(
    left: Callable[[Lookup], Value], right: Callable[[Lookup], Value], op: str
) -> Callable[[Lookup], Value]:
    def run(env: Lookup) -> Value:
        a, b = left(env), right(env)
        if a is None or b is None:
            return None
        a, b = Decimal(a), Decimal(b)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        return None if b == 0 else a / b

    return run


_COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def _present_values(args: list[Callable[[Lookup], Value]], env: Lookup) -> list[Decimal]:
    return [Decimal(v) for a in args if (v := a(env)) is not None]


def _aggregate(fn: Callable[[list[Decimal]], Decimal]):
    def build(args: list[Callable[[Lookup], Value]]) -> Callable[[Lookup], Value]:
        def run(env: Lookup) -> Value:
            values = _present_values(args, env)
            return fn(values) if values else None

        return run

    return build


def _build_abs(args: list[Callable[[Lookup], Value]]) -> Callable[[Lookup], Value]:
    (x,) = args
    return lambda env: None if (v := x(env)) is None else abs(Decimal(v))


def _build_round(args: list[Callable[[Lookup], Value]]) -> Callable[[Lookup], Value]:
    x, n = args

    def run(env: Lookup) -> Value:
        v, places = x(env), n(env)
        if v is None or places is None or places != int(places) or not 0 <= places <= 12:
            return None  # round(x, 2.9) or round(x, 30) means nothing: undefined
        return Decimal(v).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)

    return run


def _build_present(args: list[Callable[[Lookup], Value]]) -> Callable[[Lookup], Value]:
    (x,) = args
    return lambda env: x(env) is not None


_FUNCTION_BUILDERS = {
    "sum": _aggregate(lambda vs: sum(vs, Decimal(0))),
    "min": _aggregate(min),
    "max": _aggregate(max),
    "abs": _build_abs,
    "round": _build_round,
    "present": _build_present,
}


def parse_expression(source: str) -> Expression:
    """Parse a formula or check; raises ExpressionError naming the position."""
    parser = _Parser(source)
    run = parser.parse()
    return Expression(source=source, refs=tuple(dict.fromkeys(parser.refs)), _run=run)
