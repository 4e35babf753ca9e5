"""HTTP Basic for API clients without paying the password hash on every request.

A script that saves a form sends its password with each request, and checking
a password costs the few hundred milliseconds of CPU that make stolen hashes
hard to crack. After one full check the server remembers, for a few minutes, a
keyed digest (HMAC with SECRET_KEY) of the credentials together with a digest
of the user's stored hash, in the cache its worker processes share; the same
credentials again, for a user whose stored hash has not changed and who is
still active, are let in after one query. Changing the password changes the
stored hash and ends it at once. Web servers do the same for Basic logins
(Apache's mod_authn_socache).
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache

REMEMBER_SECONDS = 300
_PREFIX = "cchc-basic-login:"


def _key(username: str, password: str) -> str:
    message = f"{username}\0{password}".encode()
    return _PREFIX + hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _hash_digest(stored_hash: str) -> str:
    return hashlib.sha256(stored_hash.encode()).hexdigest()


def _remembered(key: str, username: str):
    entry = cache.get(key)
    if entry is None:
        return None
    user_id, hash_digest = entry
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    if user is None or user.pk != user_id or _hash_digest(user.password) != hash_digest:
        return None
    return user if user.is_active else None


def basic_login(request, username: str, password: str):
    """The user these credentials name, or None; the full check at most every few minutes."""
    key = _key(username, password)
    user = _remembered(key, username)
    if user is not None:
        return user
    user = authenticate(request, username=username, password=password)
    if user is None:
        cache.delete(key)
        return None
    cache.set(key, (user.pk, _hash_digest(user.password)), REMEMBER_SECONDS)
    return user
