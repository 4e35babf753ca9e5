"""Per-user API tokens: made with 256 random bits, kept as a hash, revocable one by one.

A token reads `cchc_<key id>_<secret>`. The key id finds the row; the SHA-256 of
the whole token is compared with `hmac.compare_digest`, so neither the database
nor the time an answer takes tells anything about the secret. A plain hash is
enough (no slow password hash): 256 random bits cannot be guessed, unlike a
password. Tokens of a deactivated user stop working at once.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cchc.web.accounts.models import ApiToken
from cchc.web.reporting.models import AuditEvent

PREFIX = "cchc_"
NAME_MAX = 100
# A token's last use is written at most this often: a busy script costs no write per request.
TOUCH_EVERY = timedelta(minutes=5)


class TokenRefused(Exception):
    """A token that cannot be made or revoked; the message is Vietnamese."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(*, user, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; the returned text is the only time it is ever seen."""
    name = " ".join(name.split())
    if not name:
        raise TokenRefused("Cần đặt tên cho mã API (ví dụ: «Máy chủ tổng hợp của Sở»).")
    if len(name) > NAME_MAX:
        raise TokenRefused(f"Tên mã API dài quá {NAME_MAX} ký tự.")
    if not user.is_active:
        raise TokenRefused(f"Tài khoản {user.get_username()} đã bị khóa: không tạo được mã API.")
    key_id = secrets.token_hex(6)
    token = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        row = ApiToken.objects.create(user=user, name=name, key_id=key_id, digest=_digest(token))
        AuditEvent.objects.create(
            user=user, action="token-created", target=name[:64], after={"key": key_id}
        )
    return row, token


def revoke_token(*, user, token_id: int) -> ApiToken:
    """End one of the user's own tokens; requests carrying it are refused from now on."""
    with transaction.atomic():
        row = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if row is None:
            raise TokenRefused("Không có mã API này trong các mã của bạn.")
        if row.revoked_at is None:
            row.revoked_at = timezone.now()
            row.save(update_fields=["revoked_at"])
            AuditEvent.objects.create(
                user=user, action="token-revoked", target=row.name[:64], after={"key": row.key_id}
            )
    return row


def key_id_of(token: str) -> str | None:
    """The public part of a well-formed token, or None."""
    if not token.startswith(PREFIX):
        return None
    key_id, sep, secret = token[len(PREFIX) :].partition("_")
    well_formed = len(key_id) == 12 and all(c in "0123456789abcdef" for c in key_id)
    return key_id if sep and well_formed and secret else None


def user_for_token(token: str):
    """The active user a live token belongs to, or None."""
    key_id = key_id_of(token)
    if key_id is None:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(key_id=key_id, revoked_at__isnull=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.digest, _digest(token)):
        return None
    if not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user
