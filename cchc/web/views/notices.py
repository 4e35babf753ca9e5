"""«Thông báo»: each person's notices, newest first, unread ones marked; read them here."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.web.notices.context import forget_unread
from cchc.web.notices.models import Notice
from cchc.web.views.paging import BadPage, page_of

PER_PAGE = 30


@login_required
def notice_list(request):
    notices = Notice.objects.filter(user=request.user).select_related("report__unit")
    try:
        page = page_of(Paginator(notices, PER_PAGE), request.GET.get("page"))
    except BadPage as exc:
        return exc.response(request)
    return render(request, "cchc/notices.html", {"page": page})


@login_required
def notice_open(request, pk: int):
    """Following a notice reads it: mark it, then go to its report."""
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    if notice.read_at is None:
        Notice.objects.filter(pk=pk).update(read_at=timezone.now())
        forget_unread(request.user.pk)
    if notice.report_id:
        return redirect("report-detail", pk=notice.report_id)
    return redirect("notices")


@require_POST
@login_required
def notices_read(request):
    """«Đánh dấu đã đọc»: one notice (`notice`), or all of the person's."""
    mine = Notice.objects.filter(user=request.user, read_at=None)
    pk = request.POST.get("notice", "")
    if pk:
        mine = mine.filter(pk=int(pk)) if pk.isascii() and pk.isdigit() else mine.none()
    mine.update(read_at=timezone.now())
    forget_unread(request.user.pk)
    return redirect("notices")
