"""Numbers as people read them on the dashboard: thousands separators, signed percentages, p-values."""

from __future__ import annotations

import math
from typing import Any

from django import template

from vrhub.reports.disclosure import SUPPRESSED

register = template.Library()


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


@register.filter
def figure(value: Any, unit: str = "") -> str:
    """12,345; 4.5 (a value with a fraction to one decimal place); 5.4% for a percentage; '*' as it is."""
    if value == SUPPRESSED:
        return SUPPRESSED
    number = _number(value)
    if number is None:
        return ""
    text = f"{number:,.0f}" if number.is_integer() else f"{number:,.1f}"
    return text + "%" if unit == "percent" else text


@register.filter
def rate(value: Any) -> str:
    number = _number(value)
    return "" if number is None else f"{number:,.1f}"


@register.filter
def signed_pct(value: Any) -> str:
    """+12%, -3%, 0%; blank when there is nothing to compare with."""
    number = _number(value)
    if number is None:
        return ""
    whole = math.floor(abs(number) + 0.5) * (1 if number >= 0 else -1)
    return f"+{whole:,}%" if whole > 0 else f"{whole:,}%".replace("-", "\u2212")


@register.filter
def pvalue(value: Any) -> str:
    number = _number(value)
    if number is None:
        return ""
    if number < 0.001:
        return "< 0.001"
    return f"{number:.3f}" if number < 0.01 else f"{number:.2f}"


@register.filter
def words(value: Any) -> str:
    """A code as words: victim_incidents -> victim incidents."""
    return str(value or "").replace("_", " ")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
