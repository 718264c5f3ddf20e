"""The data formats page: the columns each kind of upload must have, read from the source specifications the
loader itself checks against (vrhub.sources), so the page cannot drift from what a load accepts. The
longer guide, with examples, is docs/data-formats.md in the project's source."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vrhub.sources import SOURCES
from vrhub.sources.reference import AREAS
from vrhub.sources.spec import SourceSpec
from vrhub.sources.values import REASONS
from vrhub.web.accounts.access import role_required, uploadable_sources
from vrhub.web.uploads.intake import UPLOADERS


def _expected(kind: str) -> str:
    found = re.search(r"\(expected (.*)\)", REASONS.get(kind, ""))
    return found.group(1) if found else ""


def _columns(spec: SourceSpec) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "required": c.required,
            "blank": c.nullable,
            "expected": ", ".join(c.choices) if c.choices else _expected(c.kind),
        }
        for c in spec.columns
    ]


@role_required(*UPLOADERS)
def formats(request: HttpRequest) -> HttpResponse:
    allowed = set(uploadable_sources(request.user))
    specs = [*SOURCES.values(), AREAS]
    kinds = [
        {"name": s.name, "title": s.title, "columns": _columns(s), "yours": s.name in allowed} for s in specs
    ]
    return render(request, "uploads/formats.html", {"kinds": kinds, "population": "population" in allowed})
