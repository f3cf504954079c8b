"""What the PDF says: read back with pypdf, the QR code decoded with zxing-cpp."""

import gc
import io
import itertools
import shutil
import subprocess
import unicodedata

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from certificates import issuing, rendering, services

from .conftest import pass_course


def pdf_text(certificate) -> str:
    data = (services.private_root() / certificate.pdf_path).read_bytes()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return unicodedata.normalize("NFC", reader.pages[0].extract_text())


def test_pdf_text_has_the_exact_vietnamese_name_unit_and_title(issued):
    text = pdf_text(issued)
    assert "Nguyễn Thị Mai" in text
    assert "CĐCS Công ty May Ba Đình" in text
    assert "Kỹ năng tuyên truyền miệng trong công nhân lao động" in text
    assert "GIẤY CHỨNG NHẬN" in text
    assert "14/05/1992" in text
    assert f"Số: 1/{issued.year}/GCN-LĐLĐ" in text
    assert issued.verification_code_display in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_qr_code_in_the_pdf_opens_the_absolute_verification_url(issued, tmp_path):
    pdf = services.private_root() / issued.pdf_path
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    results = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [r.text for r in results] == [
        f"https://hoctap.example.vn/verify/{issued.verification_code_display}/"
    ]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_the_qr_code_scans_on_a_dark_background_image(
    learner_officer, eager_tasks, django_capture_on_commit_callbacks, tmp_path
):
    # The code carries its own light quiet zone, whatever the template's background.
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image as WagtailImage

    buffer = io.BytesIO()
    Image.new("RGB", (300, 210), (40, 40, 60)).save(buffer, format="PNG")
    background = WagtailImage.objects.create(title="Nền tối", file=ImageFile(buffer, name="nen-toi.png"))
    template = issuing.default_template()
    template.background_image = background
    template.save()
    with django_capture_on_commit_callbacks(execute=True):
        record = pass_course(learner_officer)
    certificate = record.certificates.get()
    pdf = services.private_root() / certificate.pdf_path
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "page")], check=True
    )
    results = zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))
    assert [r.text for r in results] == [
        f"https://hoctap.example.vn/verify/{certificate.verification_code_display}/"
    ]


def test_html_in_a_name_or_title_is_printed_as_text(
    learner_officer, eager_tasks, django_capture_on_commit_callbacks
):
    learner_officer.given_name = "<b>Mai</b>"
    learner_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        record = pass_course(learner_officer, title="<script>alert(1)</script> & <i>Kỹ năng</i>")
    certificate = record.certificates.get()
    text = pdf_text(certificate)
    assert "Nguyễn Thị <b>Mai</b>" in text
    assert "<script>alert(1)</script> & <i>Kỹ năng</i>" in text


def test_a_certificate_page_whose_qr_code_was_not_built_is_not_rendered_without_it(issued):
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError):
        rendering.render_html(rendering.certificate_html(issued))  # no prepared QR image


def test_a_worker_frees_each_rendered_document_at_once_and_keeps_collecting_garbage(issued, monkeypatch):
    # WeasyPrint documents are full of reference cycles; a worker must not let them pile up
    # between (rare, slow) full collections, and must leave the garbage collector on.
    from weasyprint.formatting_structure.boxes import Box

    gc.collect()
    for _ in range(3):
        rendering.render_certificate(issued)
        assert gc.isenabled()
        assert not [thing for thing in gc.get_objects() if issubclass(type(thing), Box)]
        # Nothing the render made is left for a later, full collection: a worker that renders
        # back to back runs few of those, and garbage waiting for one grew it by 140 MiB.
        assert gc.collect() < 50

    def disk_full(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "layout", disk_full)
    with pytest.raises(OSError):
        rendering.render_certificate(issued)
    assert gc.isenabled()


def test_the_floor_renders_one_page():
    assert (
        PdfReader(io.BytesIO(rendering.render_floor())).pages[0].extract_text().strip() == "Giấy chứng nhận"
    )


