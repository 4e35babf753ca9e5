"""«Đơn vị»: the unit tree as of a date, and dated changes to it (add, rename, close, move).

Unit admins change the units below their own, system admins anything and the
national list (`load_units`, its dry run shown first as the review).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc.core.periods import PeriodError, parse_date, short_date
from cchc.web.organisation import unit_changes
from cchc.web.organisation.models import OrgUnit, Role, UnitLink
from cchc.web.organisation.people import Invalid
from cchc.web.organisation.permissions import (
    NotAllowed,
    managed_unit_ids,
    manages_below,
    may_open_unit_pages,
)
from cchc.web.organisation.services import memberships, parent_map
from cchc.web.organisation.units_loader import UnknownProvince


def unit_pages(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_open_unit_pages(request.user):
            raise PermissionDenied(
                "Chỉ quản trị đơn vị, cán bộ Nội vụ hoặc quản trị hệ thống được xem cây đơn vị."
            )
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc

    return wrapper


def _day(text: str, default=None):
    if not text.strip():
        if default is None:
            raise Invalid("Cần ghi ngày có hiệu lực (dd/mm/yyyy).")
        return default
    try:
        return parse_date(text)
    except PeriodError as exc:
        raise Invalid(str(exc)) from exc


@unit_pages
def unit_tree(request):
    today = timezone.localdate()
    try:
        on = _day(request.GET.get("ngay", ""), today)
    except Invalid as exc:
        messages.error(request, str(exc))
        on = today
    user = request.user
    if user.is_superuser:
        roots = None
    else:
        roots = {u for u, r in memberships(user).items() if r & {Role.UNIT_ADMIN, Role.REVIEWER}}
    tree = unit_changes.unit_tree(on, roots)
    return render(
        request,
        "cchc/unit_tree.html",
        {
            "tree": tree,
            "on": on,
            "on_text": short_date(on),
            "today": on == today,
            "managed": managed_unit_ids(user),
            "superuser": user.is_superuser,
        },
    )


@unit_pages
def unit_detail(request, pk: int):
    unit = get_object_or_404(OrgUnit, pk=pk)
    if pk not in managed_unit_ids(request.user):
        raise PermissionDenied(f"Bạn không quản lý {unit.name} nên không thay đổi được đơn vị này.")
    today = timezone.localdate()
    links = (
        UnitLink.objects.filter(child=unit)
        .select_related("parent")
        .order_by(F("valid_from").asc(nulls_first=True), "id")  # PostgreSQL puts NULL last
    )
    parent_id = parent_map(today).get(unit.id)
    targets = OrgUnit.objects.filter(id__in=managed_unit_ids(request.user)).exclude(pk=unit.pk)
    return render(
        request,
        "cchc/unit_detail.html",
        {
            "unit": unit,
            "links": links,
            "former": unit.former_names.all(),
            "targets": targets.order_by("name"),
            "parent_id": parent_id,
            "levels": unit_changes.LEVELS,
            "today": short_date(today),
            "may_add": manages_below(request.user, unit.id),
        },
    )


@require_POST
@unit_pages
def unit_change(request, pk: int):
    unit = get_object_or_404(OrgUnit, pk=pk)
    action, by = request.POST.get("action", ""), request.user
    try:
        on = _day(request.POST.get("on", ""))
        if action == "rename":
            unit_changes.rename_unit(by=by, unit=unit, name=request.POST.get("name", ""), on=on)
            done = f"Đã đổi tên thành {unit.name} từ {short_date(on)}."
        elif action == "move":
            raw = request.POST.get("parent", "")
            parent = OrgUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
            if parent is None:
                raise Invalid("Hãy chọn đơn vị cấp trên mới.")
            unit_changes.move(by=by, unit=unit, new_parent=parent, on=on)
            done = f"Từ {short_date(on)}, {unit.name} trực thuộc {parent.name}."
        elif action == "close":
            unit_changes.close_unit(by=by, unit=unit, on=on)
            done = f"{unit.name} hết hiệu lực từ {short_date(on)}."
        elif action == "add":
            child = unit_changes.add_unit(
                by=by,
                parent=unit,
                code=request.POST.get("code", ""),
                name=request.POST.get("name", ""),
                level=request.POST.get("level", ""),
                on=on,
            )
            done = f"Đã thêm {child.name} trực thuộc {unit.name} từ {short_date(on)}."
        else:
            raise Invalid("Thao tác không hợp lệ.")
    except Invalid as exc:
        messages.error(request, f"Chưa thay đổi: {exc}")
    else:
        messages.success(request, done)
    return redirect("unit-detail", pk=unit.pk)


@unit_pages
def units_load(request):
    """The dry run first, as the review; «Nạp» runs it for real."""
    if not request.user.is_superuser:
        raise PermissionDenied("Chỉ quản trị hệ thống được nạp danh mục đơn vị hành chính.")
    summary, province, status = None, "", 200
    if request.method == "POST":
        province = request.POST.get("province", "").strip()
        dry_run = request.POST.get("action") != "apply"
        try:
            summary = unit_changes.load_national_list(
                by=request.user, province=province, dry_run=dry_run
            )
        except UnknownProvince as exc:
            messages.error(request, str(exc))
            status = 400
    return render(
        request,
        "cchc/units_load.html",
        {"summary": summary, "province": province},
        status=status,
    )
