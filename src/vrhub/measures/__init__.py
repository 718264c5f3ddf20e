"""Measures: a YAML catalogue computed through Ibis for the force area and each borough."""

from vrhub.measures.catalogue import Catalogue, Measure, builtin_catalogue, load_catalogue
from vrhub.measures.engine import COLUMNS, MeasureRequest, MeasureResult, compute

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
