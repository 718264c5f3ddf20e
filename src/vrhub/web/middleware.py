"""Headers Django 5.2 does not set itself: a Content Security Policy and a Permissions Policy."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Everything the pages use is served from this origin; the charts use Vega's CSP-safe interpreter, so no
# 'unsafe-eval'. Map tiles, when configured, are the one outside source.
_BASE = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def content_security_policy() -> str:
    policy = dict(_BASE)
    tiles = getattr(settings, "VRHUB_TILE_URL", "")
    if tiles.startswith("https://"):
        host = tiles.split("/")[2].replace("{s}", "*")
        policy["img-src"] += f" https://{host}"
    return "; ".join(f"{k} {v}" for k, v in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = content_security_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
