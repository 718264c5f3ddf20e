"""The status one library error answers with, the same on the API and the pages."""

from __future__ import annotations

from collections.abc import Iterable

from vrhub.errors import VrhubError, WarehouseError


def status_for(exc: VrhubError, path_values: Iterable[object]) -> tuple[int, str | None]:
    """(status, location): 404 for an unknown thing the path names (its value is in the URL's path), 422 for
    a bad query value or a combination the data cannot answer, 503 when the warehouse cannot be read."""
    if isinstance(exc, WarehouseError):
        return 503, None
    if exc.value is not None and exc.value in {str(v) for v in path_values}:
        return 404, "path"
    return 422, "query" if exc.parameter else None
