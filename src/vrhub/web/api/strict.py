"""Query parameters an endpoint does not take are refused, not ignored: `?measure_id=` on /api/measures (whose
parameter is `measure`) would otherwise answer every measure as though the caller had asked for them."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja.params.models import QueryModel


def query_names(operation: Any) -> set[str]:
    """The query parameters an operation declares, by the names callers give them."""
    names: set[str] = set()
    for model in operation.models:
        if not issubclass(model, QueryModel):
            continue
        flattened = getattr(model, "__ninja_flatten_map__", None)
        names |= set(flattened) if flattened else {f.alias or n for n, f in model.model_fields.items()}
    return names


def known_parameters_only(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view decorator for every operation (NinjaAPI.add_decorator(..., mode="view")): 422 in the shape of
    the API's validation errors, naming each unknown parameter and the ones the endpoint takes."""
    operation: Any = getattr(run, "__self__", None)
    if operation is None:  # not an operation's own run: nothing to check against
        return run
    known = query_names(operation)

    @functools.wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        unknown = sorted(set(request.GET) - known)
        if not unknown:
            return run(request, *args, **kwargs)
        takes = f"this endpoint takes {', '.join(sorted(known))}" if known else "this endpoint takes none"
        errors = [
            {"parameter": name, "location": "query", "message": f"not a parameter of this endpoint; {takes}"}
            for name in unknown
        ]
        detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
        return operation.api.create_response(request, {"detail": detail, "errors": errors}, status=422)

    return checked
