"""Numbers as people read them on the dashboard: thousands separators, signed percentages, p-values."""

from __future__ import annotations

from typing import Any

from django import template

from vrhub.reports.comparisons import number as _number
from vrhub.reports.disclosure import SUPPRESSED
from vrhub.stats.wording import format_change, format_p

register = template.Library()


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
def unit_words(unit: Any) -> str:
    """The unit in words to follow a figure, blank where `figure` already carries it (5.4%, not 5.4%
    percent)."""
    return "" if unit == "percent" else words(unit)


@register.filter
def rate(value: Any) -> str:
    number = _number(value)
    return "" if number is None else f"{number:,.1f}"


@register.filter
def signed_pct(value: Any) -> str:
    """+12%, -3%, up less than 1%; blank when there is nothing to compare with. Rounded as the sentences
    round (`wording.format_change`)."""
    return format_change(_number(value))


@register.filter
def pvalue(value: Any) -> str:
    """p = 0.64, p < 0.001: as the sentences write it (`wording.format_p`)."""
    return format_p(_number(value))


@register.filter
def words(value: Any) -> str:
    """A code as words: victim_incidents -> victim incidents."""
    return str(value or "").replace("_", " ")


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
