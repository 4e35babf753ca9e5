"""Vietnamese formats in pages: numbers `2.715.925.699`, `78,95`; dates `dd/mm/yyyy`."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import timezone

from cchc.core.figures import format_figure
from cchc.core.numbers import format_number
from cchc.core.templates import Kind

register = template.Library()


@register.filter
def vn_number(value, decimals=None):
    if value is None or value == "":
        return ""
    try:
        return format_number(Decimal(str(value)), None if decimals in (None, "") else int(decimals))
    except (ArithmeticError, ValueError):
        return value


@register.filter
def vn_figure(value, kind):
    """A figure by its indicator's kind (`5`, `1.234,5`, `78,95%`): see core/figures.py."""
    if value is None or value == "":
        return ""
    try:
        return format_figure(Decimal(str(value)), Kind(kind))
    except (ArithmeticError, ValueError):
        return value


@register.filter
def vn_date(value):
    if not value:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
