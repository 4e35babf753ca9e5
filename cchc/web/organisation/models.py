"""Units (đơn vị) in a tree that changes over time, and the people who work in them.

The tree is data: a unit's parent is a dated link, so reports made before the
2025 reorganisation still roll up along the districts they were made under.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models


class OrgUnit(models.Model):
    code = models.CharField("mã", max_length=64, unique=True)
    name = models.CharField("tên", max_length=200)
    level = models.CharField("cấp", max_length=16, db_index=True)  # tinh, huyen, xa, so, …
    valid_from = models.DateField("có hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hết hiệu lực từ", null=True, blank=True)

    class Meta:
        verbose_name = "đơn vị"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def exists_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to
        )


class UnitLink(models.Model):
    """`child` belongs to `parent` from `valid_from` until (not including) `valid_to`."""

    child = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="parent_links")
    parent = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="child_links")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["parent", "valid_from", "valid_to"])]


class Role(models.TextChoices):
    CONTRIBUTOR = "contributor", "Công chức nhập liệu"
    LEADER = "leader", "Lãnh đạo (duyệt, ký)"
    REVIEWER = "reviewer", "Cán bộ Nội vụ cấp trên (tiếp nhận, tổng hợp)"
    UNIT_ADMIN = "unit_admin", "Quản trị đơn vị (phân công)"


class Membership(models.Model):
    """A person's role in a unit; `duty` is the template role they usually fill (vp-noi-vu …)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("vai trò", max_length=16, choices=Role.choices)
    duty = models.CharField("nhiệm vụ", max_length=64, blank=True)
    title = models.CharField("chức danh", max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")
        ]


class TemporaryPassword(models.Model):
    """A password someone else set (a new account, a reset): its owner must replace it.

    `password_hash` is the user's hash when it was set; while the user's password is
    still that hash, every page sends them to «Đổi mật khẩu». Changing it ends this
    by itself, with nothing to clear.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="temporary_password"
    )
    password_hash = models.CharField(max_length=256)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    def still_in_use(self) -> bool:
        return self.user.password == self.password_hash


class UnitName(models.Model):
    """A name a unit had until `valid_to` (a rename keeps the old one here, with its dates)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField("tên cũ", max_length=200)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField()

    class Meta:
        ordering = ["unit", "valid_to"]
