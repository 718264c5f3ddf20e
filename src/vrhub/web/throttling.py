"""Rate limits on what anyone may call without signing in: the open API, and the public feedback form.

django-ninja's throttles (a history of request times per caller in Django's cache), with two changes: the
caller's address is the one the audit log uses (the server's REMOTE_ADDR, which it takes from our own
proxies' X-Forwarded-For hops only: `VRHUB_PROXY_COUNT`), and the rate is read from the settings on each
request, so that it can be changed without rebuilding the API. The cache is per process, which is what
`vrhub serve` runs: one process.
"""

from __future__ import annotations

import copy
import threading

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle, SimpleRateThrottle

from vrhub.web.accounts.audit import client_ip


class _Configured(SimpleRateThrottle):
    setting = ""  # the Django setting holding the rate, e.g. "60/min"

    def __init__(self) -> None:
        self.rate = None
        # ninja keeps one throttle for every request and stores the caller's history on it; the server
        # runs requests in threads, so each request works on a copy of its own (kept for `wait`).
        self._request = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        mine = copy.copy(self)
        mine.rate = getattr(settings, self.setting)
        mine.num_requests, mine.duration = self.parse_rate(mine.rate)
        self._request.throttle = mine
        return SimpleRateThrottle.allow_request(mine, request)

    def wait(self) -> float | None:
        mine = getattr(self._request, "throttle", None)
        return None if mine is None or mine is self else SimpleRateThrottle.wait(mine)

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_ip(request)


class PublicApiRate(_Configured, AnonRateThrottle):
    """Callers without a token or session, per address."""

    setting = "VRHUB_API_RATE_PUBLIC"


class UserApiRate(_Configured, AuthRateThrottle):
    """Callers with a token or a signed-in session, per user."""

    setting = "VRHUB_API_RATE_USER"


class FeedbackRate(_Configured):
    """Feedback sent through the public form, per address."""

    setting = "VRHUB_FEEDBACK_RATE"
    scope = "feedback"

    def get_cache_key(self, request: HttpRequest) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def minutes(seconds: float | None) -> str:
    """'1 minute', '12 minutes': how long to wait, rounded up."""
    whole = max(1, -(-int(seconds or 60) // 60))
    return f"{whole} minute{'s' if whole != 1 else ''}"
