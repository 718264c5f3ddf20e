"""The open JSON API (django-ninja) with its OpenAPI spec at /api/openapi.json and its docs at /api/docs.

Public endpoints (no sign-in) publish figures under disclosure control; every other endpoint takes a bearer
token (`vrhub manage api_token create USERNAME NAME`) or a signed-in browser session. Calls are rate limited
(429 with Retry-After beyond it): per address without a token, per user with one. Every endpoint reads,
except POST /api/delivery/applications/{id}/award (programme managers and administrators; a session caller
sends the CSRF token).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import ValidationError

from vrhub.errors import VrhubError
from vrhub.web.api import cohorts, hotspots, measures, public, quality, reference, uploads
from vrhub.web.api.docs import LocalSwagger, asset
from vrhub.web.api.strict import known_parameters_only
from vrhub.web.error_status import status_for
from vrhub.web.throttling import PublicApiRate, UserApiRate


class VrhubApi(NinjaAPI):
    def _get_urls(self) -> list:
        # The docs page's own scripts and styles, served from the installed ninja package (see docs.py).
        return [path("docs/assets/<str:name>", asset, name="docs_asset"), *super()._get_urls()]


api = VrhubApi(
    title="vrhub API",
    version="1",
    description=(
        "Serious violence measures, areas, definitions, data quality and published figures. "
        "Endpoints tagged 'public' need no sign-in and apply disclosure control; the others take "
        "`Authorization: Bearer <token>` or a signed-in session."
    ),
    docs=LocalSwagger(),
    throttle=[PublicApiRate(), UserApiRate()],
)


def _parameter(loc: list | tuple) -> tuple[str, str]:
    """('query', 'period') from ninja's location ['query', 'period'] (or ['query', 'filters', 'period'])."""
    parts = [str(p) for p in loc]
    return (parts[-1] if len(parts) > 1 else "request"), (parts[0] if parts else "")


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 naming each parameter that was wrong and why, first in one sentence, then one by one."""
    errors = []
    for error in exc.errors:
        name, where = _parameter(error.get("loc", ()))
        errors.append({"parameter": name, "location": where, "message": str(error.get("msg", "invalid"))})
    detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors) or "invalid request"
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(VrhubError)
def vrhub_error(request: HttpRequest, exc: VrhubError) -> HttpResponse:
    """Every library error in one shape: the parameter at fault, the value given and the neutral hint, with
    `detail` reading `<parameter>: <what>` like the validation errors above."""
    match = getattr(request, "resolver_match", None)
    status, location = status_for(exc, match.kwargs.values() if match else ())
    body = {
        "detail": f"{exc.parameter}: {exc.message}" if exc.parameter else exc.message,
        "parameter": exc.parameter,
        "location": location,
        "value": exc.value,
        "hint": exc.hint or None,
    }
    return api.create_response(request, body, status=status)


api.add_router("/", public.router)
api.add_router("/", measures.router)
api.add_router("/", reference.router)
api.add_router("/", quality.router)
api.add_router("/", hotspots.router)
api.add_router("/", cohorts.router)
api.add_router("/", uploads.router)
api.add_router("/delivery/", "vrhub.web.delivery.api.router")
api.add_decorator(known_parameters_only, mode="view")  # before validation: see strict.py
