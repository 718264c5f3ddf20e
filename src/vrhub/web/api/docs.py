"""The API's documentation page: ninja's own Swagger UI, served from this server.

Ninja serves Swagger UI from a CDN unless `ninja` is an installed app; our CSP (script-src 'self') and
the network both refuse a CDN. Ninja ships the Swagger UI files, so they are served here, from the
installed package, by a route of the API itself, and the page is rendered from our template with its
settings passed as JSON (no inline script).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

ASSETS = Path(ninja.__file__).parent / "static" / "ninja"
SERVED = ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css", "favicon.png", "favicon.svg")


class LocalSwagger(DocsBase):
    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout", "deepLinking": True}
        assets = reverse(f"{api.urls_namespace}:docs_asset", kwargs={"name": "x"})[: -len("x")]
        return render(request, "api/docs.html", {"api": api, "swagger_settings": settings, "assets": assets})


def asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in SERVED:
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSETS / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
