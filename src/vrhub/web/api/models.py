"""API tokens: a partner's or analyst's program signs in with one instead of a password.

The key is shown once, when it is made, and stored only as its SHA-256 hash, so a copy of the database
gives nobody a working key. A short prefix of the key is kept in clear so a person can tell their tokens
apart (and an administrator can revoke one) without the key itself.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

KEY_PREFIX = "vrh_"
VISIBLE = 12  # characters of the key kept in clear: 'vrh_' and 8 random characters


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'nightly extract'.")
    prefix = models.CharField(max_length=VISIBLE, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.DateTimeField(
        null=True, blank=True, help_text="When it was revoked; blank while it works."
    )

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}... {self.name} ({self.user})"

    @property
    def active(self) -> bool:
        return self.revoked is None

    @classmethod
    def issue(cls, user: object, name: str) -> tuple[ApiToken, str]:
        """A new token for `user`, and its key: the only time the key exists outside the caller's hands."""
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=key[:VISIBLE], key_hash=hash_key(key))
        return token, key

    def revoke(self) -> None:
        if self.revoked is None:
            self.revoked = timezone.now()
            self.save(update_fields=["revoked"])
