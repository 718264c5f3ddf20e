"""Reports built from the same measure functions as every other output, so they cannot disagree."""

from vrhub.reports.build import Report, write_report

__all__ = ["Report", "write_report"]
