"""«Mã API»: each person makes and revokes their own API tokens; a new one is shown once."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cchc.web.accounts.models import ApiToken
from cchc.web.accounts.tokens import TokenRefused, create_token, revoke_token


def _page(request, *, new_token: str = "", problem: str = "", status: int = 200):
    tokens = ApiToken.objects.filter(user=request.user)
    context = {"tokens": tokens, "new_token": new_token, "problem": problem}
    return render(request, "cchc/api_tokens.html", context, status=status)


@login_required
def api_tokens(request):
    if request.method != "POST":
        return _page(request)
    try:
        _, token = create_token(user=request.user, name=request.POST.get("name", ""))
    except TokenRefused as exc:
        return _page(request, problem=str(exc), status=400)
    # Rendered, not redirected: the token exists only in this answer.
    return _page(request, new_token=token)


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    try:
        row = revoke_token(user=request.user, token_id=pk)
    except TokenRefused as exc:
        return _page(request, problem=str(exc), status=404)
    messages.success(request, f"Đã thu hồi mã API «{row.name}»: mã này không còn dùng được.")
    return redirect("api-tokens")