def test_every_certificate_a_worker_renders_carries_the_seal_and_signature_unaltered(
    learner_officer, eager_tasks, django_capture_on_commit_callbacks
):
    # One process renders many certificates and reuses the decoded template images: the
    # second PDF must carry them exactly as the first (and as uploaded), transparency included.
    from wagtail.images.models import Image as WagtailImage

    from demo.certificates import images as demo_images

    seal = WagtailImage.objects.create(title="Con dấu", file=demo_images.seal_png())
    signature = WagtailImage.objects.create(title="Chữ ký", file=demo_images.signature_png())
    template = issuing.default_template()
    template.seal_image, template.signature_image = seal, signature
    template.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = pass_course(learner_officer, title="Khóa một")
    with django_capture_on_commit_callbacks(execute=True):
        second = pass_course(learner_officer, title="Khóa hai")

    uploaded = {Image.open(image.file.path).convert("RGBA").tobytes() for image in (seal, signature)}
    for record in (first, second):
        certificate = record.certificates.get()
        data = (services.private_root() / certificate.pdf_path).read_bytes()
        images = PdfReader(io.BytesIO(data)).pages[0].images
        assert len(images) == 3  # seal, signature and the QR code
        in_pdf = {image.image.convert("RGBA").tobytes() for image in images if image.image.mode == "RGBA"}
        assert in_pdf == uploaded


def test_the_signer_title_and_the_national_heading_keep_their_line_breaks(
    learner_officer, eager_tasks, django_capture_on_commit_callbacks
):
    template = issuing.default_template()
    template.signer_title = "KT. CHỦ TỊCH\r\nPHÓ CHỦ TỊCH THƯỜNG TRỰC"  # as a textarea posts it
    template.save()
    with django_capture_on_commit_callbacks(execute=True):
        record = pass_course(learner_officer)
    lines = [line.strip() for line in pdf_text(record.certificates.get()).splitlines()]
    assert "KT. CHỦ TỊCH" in lines and "PHÓ CHỦ TỊCH THƯỜNG TRỰC" in lines
    assert lines[0].endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")  # the heading reads first
    assert lines[1] == "Độc lập - Tự do - Hạnh phúc"


