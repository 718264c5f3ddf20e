"""Logging filters the settings' LOGGING names."""

from __future__ import annotations

import logging


class OneLineForbidden(logging.Filter):
    """A refused page (403: PermissionDenied) is an expected answer, not a fault: Django logs it with the
    exception's traceback, which buries real errors. Keep the one line saying who was refused what."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
