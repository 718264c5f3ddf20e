"""Evaluation of interventions: did the count change where, and from when, something was done?

`evaluate_place` estimates a place-based intervention's effect on monthly counts in the LSOAs it covered
(synthetic control with in-space placebos; difference-in-differences and an interrupted time series as
checks). docs/evaluation.md says how to read the result.
"""

from vrhub.evaluation.estimate import DIFF_IN_DIFF, INTERRUPTED, SYNTHETIC_CONTROL, Estimate
from vrhub.evaluation.place import PlaceResult, evaluate_panel, evaluate_place

__all__ = [
    "DIFF_IN_DIFF",
    "INTERRUPTED",
    "SYNTHETIC_CONTROL",
    "Estimate",
    "PlaceResult",
    "evaluate_panel",
    "evaluate_place",
]