def _words(pdf: bytes, tmp_path) -> list[tuple[str, float, float]]:
    """(word, top, bottom) of every word on the page, read back by poppler's pdftotext."""
    import html
    import re

    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(["pdftotext", "-bbox", str(tmp_path / "c.pdf"), str(tmp_path / "c.html")], check=True)
    pattern = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>')
    found = pattern.findall((tmp_path / "c.html").read_text(encoding="utf-8"))
    return [(unicodedata.normalize("NFC", html.unescape(w)), float(t), float(b)) for t, b, w in found]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_the_longest_name_unit_and_title_stay_on_one_page_above_the_signature(issued, orientation, tmp_path):
    from certificates.models import Certificate

    def longest(field, text):
        limit = Certificate._meta.get_field(field).max_length
        return (text * (limit // len(text) + 1))[:limit].rstrip() + "Cuối"

    issued.full_name = longest("full_name", "Tôn Nữ Hoàng Thị Phương Khuê ")[-120:]
    issued.unit_name = longest("unit_name", "Công đoàn cơ sở Công ty Điện tử Thăng Long ")
    issued.training_title = longest("training_title", "Bồi dưỡng kỹ năng tuyên truyền miệng ")
    issued.issuer_name = "Công đoàn Tổng Công ty Đầu tư và Phát triển Nhà Hà Nội thuộc Liên đoàn Lao động"
    issued.issuer_code, issued.number = "CDCS-TONGCTY-DAUTU-PHATTRIEN-NHA", 12345  # 32 characters
    issued.template.orientation = orientation
    issued.template.closing_text = longest("training_title", "Có giá trị trong toàn hệ thống Công đoàn ")
    pdf = rendering.render_certificate(issued)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    words = _words(pdf, tmp_path)
    text_bottom = max(bottom for word, _top, bottom in words if word.endswith("Cuối"))
    assert sum(word.endswith("Cuối") for word, _top, _bottom in words) == 4  # nothing cut off
    place_top = min(top for word, top, _bottom in words if word == "Hà")  # "Hà Nội, ngày …"
    qr_left, qr_top, qr_right, qr_bottom = _qr_box(pdf, tmp_path)
    assert text_bottom < place_top and text_bottom < qr_top
    # The verification code is printed beside the QR code, on its right.
    code = [(top, bottom) for word, top, bottom in words if word == issued.verification_code_display]
    assert len(code) == 1 and qr_top <= code[0][0] and code[0][1] <= qr_bottom
    (code_left,) = [left for word, left in _lefts(tmp_path) if word == issued.verification_code_display]
    assert code_left > qr_right
    # The column beside the QR code (code, address, number — wrapped when long) has no line
    # over another, and the whole number is printed.
    column = [
        (word, top, bottom)
        for (word, top, bottom), (_word, left) in zip(words, _lefts(tmp_path), strict=True)
        if qr_right < left < qr_right + 200 and top >= qr_top - 2
    ]
    lines = sorted({(top, bottom) for _word, top, bottom in column})
    assert all(top >= above_bottom - 0.5 for (_t, above_bottom), (top, _b) in itertools.pairwise(lines))
    number = "".join(word for word, _top, _bottom in column)
    assert "Số:12345/2026/GCN-CDCS-TONGCTY-DAUTU-PHATTRIEN-NHA" in number


def _lefts(tmp_path) -> list[tuple[str, float]]:
    """(word, left) of every word of the page _words last read."""
    import html
    import re

    pattern = re.compile(r'<word xMin="([\d.]+)" [^>]*>([^<]*)</word>')
    found = pattern.findall((tmp_path / "c.html").read_text(encoding="utf-8"))
    return [(unicodedata.normalize("NFC", html.unescape(w)), float(left)) for left, w in found]


def _qr_box(pdf: bytes, tmp_path) -> tuple[float, float, float, float]:
    """Left, top, right, bottom of the QR code found on the page (in points), by zxing-cpp."""
    (tmp_path / "q.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "144", "-png", "-singlefile", str(tmp_path / "q.pdf"), str(tmp_path / "q")],
        check=True,
    )
    (found,) = zxingcpp.read_barcodes(Image.open(tmp_path / "q.png"))
    corners = [
        found.position.top_left,
        found.position.top_right,
        found.position.bottom_left,
        found.position.bottom_right,
    ]
    xs, ys = [p.x / 2 for p in corners], [p.y / 2 for p in corners]  # 144 dpi: 2 px a point
    return min(xs), min(ys), max(xs), max(ys)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("closing", ["", "Giấy chứng nhận có giá trị trong toàn hệ thống Công đoàn."])
def test_the_lines_are_spread_over_the_page_without_an_empty_band(issued, orientation, closing, tmp_path):
    # A short certificate is not packed at the top with a bare band above the signature: the
    # room left is shared out above the title, between the groups of lines and above the foot.
    issued.template.orientation = orientation
    issued.template.closing_text = closing
    pdf = rendering.render_certificate(issued)
    height = float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height)
    lines = sorted({(top, bottom) for _word, top, bottom in _words(pdf, tmp_path)})
    reach, widest = lines[0][1], 0.0
    for top, bottom in lines[1:]:
        widest = max(widest, top - reach)
        reach = max(reach, bottom)
    assert widest < 0.12 * height
    title_top = min(top for word, top, _bottom in _words(pdf, tmp_path) if word == "CHỨNG")
    assert title_top < 0.35 * height  # the title stays in the upper part of the page


def test_a_short_certificate_keeps_the_full_size_type(issued):
    html = rendering.certificate_html(issued)
    assert "fit-" not in html
    document = rendering.layout(
        html, {rendering.QR_SRC.format(code=issued.verification_code): rendering.qr_image("x")}
    )
    assert rendering.fits(document)
