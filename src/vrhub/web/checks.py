"""Deployment checks (`vrhub manage check --deploy`; `vrhub serve` refuses to start on their errors): settings
with which the server behind its proxy cannot work, each with what to change.

Waitress speaks plain HTTP, so off this machine (VRHUB_LOCAL_HTTP unset) HTTPS comes from a proxy of ours,
which the server must be told of (VRHUB_PROXY_COUNT) and must recognise (VRHUB_TRUSTED_PROXY): otherwise it
ignores the proxy's X-Forwarded-Proto, sees plain HTTP and redirects every request to HTTPS, forever.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

PROXY_HINT = (
    "Put a TLS-terminating proxy (e.g. nginx) in front, set VRHUB_PROXY_COUNT=1 and VRHUB_TRUSTED_PROXY to "
    "the address it connects from (127.0.0.1 on this machine); or serve on 127.0.0.1 for this machine only."
)
LOCAL_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]", "0.0.0.0", "::", "testserver"}
POSITIVE = [
    "VRHUB_MAX_REQUEST_BYTES",
    "VRHUB_MAX_UPLOAD_BYTES",
    "VRHUB_HEADER_TIMEOUT",
    "VRHUB_BODY_TIMEOUT",
    "VRHUB_BODY_MIN_RATE",
    "VRHUB_IDLE_TIMEOUT",
    "VRHUB_CONNECTION_LIMIT",
]


def _is_local_name(host: str) -> bool:
    host = host.lstrip(".").lower()
    if host in LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@register(Tags.security, "vrhub", deploy=True)
def check_proxy(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    count = settings.VRHUB_PROXY_COUNT
    trusted = settings.VRHUB_TRUSTED_PROXY
    served_to_network = not settings.DEBUG and not settings.LOCAL_HTTP
    if count < 0:
        found.append(
            Error(
                f"VRHUB_PROXY_COUNT is {count}.",
                hint="It counts the proxies of ours in front of the server: 0, or 1 for one nginx.",
                id="vrhub.E002",
            )
        )
    elif count == 0 and served_to_network:
        found.append(
            Error(
                "No proxy is configured (VRHUB_PROXY_COUNT=0) and the server is not on this machine only "
                "(VRHUB_LOCAL_HTTP unset): it speaks plain HTTP and redirects every request to HTTPS, which "
                "nothing serves; behind a proxy the redirect loops forever.",
                hint=PROXY_HINT,
                id="vrhub.E001",
            )
        )
    if count > 0:
        if not trusted:
            found.append(
                Error(
                    f"VRHUB_PROXY_COUNT={count} but VRHUB_TRUSTED_PROXY is empty: no proxy's X-Forwarded-* "
                    "headers are believed, so every request looks like plain HTTP from the proxy.",
                    hint="Set VRHUB_TRUSTED_PROXY to the address the nearest proxy connects from "
                    "(127.0.0.1 when it runs on this machine).",
                    id="vrhub.E003",
                )
            )
        elif trusted != "*":
            found.extend(_trusted_address(trusted))
    if trusted == "*" and count > 0:
        found.append(
            Warning(
                "VRHUB_TRUSTED_PROXY=* believes X-Forwarded-* from any address that reaches the port: anyone "
                "who can connect directly can claim any address and dodge login throttling.",
                hint="Give the proxy's own address, or make sure a firewall lets only the proxy connect.",
                id="vrhub.W001",
            )
        )
    if count > 0 and settings.LOCAL_HTTP and not settings.DEBUG:
        found.append(
            Warning(
                "VRHUB_LOCAL_HTTP=1 behind a proxy: requests that reach the proxy over plain HTTP are not "
                "redirected to HTTPS.",
                hint="Unset VRHUB_LOCAL_HTTP: with the proxy trusted, the server sees HTTPS as HTTPS.",
                id="vrhub.W002",
            )
        )
    hosts = list(settings.ALLOWED_HOSTS)
    if served_to_network and all(_is_local_name(h) for h in hosts):
        found.append(
            Error(
                f"ALLOWED_HOSTS holds only this machine's names ({', '.join(hosts) or 'none'}): requests "
                "through the proxy name the public host, which Django refuses (400).",
                hint="Set VRHUB_ALLOWED_HOSTS to the host name(s) people use, e.g. vrhub.example.gov.uk.",
                id="vrhub.E005",
            )
        )
    return found


def _trusted_address(trusted: str) -> list[CheckMessage]:
    # Waitress compares the connecting address with this text as it is: a host name, or an address written
    # another way, never matches.
    try:
        written = str(ipaddress.ip_address(trusted))
    except ValueError:
        return [
            Error(
                f"VRHUB_TRUSTED_PROXY={trusted!r} is not an IP address; the server compares it with the "
                "connecting address, so the proxy would never be recognised.",
                hint="Give the proxy's IP address as the server sees it, e.g. 127.0.0.1 or 10.0.0.5.",
                id="vrhub.E004",
            )
        ]
    if written != trusted:
        return [
            Error(
                f"VRHUB_TRUSTED_PROXY={trusted!r} is written differently from the address the server sees.",
                hint=f"Write it as {written}.",
                id="vrhub.E004",
            )
        ]
    return []


@register("vrhub", deploy=True)
def check_limits(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return [
        Error(
            f"{name} is {getattr(settings, name)}: the server would refuse or cut off every request.",
            hint=f"Set {name} to a positive number, or unset it for the default.",
            id="vrhub.E006",
        )
        for name in POSITIVE
        if getattr(settings, name) <= 0
    ]
