"""The OpenAPI description of the JSON API (served at /api/openapi.json)."""

from cchc.core.limits import MAX_NOTE_CHARS, MAX_RAW_CHARS, MAX_SECTION_CHARS

_VALUE = {
    "type": "object",
    "properties": {
        "raw": {
            "type": "string",
            "maxLength": MAX_RAW_CHARS,
            "description": "giá trị như người nhập (78,94 / 1.102 / Có); số tối đa 18 chữ số "
            "phần nguyên, 15 chữ số thập phân",
        },
        "note": {"type": "string", "maxLength": MAX_NOTE_CHARS},
        "version": {"type": "integer", "description": "phiên bản đã đọc; 0 nếu chưa có"},
    },
}
_ERROR = {
    "type": "object",
    "properties": {
        "error": {"type": "string"},
        "problems": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "giá trị vượt giới hạn, theo mã chỉ tiêu (hoặc mã mục): lý do",
        },
    },
}
# Every path: an unknown report, form or section; a body declared larger than an upload.
_ALWAYS = {
    "404": {"description": "Không tìm thấy", "content": {"application/json": {"schema": _ERROR}}},
    "413": {
        "description": "Nội dung quá lớn",
        "content": {"application/json": {"schema": _ERROR}},
    },
}
_TOO_LONG = {
    "description": "Giá trị vượt giới hạn hoặc có ký tự rỗng; không lưu gì",
    "content": {"application/json": {"schema": _ERROR}},
}
_FINDINGS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {k: {"type": "string"} for k in ("rule", "severity", "form", "message")},
    },
}
_REPORT = {
    "type": "object",
    "properties": {
        "id": {"type": "integer"},
        "unit": {"type": "string"},
        "round": {"type": "string"},
        "period": {"type": "string"},
        "template": {"type": "string"},
        "state": {"type": "string"},
        "values": {
            "type": "object",
            "additionalProperties": {"type": "object", "additionalProperties": _VALUE},
        },
        "sections": {"type": "object"},
        "computed": {"type": "object"},
        "findings": _FINDINGS,
        # the section texts' figures, checked with the values; `values` holds the
        # section code, the sentence and its offsets (start, end) in the section text
        "narrative_findings": _FINDINGS,
    },
}

SPEC = {
    "openapi": "3.0.3",
    "info": {
        "title": "cchc API",
        "version": "1",
        "description": (
            "Đọc, ghi số liệu và nội dung báo cáo CCHC với cùng quy tắc kiểm tra như trang web."
        ),
    },
    "components": {
        "securitySchemes": {
            "token": {
                "type": "http",
                "scheme": "bearer",
                "description": "Mã API tạo ở trang «Mã API» (/ma-api/) hoặc bằng "
                "`cchc manage create_api_token`.",
            },
            "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        }
    },
    "security": [{"token": []}, {"session": []}],
    "paths": {
        "/api/bao-cao/{id}/": {
            "get": {
                "summary": "Báo cáo: số liệu, nội dung, tỷ lệ tính được và kết quả kiểm tra",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {"application/json": {"schema": _REPORT}},
                    },
                    "403": {
                        "description": "Không có quyền",
                        "content": {"application/json": {"schema": _ERROR}},
                    },
                    **_ALWAYS,
                },
            }
        },
        "/api/bao-cao/{id}/so-lieu/": {
            "put": {
                "summary": "Ghi số liệu một biểu",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["form", "values"],
                                "properties": {
                                    "form": {"type": "string"},
                                    "values": {"type": "object", "additionalProperties": _VALUE},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Đã lưu",
                        "content": {"application/json": {"schema": _REPORT}},
                    },
                    "400": {
                        "description": "Sai cấu trúc, chỉ tiêu không có trong biểu, hoặc giá trị "
                        "vượt giới hạn (không lưu gì)",
                        "content": {"application/json": {"schema": _ERROR}},
                    },
                    "403": {
                        "description": "Không có quyền",
                        "content": {"application/json": {"schema": _ERROR}},
                    },
                    "409": {"description": "Người khác vừa sửa; giá trị không bị ghi đè"},
                    **_ALWAYS,
                },
            }
        },
        "/api/bao-cao/{id}/muc/{code}/": {
            "get": {
                "summary": "Nội dung một mục đề cương",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "OK"}, **_ALWAYS},
            },
            "put": {
                "summary": "Ghi nội dung một mục đề cương",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "text": {"type": "string", "maxLength": MAX_SECTION_CHARS},
                                    "version": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {"description": "Đã lưu"},
                    "400": _TOO_LONG,
                    "403": {"description": "Không có quyền"},
                    "409": {"description": "Người khác vừa sửa"},
                    **_ALWAYS,
                },
            },
        },
    },
}

# Every operation: no login, or a session that has ended (see accounts/session_ended.py).
_NOT_LOGGED_IN = {
    "description": "Chưa đăng nhập hoặc phiên đăng nhập đã hết; không có gì được lưu",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"error": {"type": "string"}, "login_url": {"type": "string"}},
            }
        }
    },
}
for _operations in SPEC["paths"].values():
    for _operation in _operations.values():
        _operation["responses"].setdefault("401", _NOT_LOGGED_IN)
