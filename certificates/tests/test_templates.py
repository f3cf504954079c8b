"""Templates: editing one never changes an issued certificate; there is exactly one default."""

import hashlib
import io
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from certificates import issuing, rendering, services
from certificates.models import Certificate, CertificateTemplate, IssuerCounter
from certificates.tasks import render_certificate_pdf
from organizations.tests.factories import UserFactory

from .test_rendering import pdf_text


def test_editing_the_template_after_issue_leaves_the_stored_pdf_and_its_hash_alone(client, issued):
    path = services.private_root() / issued.pdf_path
    stored, sha256 = path.read_bytes(), issued.pdf_sha256
    template = issued.template
    template.title = "CHỨNG CHỈ BỒI DƯỠNG"
    template.signer_name = "Trần Văn Bình"
    template.accent_colour = "#003399"
    template.orientation = "portrait"
    template.save()

    # The edit is real: a certificate rendered now would look different...
    assert "CHỨNG CHỈ BỒI DƯỠNG" in rendering.certificate_html(issued)
    # ...but the stored one is never rendered again, even when its task runs again.
    assert render_certificate_pdf.apply(args=[issued.pk]).get() == sha256
    services.render_and_store(issued.pk)
    issued.refresh_from_db()
    assert issued.template_id == template.pk
    assert (path.read_bytes(), issued.pdf_sha256, issued.pdf_path) == (stored, sha256, issued.pdf_path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    text = pdf_text(issued)
    assert "GIẤY CHỨNG NHẬN" in text and "CHỨNG CHỈ BỒI DƯỠNG" not in text
    assert sha256 in client.get(f"/verify/{issued.verification_code}/").content.decode()


def test_marking_a_template_default_unmarks_the_previous_one(db):
    first = issuing.default_template()
    assert first.is_default
    second = CertificateTemplate.objects.create(name="Mẫu mới", is_default=True)
    first.refresh_from_db()
    assert not first.is_default
    assert list(CertificateTemplate.objects.filter(is_default=True)) == [second]
    assert issuing.default_template() == second
    first.is_default = True
    first.save()
    assert list(CertificateTemplate.objects.filter(is_default=True)) == [first]


def test_the_database_refuses_a_second_default(db):
    first = issuing.default_template()
    second = CertificateTemplate.objects.create(name="Mẫu mới")
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateTemplate.objects.filter(pk=second.pk).update(is_default=True)  # bypasses save()
    assert list(CertificateTemplate.objects.filter(is_default=True)) == [first]


def test_the_only_default_cannot_be_switched_off(db):
    only = issuing.default_template()
    only.is_default = False
    with pytest.raises(ValidationError) as error:
        only.full_clean()
    assert "is_default" in error.value.message_dict
    other = CertificateTemplate(name="Mẫu khác")
    other.full_clean()  # not default, and another one is: fine


def test_editors_move_the_default_in_the_snippet_admin(client, db):
    first = issuing.default_template()
    client.force_login(UserFactory(email="admin@example.vn", is_superuser=True, is_staff=True))
    form = {
        "name": "Mẫu năm 2027",
        "is_default": "on",
        "orientation": "landscape",
        "national_heading": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "national_motto": "Độc lập - Tự do - Hạnh phúc",
        "title": "GIẤY CHỨNG NHẬN",
        "recipient_label": "Chứng nhận Ông/Bà",
        "completion_text": "Đã hoàn thành chương trình bồi dưỡng",
        "place": "Hà Nội",
        "signer_title": "TM. BAN THƯỜNG VỤ",
        "accent_colour": "#b3261e",
        "text_colour": "#1f1f1f",
    }
    response = client.post("/admin/snippets/certificates/certificatetemplate/add/", form)
    assert response.status_code == 302, response.context["form"].errors
    new = CertificateTemplate.objects.get(name="Mẫu năm 2027")
    first.refresh_from_db()
    assert new.is_default and not first.is_default

    # Unticking "default" on the only default is refused with a message on the field.
    edit = f"/admin/snippets/certificates/certificatetemplate/edit/{new.pk}/"
    response = client.post(edit, {**form, "is_default": ""})
    assert response.status_code == 200
    assert "Hãy đặt một mẫu khác làm mặc định" in response.content.decode()
    new.refresh_from_db()
    assert new.is_default


def test_editors_preview_unsaved_wording_as_a_pdf_in_the_snippet_admin(client, db):
    template = issuing.default_template()
    client.force_login(UserFactory(email="editor@example.vn", is_superuser=True, is_staff=True))
    edit = f"/admin/snippets/certificates/certificatetemplate/edit/{template.pk}/"
    assert "preview" in client.get(edit).content.decode()
    preview = f"/admin/snippets/certificates/certificatetemplate/preview/{template.pk}/"
    form = {
        "name": template.name,
        "is_default": "on",
        "orientation": "portrait",
        "national_heading": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "national_motto": "Độc lập - Tự do - Hạnh phúc",
        "title": "CHỨNG CHỈ BỒI DƯỠNG",
        "recipient_label": "Chứng nhận Ông/Bà",
        "completion_text": "Đã hoàn thành chương trình bồi dưỡng",
        "place": "Hà Nội",
        "signer_title": "KT. CHỦ TỊCH\r\nPHÓ CHỦ TỊCH",
        "signer_name": "Trần Văn Ký",
        "accent_colour": "#b3261e",
        "text_colour": "#1f1f1f",
    }
    assert client.post(preview, form).json()["is_valid"]
    response = client.get(preview)
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    text = unicodedata.normalize("NFC", page.extract_text())
    assert "CHỨNG CHỈ BỒI DƯỠNG" in text and "Trần Văn Ký" in text and "Nguyễn Thị Mẫu" in text
    assert page.mediabox.height > page.mediabox.width  # portrait
    template.refresh_from_db()
    assert template.title == "GIẤY CHỨNG NHẬN"  # previewing saves nothing
    assert not Certificate.objects.exists() and not IssuerCounter.objects.exists()

    assert not client.post(preview, {**form, "accent_colour": "red"}).json()["is_valid"]


def test_a_new_template_previews_with_its_unsaved_images_and_wording(client, db):
    # The create view's preview: nothing is saved yet, not even the template.
    from wagtail.images.models import Image as WagtailImage

    from demo.certificates import images as demo_images

    seal = WagtailImage.objects.create(title="Con dấu", file=demo_images.seal_png())
    signature = WagtailImage.objects.create(title="Chữ ký", file=demo_images.signature_png())
    client.force_login(UserFactory(email="editor@example.vn", is_superuser=True, is_staff=True))
    preview = "/admin/snippets/certificates/certificatetemplate/preview/"
    form = {
        "name": "Mẫu lớp tập huấn quận",
        "orientation": "landscape",
        "national_heading": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "national_motto": "Độc lập - Tự do - Hạnh phúc",
        "title": "GIẤY CHỨNG NHẬN",
        "recipient_label": "Chứng nhận đồng chí",
        "completion_text": "Đã tham dự lớp tập huấn",
        "closing_text": "Giấy chứng nhận có giá trị trong hệ thống Công đoàn Việt Nam.",
        "place": "Đống Đa",
        "signer_title": "TM. BAN THƯỜNG VỤ\r\nCHỦ TỊCH",
        "signer_name": "Lê Thị Hằng",
        "signature_image": signature.pk,
        "seal_image": seal.pk,
        "accent_colour": "#1e4db3",
        "text_colour": "#1f1f1f",
    }
    templates_before = CertificateTemplate.objects.count()
    assert client.post(preview, form).json()["is_valid"]
    response = client.get(preview)
    assert response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    text = unicodedata.normalize("NFC", page.extract_text())
    for printed in ("Chứng nhận đồng chí", "Đã tham dự lớp tập huấn", "Lê Thị Hằng", "Đống Đa, ngày"):
        assert printed in text
    assert "Giấy chứng nhận có giá trị trong hệ thống Công đoàn Việt Nam." in " ".join(text.split())
    assert "Nguyễn Thị Mẫu" in text and "Số: 0/" in text
    assert page.mediabox.width > page.mediabox.height  # landscape
    assert len(page.images) == 3  # the chosen seal and signature, and the QR code
    assert CertificateTemplate.objects.count() == templates_before
    assert not Certificate.objects.exists()


def _delete(image):
    from pathlib import Path

    Path(image.file.path).unlink()


def _damage(image):
    with open(image.file.path, "r+b") as file:
        file.seek(64)
        file.truncate()


@pytest.mark.parametrize("spoil", [_delete, _damage], ids=["deleted", "damaged"])
def test_a_preview_whose_seal_file_cannot_be_read_says_so_instead_of_failing(client, db, spoil):
    from wagtail.images.models import Image as WagtailImage

    from demo.certificates import images as demo_images

    seal = WagtailImage.objects.create(title="Con dấu", file=demo_images.seal_png())
    spoil(seal)
    template = issuing.default_template()
    client.force_login(UserFactory(email="editor@example.vn", is_superuser=True, is_staff=True))
    preview = f"/admin/snippets/certificates/certificatetemplate/preview/{template.pk}/"
    form = {
        field: getattr(template, field)
        for field in ("name", "orientation", "national_heading", "national_motto", "title")
        + ("recipient_label", "completion_text", "place", "signer_title", "accent_colour", "text_colour")
    }
    assert client.post(preview, {**form, "is_default": "on", "seal_image": seal.pk}).json()["is_valid"]
    response = client.get(preview)
    assert response.status_code == 200
    assert "Không đọc được một ảnh của mẫu này" in response.content.decode()
