"""HTTP Basic for API clients without paying the password hash on every request.

A script that saves a form sends its password with each request, and checking
a password costs the few hundred milliseconds of CPU that make stolen hashes
hard to crack. After one full check the server remembers, in memory only and
for a few minutes, a keyed digest (HMAC with SECRET_KEY) of the credentials
together with the user's stored hash; the same credentials again, for a user
whose stored hash has not changed and who is still active, are let in after
one query. Changing the password changes the stored hash and ends it at once.
Web servers do the same for Basic logins (Apache's mod_authn_socache).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model

REMEMBER_SECONDS = 300
REMEMBERED_LOGINS = 1024


@dataclass(frozen=True, slots=True)
class _Checked:
    user_id: int
    stored_hash: str
    until: float


_checked: OrderedDict[bytes, _Checked] = OrderedDict()
_lock = threading.Lock()


def _digest(username: str, password: str) -> bytes:
    message = f"{username}\0{password}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def _remembered(key: bytes, username: str):
    with _lock:
        entry = _checked.get(key)
    if entry is None or entry.until < time.monotonic():
        return None
    model = get_user_model()
    user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    if user is None or user.pk != entry.user_id or user.password != entry.stored_hash:
        return None
    return user if user.is_active else None


def basic_login(request, username: str, password: str):
    """The user these credentials name, or None; the full check at most every few minutes."""
    key = _digest(username, password)
    user = _remembered(key, username)
    if user is not None:
        return user
    user = authenticate(request, username=username, password=password)
    with _lock:
        if user is None:
            _checked.pop(key, None)
            return None
        _checked[key] = _Checked(user.pk, user.password, time.monotonic() + REMEMBER_SECONDS)
        _checked.move_to_end(key)
        while len(_checked) > REMEMBERED_LOGINS:
            _checked.popitem(last=False)
    return user
