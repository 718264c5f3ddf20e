from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vrhub.web.accounts.access import role_required


def public(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/public.html", {})


@role_required()
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/overview.html", {})
