from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc.web.api import endpoints
from cchc.web.views import (
    audit,
    comparison,
    consolidated_report,
    consolidation,
    document_details,
    documents,
    entry,
    errors,
    home,
    login_log,
    notices,
    password,
    people,
    prefill,
    reports,
    rounds,
    signing,
    templates_admin,
    tokens,
    units,
)

handler400 = errors.bad_request
handler404 = errors.not_found  # JSON under /api/, a Vietnamese page elsewhere

urlpatterns = [
    path("", home.my_work, name="my-work"),
    path("dang-nhap/", auth_views.LoginView.as_view(template_name="cchc/login.html"), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("doi-mat-khau/", password.PasswordChange.as_view(), name="password-change"),
    path("ma-api/", tokens.api_tokens, name="api-tokens"),
    path("nhat-ky-dang-nhap/", login_log.login_log, name="login-log"),
    path("thong-bao/", notices.notice_list, name="notices"),
    path("thong-bao/<int:pk>/", notices.notice_open, name="notice-open"),
    path("thong-bao/da-doc/", notices.notices_read, name="notices-read"),
    path("ma-api/<int:pk>/thu-hoi/", tokens.api_token_revoke, name="api-token-revoke"),
    path("dot-bao-cao/", rounds.round_list, name="round-list"),
    path("dot-bao-cao/mo/", rounds.round_create, name="round-create"),
    path("dot-bao-cao/<int:pk>/", rounds.round_dashboard, name="round-dashboard"),
    path(
        "dot-bao-cao/<int:pk>/tong-hop/",
        consolidation.round_consolidation,
        name="round-consolidation",
    ),
    path("dot-bao-cao/<int:pk>/so-sanh/", comparison.round_comparison, name="round-comparison"),
    path(
        "dot-bao-cao/<int:pk>/tong-hop/bao-cao.docx",
        consolidated_report.round_report,
        name="round-report-docx",
    ),
    path("bao-cao/<int:pk>/", reports.report_detail, name="report-detail"),
    path("bao-cao/<int:pk>/phan-cong/", reports.report_assign, name="report-assign"),
    path("bao-cao/<int:pk>/nhat-ky/", audit.report_audit, name="report-audit"),
    path(
        "bao-cao/<int:pk>/thong-tin-van-ban/",
        document_details.document_details,
        name="document-details",
    ),
    path(
        "bao-cao/<int:pk>/chuyen-trang-thai/", reports.report_transition, name="report-transition"
    ),
    path("bao-cao/<int:pk>/bieu/<str:form>/", entry.form_entry, name="form-entry"),
    path("bao-cao/<int:pk>/bieu/<str:form>/luu/", entry.save_cell, name="save-cell"),
    path("bao-cao/<int:pk>/muc/<str:code>/", entry.section_edit, name="section-edit"),
    path("bao-cao/<int:pk>/muc/<str:code>/luu/", entry.save_section_view, name="save-section"),
    path("bao-cao/<int:pk>/xong/", entry.mark_done_view, name="mark-done"),
    path("bao-cao/<int:pk>/tai/<str:fmt>/", documents.report_export, name="report-export"),
    path("bao-cao/<int:pk>/nhap-tep/", documents.report_upload, name="report-upload"),
    path(
        "bao-cao/<int:pk>/nhap-tep/xac-nhan/",
        documents.report_upload_confirm,
        name="report-upload-confirm",
    ),
    path("bao-cao/<int:pk>/dien-tong-hop/", prefill.report_prefill, name="report-prefill"),
    path(
        "bao-cao/<int:pk>/dien-tong-hop/xac-nhan/",
        prefill.report_prefill_confirm,
        name="report-prefill-confirm",
    ),
    path("bao-cao/<int:pk>/ky-so/ban-de-ky.pdf", signing.pdf_to_sign, name="report-pdf-to-sign"),
    path("bao-cao/<int:pk>/ky-so/tai-len/", signing.upload_signed, name="report-signed-upload"),
    path("bao-cao/<int:pk>/ky-so/ban-da-ky.pdf", signing.signed_download, name="report-signed"),
    path("dot-bao-cao/<int:pk>/ky-so/", signing.round_signing, name="round-signing"),
    path("nguoi-dung/", people.people_list, name="people-list"),
    path("nguoi-dung/them/", people.person_add, name="person-add"),
    path("nguoi-dung/nhap/", people.people_import, name="people-import"),
    path("nguoi-dung/<int:pk>/", people.person_edit, name="person-edit"),
    path("nguoi-dung/<int:pk>/trang-thai/", people.person_active, name="person-active"),
    path("nguoi-dung/<int:pk>/mat-khau/", people.person_password, name="person-password"),
    path("don-vi/", units.unit_tree, name="unit-tree"),
    path("don-vi/nap-danh-muc/", units.units_load, name="units-load"),
    path("don-vi/<int:pk>/", units.unit_detail, name="unit-detail"),
    path("don-vi/<int:pk>/thay-doi/", units.unit_change, name="unit-change"),
    path("mau-bao-cao/", templates_admin.template_list, name="template-list"),
    # The JSON API and its OpenAPI description (/api/openapi.json), see api/endpoints.py.
    path("api/", include(endpoints.api.urls[0])),
]
