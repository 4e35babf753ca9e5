"""«Đổi mật khẩu»: Django's own view and checks, with a Vietnamese page and message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "cchc/password_change.html"
    success_url = reverse_lazy("my-work")

    def form_valid(self, form):
        messages.success(self.request, "Đã đổi mật khẩu.")
        return super().form_valid(form)
