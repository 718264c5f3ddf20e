"""The one page handler for library errors on the dashboard: a GOV.UK error summary naming the field at
fault, the value given and the library's hint, with the API's status (404 for an unknown thing the path
names, 422 for a bad query value)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vrhub.errors import VrhubError
from vrhub.web.error_status import status_for

# How the pages label each parameter the library names.
FIELDS = {
    "measure": "Measure",
    "area": "Area",
    "period": "Period",
    "by": "Breakdown",
    "definition": "Definition",
}


def error_page(request: HttpRequest, exc: VrhubError, path_values: Any = ()) -> HttpResponse:
    status, _ = status_for(exc, path_values)
    field = FIELDS.get(exc.parameter or "", (exc.parameter or "").replace("_", " ").capitalize())
    context = {
        "exc": exc,
        "field": field,
        "not_found": status == 404,
        "errors": [(exc.parameter or "problem", exc.message)],
    }
    return render(request, "dashboard/error.html", context, status=status)


def shows_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A library error from the view becomes the error page, not a server error or a view's own wording."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except VrhubError as exc:
            return error_page(request, exc, [*args, *kwargs.values()])

    return wrapped
