"""Figures as files: CSV (UTF-8, one header row) and XLSX (one sheet, the same header and rows)."""

from __future__ import annotations

import io

import pandas as pd
from django.http import HttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    # Arrow-backed strings and nullable numbers as plain objects: both writers then see None for a blank.
    return frame.astype(object).where(frame.notna(), None)


def csv_response(frame: pd.DataFrame, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    _plain(frame).to_csv(response, index=False)
    return response


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "figures") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    ws.append([str(c) for c in frame.columns])
    for row in _plain(frame).itertuples(index=False):
        ws.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: object) -> object:
    # openpyxl writes str, numbers and bools; anything else (numpy bools, timestamps) as its plain form.
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def bytes_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(frame: pd.DataFrame, filename: str, sheet: str = "figures") -> HttpResponse:
    return bytes_response(xlsx_bytes(frame, sheet), XLSX, filename)
