"""«Người dùng»: unit admins add, edit, deactivate people and hand out temporary passwords.

Refusals (another unit's people, a contributor) are 403 pages; a change that
cannot be made as asked is the same form again with the reason (400), nothing saved.
A temporary password is shown once, on the answer to the POST that made it.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cchc.importers.safety import size_text
from cchc.web.organisation import people as people_ops
from cchc.web.organisation.models import Membership, OrgUnit, Role
from cchc.web.organisation.people_import import (
    COLUMNS,
    ImportProblem,
    import_people,
    read_rows,
    text_from_xlsx,
)
from cchc.web.organisation.permissions import (
    NotAllowed,
    managed_unit_ids,
    may_open_people_pages,
    require_people_manager,
)
from cchc.web.reporting.models import TemplateVersion
from cchc.web.reporting.template_versions.store import template_of

XLSX_MAX_BYTES = 2 * 1024 * 1024


def people_pages(view):
    """Only unit admins and system admins reach these pages; a refusal is a 403 page."""

    @login_required
    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not may_open_people_pages(request.user):
            raise PermissionDenied(
                "Chỉ quản trị đơn vị hoặc quản trị hệ thống được quản lý người dùng."
            )
        try:
            return view(request, *args, **kwargs)
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc

    return wrapper


def known_duties() -> dict[str, str]:
    """Duty id → title, from the roles of every stored template (`vp-noi-vu` …)."""
    duties: dict[str, str] = {}
    for version in TemplateVersion.objects.defer("yaml_text"):
        for role in template_of(version).roles:
            duties.setdefault(role.id, role.title)
    return duties


def _units(user):
    return OrgUnit.objects.filter(id__in=managed_unit_ids(user)).order_by("name")


def _unit(request, name: str = "unit") -> OrgUnit:
    raw = request.POST.get(name) or request.GET.get(name) or ""
    unit = OrgUnit.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    if unit is None:
        raise NotAllowed("Hãy chọn một đơn vị bạn quản lý.")
    require_people_manager(request.user, unit)
    return unit


def _roles(request) -> list[str]:
    return [r for r in request.POST.getlist("roles") if r in dict(Role.choices)]


@people_pages
def people_list(request):
    units = _units(request.user)
    chosen = request.GET.get("unit", "")
    memberships = Membership.objects.filter(unit__in=units).select_related("user", "unit")
    if chosen.isdigit():
        memberships = memberships.filter(unit_id=int(chosen))
    rows: dict[tuple[int, int], dict] = {}
    for m in memberships.order_by("unit__name", "user__first_name", "user__username"):
        row = rows.setdefault(
            (m.unit_id, m.user_id), {"person": m.user, "unit": m.unit, "roles": [], "m": m}
        )
        row["roles"].append(m.get_role_display())
        row["m"] = m if m.title or m.duty else row["m"]
    return render(
        request,
        "cchc/people_list.html",
        {"rows": list(rows.values()), "units": units, "chosen": chosen, "duties": known_duties()},
    )


def _form_context(request, **more) -> dict:
    return {
        "units": _units(request.user),
        "duties": known_duties(),
        "roles": Role.choices,
        **more,
    }


def _shown_once(request, made: list[tuple[object, str]], title: str):
    # Every page here is `never_cache` (no-store): the password stays on this one answer.
    return render(request, "cchc/people_passwords.html", {"made": made, "title": title})


@people_pages
def person_add(request):
    if request.method != "POST":
        return render(request, "cchc/person_form.html", _form_context(request, values={}))
    unit = _unit(request)
    try:
        person, password = people_ops.add_person(
            by=request.user,
            unit=unit,
            full_name=request.POST.get("full_name", "").strip(),
            username=request.POST.get("username", "").strip(),
            roles=_roles(request),
            duty=request.POST.get("duty", ""),
            title=request.POST.get("title", "").strip(),
        )
    except people_ops.Invalid as exc:
        messages.error(request, f"Chưa thêm: {exc}")
        context = _form_context(request, values=request.POST)
        return render(request, "cchc/person_form.html", context, status=400)
    return _shown_once(request, [(person, password)], "Đã thêm người dùng")


@people_pages
def person_edit(request, pk: int):
    person = get_object_or_404(get_user_model(), pk=pk)
    people_ops.require_person_manager(request.user, person)
    units = list(OrgUnit.objects.filter(memberships__user=person).distinct().order_by("name"))
    unit = _unit(request) if request.GET.get("unit") or request.POST.get("unit") else None
    unit = unit or (units[0] if units else None)
    status = 200
    if request.method == "POST":
        if unit is None:  # a person of no unit, and none chosen
            raise NotAllowed("Hãy chọn một đơn vị bạn quản lý.")
        try:
            people_ops.update_person(
                by=request.user,
                person=person,
                unit=unit,
                full_name=request.POST.get("full_name", "").strip(),
                roles=_roles(request),
                duty=request.POST.get("duty", ""),
                title=request.POST.get("title", "").strip(),
            )
        except people_ops.Invalid as exc:
            messages.error(request, f"Chưa lưu: {exc}")
            status = 400
        else:
            messages.success(request, f"Đã lưu thông tin của {person.get_full_name()}.")
            return redirect(f"{request.path}?unit={unit.pk}")
    mine = Membership.objects.filter(user=person, unit=unit)
    first = mine.exclude(title="", duty="").first() or mine.first()
    values = {
        "full_name": person.get_full_name(),
        "title": first.title if first else "",
        "duty": first.duty if first else "",
        "roles": [m.role for m in mine],
    }
    context = _form_context(request, person=person, unit=unit, person_units=units, values=values)
    return render(request, "cchc/person_form.html", context, status=status)


@require_POST
@people_pages
def person_active(request, pk: int):
    person = get_object_or_404(get_user_model(), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        people_ops.set_active(by=request.user, person=person, active=active)
    except people_ops.Invalid as exc:
        messages.error(request, str(exc))
    else:
        done = "Đã mở lại" if active else "Đã ngừng"
        messages.success(request, f"{done} tài khoản {person.username}.")
    return redirect("person-edit", pk=person.pk)


@require_POST
@people_pages
def person_password(request, pk: int):
    person = get_object_or_404(get_user_model(), pk=pk)
    try:
        password = people_ops.reset_password(by=request.user, person=person)
    except people_ops.Invalid as exc:
        messages.error(request, str(exc))
        return redirect("person-edit", pk=person.pk)
    return _shown_once(request, [(person, password)], "Đã cấp mật khẩu tạm thời")


@people_pages
def people_import(request):
    """Paste or upload, then review every row; «Lưu» saves all of them or nobody."""
    context = _form_context(request, columns=COLUMNS, text="", rows=None)
    if request.method != "POST":
        return render(request, "cchc/people_import.html", context)
    unit = _unit(request)
    text = request.POST.get("text", "")
    upload = request.FILES.get("file")
    try:
        if upload is not None:
            if upload.size > XLSX_MAX_BYTES:
                raise ImportProblem(
                    f"Tệp {upload.name} nặng {size_text(upload.size)}; chỉ nhận đến "
                    f"{size_text(XLSX_MAX_BYTES)}."
                )
            text = text_from_xlsx(upload.read())
        rows = read_rows(text, duties=known_duties())
        if not rows:
            raise ImportProblem("Danh sách trống: hãy dán các dòng từ Excel hoặc chọn tệp .xlsx.")
        if request.POST.get("action") == "save":
            made = import_people(by=request.user, unit=unit, rows=rows)
            return _shown_once(request, made, f"Đã thêm {len(made)} người vào {unit.name}")
    except (ImportProblem, people_ops.Invalid) as exc:
        messages.error(request, str(exc))
        context.update(text=text, unit=unit)
        return render(request, "cchc/people_import.html", context, status=400)
    context.update(
        text=text,
        unit=unit,
        rows=rows,
        bad=sum(1 for r in rows if r.problems),
        role_labels=dict(Role.choices),
    )
    return render(request, "cchc/people_import.html", context)
