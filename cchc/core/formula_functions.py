"""The functions a formula may call: `sum`, `min`, `max` (over the operands that are
there; none there is undefined), `abs`, `round(x, places)` and `present(x)`.

Each is built from its arguments, already parsed into closures, into one closure
over the figures (`Run`); a blank stays undefined and a figure too large for a
Decimal gives no value, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal

__all__ = ["ARITY", "FUNCTIONS", "Lookup", "Run", "Value"]

Value = Decimal | bool | None
Lookup = Callable[[str | None, str], Decimal | None]
Run = Callable[[Lookup], Value]  # a parsed expression, waiting for the figures

ARITY = {"abs": (1, 1), "round": (2, 2), "present": (1, 1)}  # the others take 1 or more


def _present_values(args: list[Run], env: Lookup) -> list[Decimal]:
    return [Decimal(v) for a in args if (v := a(env)) is not None]


def _aggregate(fn: Callable[[list[Decimal]], Decimal]):
    def build(args: list[Run]) -> Run:
        def run(env: Lookup) -> Value:
            values = _present_values(args, env)
            try:
                return fn(values) if values else None
            except ArithmeticError:  # a sum beyond what a Decimal holds: no value
                return None

        return run

    return build


def _build_abs(args: list[Run]) -> Run:
    (x,) = args
    return lambda env: None if (v := x(env)) is None else abs(Decimal(v))


_ROUND_DIGITS = 60


def _build_round(args: list[Run]) -> Run:
    x, n = args

    def run(env: Lookup) -> Value:
        v, places = x(env), n(env)
        if v is None or places is None or places != int(places) or not 0 <= places <= 12:
            return None  # round(x, 2.9) or round(x, 30) means nothing: undefined
        v = Decimal(v)
        # Enough digits for every place kept: a 29-digit value rounds, it does not fail; a
        # value of more than _ROUND_DIGITS digits has no places worth rounding and stays.
        digits = max(28, v.adjusted() + int(places) + 2)
        if digits > _ROUND_DIGITS:
            return v
        exponent = Decimal(1).scaleb(-int(places))
        return v.quantize(exponent, rounding=ROUND_HALF_UP, context=Context(prec=digits))

    return run


def _build_present(args: list[Run]) -> Run:
    (x,) = args
    return lambda env: x(env) is not None


FUNCTIONS: dict[str, Callable[[list[Run]], Run]] = {
    "sum": _aggregate(lambda vs: sum(vs, Decimal(0))),
    "min": _aggregate(min),
    "max": _aggregate(max),
    "abs": _build_abs,
    "round": _build_round,
    "present": _build_present,
}
