"""Analysis beside the measures: change statistics and their wording, monthly trends, hot spots."""

from vrhub.analysis.trends import (
    Step,
    detect_steps,
    rolling_twelve_months,
    same_month_last_year,
    seasonal_profile,
    share_shift,
)
from vrhub.analysis.wording import describe_change
from vrhub.stats.change import change_statistics

__all__ = [
    "Step",
    "change_statistics",
    "describe_change",
    "detect_steps",
    "rolling_twelve_months",
    "same_month_last_year",
    "seasonal_profile",
    "share_shift",
]
