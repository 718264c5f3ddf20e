"""Who is calling: a bearer token (programs) or the Django session (a signed-in browser)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from vrhub.web.api.models import KEY_PREFIX, ApiToken, hash_key

# last_used is written at most this often per token: a busy client should not make every read a write.
TOUCH_EVERY = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer vrh_...`. A wrong, revoked or inactive user's token is refused (401)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        if not token.startswith(KEY_PREFIX):
            return None
        # Looked up by its hash: the key itself is never stored, so there is nothing to compare it with.
        found = ApiToken.objects.select_related("user").filter(key_hash=hash_key(token)).first()
        if found is None or found.revoked is not None or not found.user.is_active:
            return None
        now = timezone.now()
        if found.last_used is None or now - found.last_used > TOUCH_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class BrowserSession(SessionAuth):
    """The signed-in user's session. The API is read-only (GET), so CSRF never comes into it."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated and user.is_active else None


token_auth = TokenAuth()
session_auth = BrowserSession()
SIGNED_IN = [token_auth, session_auth]
