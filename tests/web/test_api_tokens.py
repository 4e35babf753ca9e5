"""API tokens: made once and shown once, stored as a hash, revocable, dead with their user."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from cchc.web.accounts.models import ApiToken
from cchc.web.accounts.tokens import TokenRefused, create_token, revoke_token
from cchc.web.reporting.models import AuditEvent


def _read(client, world, token: str) -> int:
    url = reverse("api-report", args=[world.report_a.pk])
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}").status_code


def _save(client, world, token: str, raw: str) -> int:
    url = reverse("api-values", args=[world.report_a.pk])
    body = {"form": "BM1", "values": {"2.1": {"raw": raw, "version": 0}}}
    return client.put(
        url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).status_code


def test_a_token_reads_and_writes_as_its_user_and_nothing_more(world, client) -> None:
    _, mine = create_token(user=world.officer, name="kịch bản nhập")
    _, theirs = create_token(user=world.outsider, name="xã khác")
    assert (_read(client, world, mine), _save(client, world, mine, "19")) == (200, 200)
    assert (_read(client, world, theirs), _save(client, world, theirs, "20")) == (403, 403)
    assert world.report_a.values.get(form="BM1", code="2.1").raw == "19"


def test_only_the_tokens_hash_is_stored(world) -> None:
    row, token = create_token(user=world.officer, name="kịch bản")
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert token.startswith(f"cchc_{row.key_id}_") and len(token) == 5 + 12 + 1 + 43
    assert stored["digest"] == hashlib.sha256(token.encode()).hexdigest()
    assert [v for v in stored.values() if isinstance(v, str) and token[18:] in v] == []


def test_a_revoked_token_stops_working_and_others_go_on(world, client) -> None:
    first, token = create_token(user=world.officer, name="cũ")
    _, other = create_token(user=world.officer, name="mới")
    assert _read(client, world, token) == 200
    revoke_token(user=world.officer, token_id=first.pk)
    assert (_read(client, world, token), _read(client, world, other)) == (401, 200)


def test_a_deactivated_users_tokens_stop_working(world, client) -> None:
    _, token = create_token(user=world.officer, name="kịch bản")
    world.officer.is_active = False
    world.officer.save()
    assert _read(client, world, token) == 401


@pytest.mark.parametrize(
    "mangle",
    [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: t.replace("cchc_", "cchc-")],
)
def test_a_token_differing_in_one_character_is_refused(world, client, mangle) -> None:
    _, token = create_token(user=world.officer, name="kịch bản")
    assert _read(client, world, mangle(token)) == 401


def test_nobody_revokes_another_persons_token(world) -> None:
    row, _ = create_token(user=world.officer, name="kịch bản")
    with pytest.raises(TokenRefused, match=r"^Không có mã API này trong các mã của bạn\.$"):
        revoke_token(user=world.outsider, token_id=row.pk)


def test_the_page_shows_a_new_token_once_and_revokes_it(world, login) -> None:
    client = login(world.officer)
    page = client.post(reverse("api-tokens"), {"name": "Kịch bản của Sở"})
    token = page.context["new_token"]
    assert _read(client.__class__(), world, token) == 200
    listing = client.get(reverse("api-tokens")).content.decode()
    assert token not in listing and "Kịch bản của Sở" in listing
    row = ApiToken.objects.get(user=world.officer)
    done = client.post(reverse("api-token-revoke", args=[row.pk]), follow=True)
    assert [str(m) for m in done.context["messages"]] == [
        "Đã thu hồi mã API «Kịch bản của Sở»: mã này không còn dùng được."
    ]
    assert _read(client.__class__(), world, token) == 401
    assert list(
        AuditEvent.objects.filter(action__startswith="token").values_list("action", "target")
    ) == [("token-revoked", "Kịch bản của Sở"), ("token-created", "Kịch bản của Sở")]


def test_the_page_lists_only_ones_own_tokens(world, login) -> None:
    create_token(user=world.outsider, name="của xã Bình")
    create_token(user=world.officer, name="của xã An")
    page = login(world.officer).get(reverse("api-tokens"))
    assert [t.name for t in page.context["tokens"]] == ["của xã An"]


def test_a_token_needs_a_name(world, login) -> None:
    page = login(world.officer).post(reverse("api-tokens"), {"name": "  "})
    assert (page.status_code, page.context["problem"]) == (
        400,
        "Cần đặt tên cho mã API (ví dụ: «Máy chủ tổng hợp của Sở»).",
    )


def test_the_command_prints_a_working_token(world, client, capsys) -> None:
    call_command("create_api_token", "officer", "--name", "máy chủ tổng hợp")
    out, err = capsys.readouterr()
    assert _read(client, world, out.strip()) == 200
    assert err.startswith("Đã tạo mã API «máy chủ tổng hợp» cho officer")


def test_the_page_refuses_to_revoke_a_colleagues_token_and_keeps_it(world, login) -> None:
    row, token = create_token(user=world.officer, name="của officer")
    page = login(world.colleague).post(reverse("api-token-revoke", args=[row.pk]))
    assert (page.status_code, page.context["problem"]) == (
        404,
        "Không có mã API này trong các mã của bạn.",
    )
    assert _read(page.client.__class__(), world, token) == 200


def test_the_token_page_needs_a_login(db, client) -> None:
    response = client.get(reverse("api-tokens"))
    assert (response.status_code, response["Location"]) == (302, "/dang-nhap/?next=/ma-api/")
