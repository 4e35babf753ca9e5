"""The OpenAPI description of the JSON API (served at /api/openapi.json)."""

_VALUE = {
    "type": "object",
    "properties": {
        "raw": {"type": "string", "description": "giá trị như người nhập (78,94 / 1.102 / Có)"},
        "note": {"type": "string"},
        "version": {"type": "integer", "description": "phiên bản đã đọc; 0 nếu chưa có"},
    },
}
_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}}
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
        "findings": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    k: {"type": "string"} for k in ("rule", "severity", "form", "message")
                },
            },
        },
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
                        "description": "Sai cấu trúc",
                        "content": {"application/json": {"schema": _ERROR}},
                    },
                    "403": {
                        "description": "Không có quyền",
                        "content": {"application/json": {"schema": _ERROR}},
                    },
                    "409": {"description": "Người khác vừa sửa; giá trị không bị ghi đè"},
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
                "responses": {"200": {"description": "OK"}},
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
                                    "text": {"type": "string"},
                                    "version": {"type": "integer"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "200": {"description": "Đã lưu"},
                    "403": {"description": "Không có quyền"},
                    "409": {"description": "Người khác vừa sửa"},
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
