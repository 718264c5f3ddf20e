"""Measures: a YAML catalogue computed through Ibis for the force area and each borough.

The names below load on first use: `vrhub.measures.periods` (quarters and years, which the web's delivery
app needs at start-up) must not bring Ibis, pandas and the engine with it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vrhub.measures.catalogue import Catalogue, Measure, builtin_catalogue, load_catalogue
    from vrhub.measures.engine import COLUMNS, MeasureRequest, MeasureResult, compute

_WHERE = {
    "Catalogue": "catalogue",
    "Measure": "catalogue",
    "builtin_catalogue": "catalogue",
    "load_catalogue": "catalogue",
    "COLUMNS": "engine",
    "MeasureRequest": "engine",
    "MeasureResult": "engine",
    "compute": "engine",
}

__all__ = [
    "COLUMNS",
    "Catalogue",
    "Measure",
    "MeasureRequest",
    "MeasureResult",
    "builtin_catalogue",
    "compute",
    "load_catalogue",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'vrhub.measures' has no attribute {name!r}")
    return getattr(importlib.import_module(f"vrhub.measures.{_WHERE[name]}"), name)
