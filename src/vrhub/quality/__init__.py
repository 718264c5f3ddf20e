"""Data quality: completeness, quarantined and implausible values, duplicates, unplaced LSOAs, late or missing
months and category drift, per source and month. `check_quality(wh)` runs them all; see `Thresholds`."""

from vrhub.quality.check import check_quality
from vrhub.quality.model import (
    COMPLETENESS_COLUMNS,
    FINDING_COLUMNS,
    SEVERITIES,
    Finding,
    QualityReport,
    Thresholds,
)

__all__ = [
    "COMPLETENESS_COLUMNS",
    "FINDING_COLUMNS",
    "SEVERITIES",
    "Finding",
    "QualityReport",
    "Thresholds",
    "check_quality",
]
