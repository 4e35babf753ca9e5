"""An API token is stored only as its SHA-256: a copy of the database lets no one in."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """One script's key to the API on behalf of its user, revocable on its own.

    `key_id` is the token's public part (looked up by index); `digest` is the
    SHA-256 of the whole token, compared in constant time. The token itself is
    shown once, when it is made.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    key_id = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def active(self) -> bool:
        return self.revoked_at is None
