"""Figures as files: CSV (UTF-8, one header row) and XLSX (one sheet, the same header and rows). Both are
written by vrhub.spreadsheet, so no cell can run as a formula."""

from __future__ import annotations

import pandas as pd
from django.http import HttpResponse

from vrhub import spreadsheet

XLSX = spreadsheet.XLSX_CONTENT_TYPE


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    # Arrow-backed strings and nullable numbers as plain objects: both writers then see None for a blank.
    return frame.astype(object).where(frame.notna(), None)


def csv_response(frame: pd.DataFrame, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    spreadsheet.write_frame_csv(_plain(frame), response, lineterminator="\n")
    return response


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "figures") -> bytes:
    return spreadsheet.frame_xlsx_bytes(frame, sheet)


def bytes_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(frame: pd.DataFrame, filename: str, sheet: str = "figures") -> HttpResponse:
    return bytes_response(xlsx_bytes(frame, sheet), XLSX, filename)
