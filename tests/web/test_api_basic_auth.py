"""HTTP Basic on the API: the password is checked in full once, then remembered briefly."""

from __future__ import annotations

import base64

import pytest
from django.core.cache import cache
from django.urls import reverse

from cchc.web.views import api_auth
from tests.web.conftest import PASSWORD


def _basic(username: str, password: str) -> dict:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


@pytest.fixture
def full_checks(monkeypatch) -> list[str]:
    """The usernames whose password went through the full (slow) check."""
    cache.clear()  # nothing remembered from another test
    seen: list[str] = []
    real = api_auth.authenticate

    def counting(request, **credentials):
        seen.append(credentials["username"])
        return real(request, **credentials)

    monkeypatch.setattr(api_auth, "authenticate", counting)
    return seen


def _read(client, world, username: str, password: str) -> int:
    url = reverse("api-report", args=[world.report_a.pk])
    return client.get(url, **_basic(username, password)).status_code


def test_the_second_request_skips_the_password_hash(world, client, full_checks) -> None:
    assert [_read(client, world, "officer", PASSWORD) for _ in range(3)] == [200, 200, 200]
    assert full_checks == ["officer"]


def test_a_wrong_password_is_checked_every_time_and_refused(world, client, full_checks) -> None:
    assert [_read(client, world, "officer", "sai") for _ in range(2)] == [401, 401]
    assert full_checks == ["officer", "officer"]


def test_a_changed_password_ends_the_remembered_login(world, client, full_checks) -> None:
    assert _read(client, world, "officer", PASSWORD) == 200
    world.officer.set_password("mat-khau-moi")
    world.officer.save()
    assert _read(client, world, "officer", PASSWORD) == 401
    assert _read(client, world, "officer", "mat-khau-moi") == 200


def test_a_deactivated_user_is_refused_at_once(world, client, full_checks) -> None:
    assert _read(client, world, "officer", PASSWORD) == 200
    world.officer.is_active = False
    world.officer.save(update_fields=["is_active"])
    assert _read(client, world, "officer", PASSWORD) == 401


def test_a_remembered_login_expires(world, client, full_checks, monkeypatch) -> None:
    assert _read(client, world, "officer", PASSWORD) == 200
    monkeypatch.setattr(api_auth, "REMEMBER_SECONDS", -1)
    assert _read(client, world, "colleague", PASSWORD) == 200  # remembered already expired
    assert _read(client, world, "colleague", PASSWORD) == 200
    assert full_checks == ["officer", "colleague", "colleague"]


def test_a_login_checked_by_one_worker_process_is_known_to_the_others(
    world, client, full_checks, settings
) -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache")
    assert _read(client, world, "officer", PASSWORD) == 200
    # another process has its own memory but reads the same cache directory
    from django.core.cache.backends.filebased import FileBasedCache

    other = FileBasedCache(settings.CACHES["default"]["LOCATION"], {})
    assert other.get(api_auth._key("officer", PASSWORD)) is not None
