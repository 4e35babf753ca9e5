"""Designing a template in the app's pages: the paper view, a copy edited part by part
with the core's checks, the blank forms as Word and Excel, publishing, and who may."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from cchc.bundled_templates import read_template_text
from cchc.documents.pdf import find_soffice
from cchc.web.reporting.models import AuditEvent, TemplateDraft, TemplateVersion
from cchc.web.reporting.template_versions.drafts import draft_data


def _fields(page: str) -> dict:
    """The values a browser would post from the editor's form (inputs, selects, texts,
    ticked boxes)."""
    form = page[page.index('id="draft-form"') :]
    form = form[: form.index("</form>")]
    out: dict = {}
    for m in re.finditer(r'<input type="checkbox" name="([^"]+)" value="([^"]*)" checked>', form):
        out.setdefault(m.group(1), []).append(m.group(2))
    for m in re.finditer(r'<input type="(?:text|hidden)" name="([^"]+)" value="([^"]*)"', form):
        out[m.group(1)] = _unescape(m.group(2))
    for m in re.finditer(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        out[m.group(1)] = _unescape(m.group(2))
    for m in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', m.group(2))
        if chosen is None:
            chosen = re.search(r'<option value="([^"]*)"', m.group(2))
        out[m.group(1)] = _unescape(chosen.group(1)) if chosen else ""
    return out


def _text(response) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_a_template_reads_as_the_paper_form_with_its_formulas_and_rules_in_words(
    world, login
) -> None:
    page = login(world.reviewer).get(reverse("template-paper", args=["xa-2022"]))
    text = page.content.decode()

    assert page.status_code == 200
    assert (
        "Tỷ lệ hoàn thành Kế hoạch CCHC năm = (Số nhiệm vụ đã hoàn thành ÷ "
        "Số nhiệm vụ đề ra trong kế hoạch) × 100"
    ) in text
    assert "Số nhiệm vụ đã hoàn thành ≤ Số nhiệm vụ đề ra trong kế hoạch" in text
    assert "Ban hành các văn bản, chỉ thị" in text  # the outline's guidance
    assert "Đang dùng cho 1 đợt báo cáo" in text


def test_the_blank_forms_download_as_word_and_excel_that_read_back(world, login) -> None:
    client = login(world.reviewer)
    docx = client.get(reverse("template-blank", args=["xa-2022", "docx"]))
    xlsx = client.get(reverse("template-blank", args=["xa-2022", "xlsx"]))

    document = Document(io.BytesIO(docx.content))
    rows = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Số nhiệm vụ đề ra trong kế hoạch" in rows
    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.worksheets) >= 7
    exported = client.get(reverse("template-blank", args=["xa-2022", "yaml"]))
    assert exported.content.decode() == TemplateVersion.objects.get(template_id="xa-2022").yaml_text


def test_a_copy_is_edited_checked_and_published_as_a_new_version(world, login) -> None:
    client = login(world.reviewer)
    made = client.post(reverse("template-copy", args=["xa-2022"]))
    draft = TemplateDraft.objects.get()
    assert made.url == reverse("template-draft", args=[draft.pk])
    assert draft.template_id == "xa-2022-2"

    part = reverse("template-draft-part", args=[draft.pk, "bieu-0"])
    fields = _fields(client.get(part).content.decode())
    n = int(fields["rows"])
    fields.update(
        {
            "rows": str(n + 1),
            f"r-{n}-code": "9",
            f"r-{n}-name": "Tỷ lệ hồ sơ giải quyết đúng hạn",
            f"r-{n}-unit": "%",
            f"r-{n}-formula": "[2.2] / [9.9] * 100",
        }
    )
    check = client.post(reverse("template-draft-check", args=[draft.pk, "bieu-0"]), fields)
    assert "Biểu mẫu 1, dòng 20 (mã 9), công thức: biểu BM1 không có chỉ tiêu mã «9.9»" in (
        re.sub(r"<[^>]+>", "", check.content.decode())
    )
    assert draft_data(TemplateDraft.objects.get()) == draft_data(draft)  # nothing saved

    client.post(part, fields)  # a draft keeps its problems until they are fixed
    refused = client.post(reverse("template-draft-publish", args=[draft.pk]), follow=True)
    assert "Chưa công bố được: Biểu mẫu 1, dòng 20 (mã 9), công thức:" in _text(refused)
    assert not TemplateVersion.objects.filter(template_id="xa-2022-2")

    fields[f"r-{n}-formula"] = "[2.2] / [2.1] * 100"
    check = client.post(reverse("template-draft-check", args=[draft.pk, "bieu-0"]), fields)
    assert 'id="check-ok"' in check.content.decode()
    client.post(part, fields)
    client.post(reverse("template-draft-publish", args=[draft.pk]))

    version = TemplateVersion.objects.get(template_id="xa-2022-2")
    row = read_template_text(version.yaml_text, "x.yaml").indicator("BM1", "9")
    assert (row.kind, row.formula.source) == ("rate", "[2.2] / [2.1] * 100")
    assert version.source == "designed" and not TemplateDraft.objects.exists()
    assert AuditEvent.objects.filter(action="template-added", target="xa-2022-2").exists()
    original = TemplateVersion.objects.get(template_id="xa-2022")
    assert read_template_text(original.yaml_text, "x.yaml").indicator("BM1", "9") is None


def test_a_published_version_is_never_changed_a_draft_with_its_id_is_refused(world, login) -> None:
    client = login(world.reviewer)
    client.post(reverse("template-copy", args=["xa-2022"]))
    draft = TemplateDraft.objects.get()
    fields = _fields(client.get(reverse("template-draft", args=[draft.pk])).content.decode())
    fields["id"] = "xa-2022"
    client.post(reverse("template-draft", args=[draft.pk]), fields)
    before = TemplateVersion.objects.get(template_id="xa-2022").yaml_text

    refused = client.post(reverse("template-draft-publish", args=[draft.pk]), follow=True)

    assert "Mẫu «xa-2022» đã có. Phiên bản đang dùng không được sửa" in _text(refused)
    assert TemplateVersion.objects.get(template_id="xa-2022").yaml_text == before


def test_a_template_inferred_from_a_blank_form_opens_in_the_editor(world, login) -> None:
    from tests.seeds import SEED_002

    client = login(world.reviewer)
    upload = io.BytesIO(SEED_002.read_bytes())
    upload.name = "ha-vinh-9-thang.txt"
    made = client.post(reverse("template-list"), {"report_file": upload})

    draft = TemplateDraft.objects.get(source="inferred")
    assert made.url == reverse("template-draft", args=[draft.pk])
    page = client.get(made.url).content.decode()
    assert "Mẫu suy ra từ ha-vinh-9-thang.txt" in page and 'id="draft-form"' in page
    assert '<textarea name="yaml_text"' not in page  # reviewed in the editor, not as YAML


@pytest.mark.parametrize("persona", ["officer", "leader", "unit_admin"])
def test_nobody_but_reviewers_and_system_administrators_reaches_the_design_pages(
    world, login, persona
) -> None:
    login(world.reviewer).post(reverse("template-copy", args=["xa-2022"]))
    draft = TemplateDraft.objects.get()
    client = login(getattr(world, persona))
    gets = [
        reverse("template-paper", args=["xa-2022"]),
        reverse("template-blank", args=["xa-2022", "docx"]),
        reverse("template-draft", args=[draft.pk]),
        reverse("template-draft-part", args=[draft.pk, "bieu-0"]),
        reverse("template-draft-paper", args=[draft.pk]),
        reverse("template-draft-entry", args=[draft.pk, "bieu-0"]),
        reverse("template-draft-blank", args=[draft.pk, "xlsx"]),
        reverse("template-draft-word", args=[draft.pk]),
    ]
    posts = [
        reverse("template-copy", args=["xa-2022"]),
        reverse("template-draft-check", args=[draft.pk, "bieu-0"]),
        reverse("template-draft-publish", args=[draft.pk]),
        reverse("template-draft-delete", args=[draft.pk]),
    ]
    codes = [client.get(u).status_code for u in gets] + [client.post(u).status_code for u in posts]
    assert codes == [403] * len(codes)
    assert TemplateDraft.objects.count() == 1 and TemplateVersion.objects.count() == 3


def test_another_reviewers_draft_is_not_opened(world, login) -> None:
    login(world.reviewer).post(reverse("template-copy", args=["xa-2022"]))
    draft = TemplateDraft.objects.get()
    page = login(world.ministry_reviewer).get(reverse("template-draft", args=[draft.pk]))
    assert page.status_code == 403


@pytest.mark.skipif(find_soffice() is None, reason="needs LibreOffice")
def test_a_draft_is_previewed_as_the_pages_of_its_word_file(world, login) -> None:
    client = login(world.reviewer)
    client.post(reverse("template-copy", args=["xa-2022"]))
    draft = TemplateDraft.objects.get()

    page = client.get(reverse("template-draft-word", args=[draft.pk])).content.decode()

    pictures = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="Trang (\d+)"', page)
    assert len(pictures) >= 7  # the outline, then one appendix a form at least
    assert all(base64.b64decode(png).startswith(b"\x89PNG") for png, _ in pictures)


def test_the_levels_that_fill_a_row_are_ticked_and_kept(world, login) -> None:
    client = login(world.reviewer)
    client.post(reverse("template-copy", args=["pl-2024"]))
    draft = TemplateDraft.objects.get()
    form = next(i for i, f in enumerate(draft_data(draft)["forms"]) if f["code"] == "PL2")
    part = reverse("template-draft-part", args=[draft.pk, f"bieu-{form}"])
    page = client.get(part).content.decode()
    fields = _fields(page)
    rows = draft_data(draft)["forms"][form]["indicators"]
    j = next(j for j, r in enumerate(rows) if r["code"] == "3.1")
    assert fields[f"r-{j}-levels"] == ["tinh"]  # Tỉnh ticked, Huyện and Xã not
    assert fields["r-0-levels"] == ["tinh", "huyen", "xa"]

    fields[f"r-{j}-levels"] = ["tinh", "huyen"]
    client.post(part, fields)

    saved = draft_data(TemplateDraft.objects.get())["forms"][form]["indicators"]
    assert saved[j]["levels"] == ["tinh", "huyen"] and "levels" not in saved[0]
    assert saved[:j] + saved[j + 1 :] == rows[:j] + rows[j + 1 :]


def test_hostile_posts_to_the_editor_are_answered_in_vietnamese_and_keep_the_draft(
    world, login
) -> None:
    client = login(world.reviewer)
    client.post(reverse("template-copy", args=["xa-2022"]))
    draft = TemplateDraft.objects.get()
    part = reverse("template-draft-part", args=[draft.pk, "bieu-0"])
    fields = _fields(client.get(part).content.decode())
    before = TemplateDraft.objects.get().yaml_text
    deep = "[" * 200 + "]" * 200

    too_deep = client.post(part, {**fields, "r-0-rest": '{"remark": ' + deep + "}"}, follow=True)
    assert TemplateDraft.objects.get().yaml_text == before  # nothing half-saved
    answers = [
        too_deep,
        client.post(part, {**fields, "r-0-rest": "[" * 100_000}, follow=True),
        client.post(part, {**fields, "rows": "5000"}, follow=True),
        client.post(reverse("template-draft-check", args=[draft.pk, "bieu-0"]), {"rows": "x"}),
        client.post(reverse("template-draft-part", args=[draft.pk, "bieu-99"]), fields),
    ]

    assert [a.status_code for a in answers] == [200, 200, 200, 200, 404]
    assert "Chưa lưu: lồng quá sâu: quá 32 mức danh sách, bảng khóa trong nhau" in _text(too_deep)
    assert "Chưa lưu: có 5.000 chỉ tiêu, quá giới hạn 1.000" in _text(answers[2])
    assert "biểu không có chỉ tiêu nào" in _text(answers[3])
    assert client.get(part).status_code == 200  # the draft still opens


def test_the_outline_gets_a_sub_item_where_it_was_asked(world, login) -> None:
    client = login(world.reviewer)
    client.post(reverse("template-copy", args=["xa-2022"]))
    draft = TemplateDraft.objects.get()
    part = reverse("template-draft-part", args=[draft.pk, "de-cuong"])
    fields = _fields(client.get(part).content.decode())

    added = client.post(part, {**fields, "action": "add-sub:0"})

    assert added.url == f"{part}#s-1"
    outline = draft_data(TemplateDraft.objects.get())["sections"]
    assert outline[0]["items"][0] == {}
    assert [s["code"] for s in outline[0]["items"][1:]] == [
        "I.1",
        "I.2",
        "I.3",
        "I.4",
        "I.5",
        "I.6",
    ]
    page = client.get(part).content.decode()
    assert "Đề cương, mục thứ 2, mã: chưa điền" in re.sub(r"<[^>]+>", "", page)
