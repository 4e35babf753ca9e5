"""What every request is checked for before a view sees it.

- A body declared larger than an upload may be is refused before it is read
  (413), so a huge upload costs neither memory nor disk.
- A NUL byte in the address, a query parameter or a posted field is refused
  (400): PostgreSQL cannot store it and SQLite would keep it silently, so both
  databases answer the same. Autosaves (htmx) are left to their views, which
  answer inside the cell with the same message as every other refused value.

Under `/api/` the answer is JSON with a Vietnamese `error`, elsewhere a page.
"""

from __future__ import annotations

from django.conf import settings

from cchc.importers.safety import size_text
from cchc.web.views.errors import error_response

# Room for the multipart framing and the other fields sent with a file.
_BODY_MARGIN = 1024 * 1024


class RequestGuard:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.UPLOAD_MAX_BYTES + _BODY_MARGIN
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400, "Tiêu đề Content-Length không hợp lệ.")
        if declared > limit:
            return error_response(
                request,
                413,
                f"Nội dung gửi lên quá lớn ({size_text(declared)}); cchc chỉ nhận tệp đến "
                f"{size_text(settings.UPLOAD_MAX_BYTES)}.",
            )
        if "\x00" in request.path:
            return error_response(request, 400, "Địa chỉ có ký tự rỗng (NUL), không hợp lệ.")
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return error_response(
                    request,
                    400,
                    f"Tham số «{name.strip(chr(0))}» có ký tự rỗng (NUL), không hợp lệ.",
                )
        if request.method == "POST" and not request.headers.get("HX-Request"):
            for name, values in request.POST.lists():
                if "\x00" in name or any("\x00" in v for v in values):
                    return error_response(
                        request,
                        400,
                        f"Trường «{name.strip(chr(0))}» có ký tự rỗng (NUL); cchc không lưu "
                        "ký tự này, hãy gõ lại hoặc dán từ văn bản thường.",
                    )
        return self.get_response(request)
