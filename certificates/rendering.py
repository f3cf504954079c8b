"""Render a certificate to PDF with WeasyPrint.

Speed matters (a city issues thousands a year, and a bulk reissue renders them all), so,
each measured (bench/README.md): one ``FontConfiguration`` and one parsed stylesheet per
process (a new font configuration per render also leaks ~0.3 MiB); a page of few boxes
(certificate.css says how); a minimal user-agent stylesheet instead of WeasyPrint's HTML5
one; template images decoded and encoded once per process; the QR code as a one-bit image
built from its matrix, its mask chosen fast (qr.py); fonts bundled under
``static/certificates/fonts``, static and subset to Latin + Vietnamese, so the output does
not depend on the machine.
"""

import atexit
import contextlib
import functools
import gc
import hashlib
import io
import os
import threading
import time
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils import translation

from . import qr

STATIC_DIR = Path(__file__).resolve().parent / "static" / "certificates"
FONTS_DIR = STATIC_DIR / "fonts"
STYLESHEET = STATIC_DIR / "pdf" / "certificate.css"
USER_AGENT_STYLESHEET = STATIC_DIR / "pdf" / "user-agent.css"

# Only tests set these: a render that takes this many seconds, and a file touched when it
# starts, so a test can kill the worker mid-render.
SLOW_RENDER_ENV = "LMS_TEST_SLOW_CERTIFICATE_RENDER"
RENDER_STARTED_ENV = "LMS_TEST_CERTIFICATE_RENDER_STARTED"

_lock = threading.Lock()
_shared: dict = {}
# Drop the font configuration before interpreter teardown, while its finaliser can still run.
atexit.register(_shared.clear)


def font_faces_css() -> str:
    """@font-face rules for the bundled OFL fonts (regular, bold and their italics)."""
    faces = [
        ("Be Vietnam Pro", "normal", "normal", "BeVietnamPro-Regular.ttf"),
        ("Be Vietnam Pro", "italic", "normal", "BeVietnamPro-Italic.ttf"),
        ("Be Vietnam Pro", "normal", "bold", "BeVietnamPro-Bold.ttf"),
        ("Be Vietnam Pro", "italic", "bold", "BeVietnamPro-BoldItalic.ttf"),
        ("Noto Serif", "normal", "bold", "NotoSerif-Bold.ttf"),
        ("Noto Serif", "italic", "bold", "NotoSerif-BoldItalic.ttf"),
    ]
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; font-style: {style}; font-weight: {weight}; '
        f'src: url("{(FONTS_DIR / filename).as_uri()}"); }}'
        for family, style, weight, filename in faces
    )


def shared_resources():
    """The process-wide FontConfiguration and parsed stylesheet, built once."""
    with _lock:
        if not _shared:
            from weasyprint import CSS, HTML
            from weasyprint.text.fonts import FontConfiguration

            font_config = FontConfiguration()
            css = CSS(
                string=font_faces_css() + "\n" + STYLESHEET.read_text(encoding="utf-8"),
                font_config=font_config,
                base_url=str(STATIC_DIR),
            )
            user_agent_css = CSS(string=USER_AGENT_STYLESHEET.read_text(encoding="utf-8"))

            class CertificateHTML(HTML):
                """A certificate page: styled by user-agent.css, not WeasyPrint's HTML5 sheet."""

                def _ua_stylesheets(self, forms=False):
                    return [user_agent_css]

            _shared.update(font_config=font_config, css=css, html_class=CertificateHTML)
        return _shared["font_config"], _shared["css"]


# Template images (seal, signature, background) decoded and turned into PDF image objects once
# per process, keyed by URI (which carries the file's content hash); the few most recent kept.
MAX_TEMPLATE_IMAGES = 16
_template_images: OrderedDict = OrderedDict()


@functools.cache
def _reused_image_class():
    """A WeasyPrint raster image whose PDF image data is encoded once, not on every render.

    WeasyPrint (70) re-encodes a PNG with transparency into two compressed streams (colour
    and alpha mask) for every document it is drawn in, ~3 ms per image; this keeps the
    encoded streams and hands each document fresh PDF objects around them.
    """
    import pydyf
    from weasyprint.images import RasterImage

    class ReusedRasterImage(RasterImage):
        def get_x_object(self, interpolate, dpi_ratio):
            key = (interpolate, dpi_ratio)
            parts = self.__dict__.setdefault("_x_object_parts", {})
            if key not in parts:
                x_object = super().get_x_object(interpolate, dpi_ratio)
                mask = x_object.extra.get("SMask")
                parts[key] = (
                    x_object.stream,
                    dict(x_object.extra),
                    (mask.stream, dict(mask.extra)) if mask is not None else None,
                )
            stream, extra, mask = parts[key]
            extra = pydyf.Dictionary(extra)
            if mask is not None:
                extra["SMask"] = pydyf.Stream(mask[0], pydyf.Dictionary(mask[1]))
            return pydyf.Stream(stream, extra)

    return ReusedRasterImage


def _template_image(uri: str, path: Path, title: str = ""):
    """The decoded image for a template image URI.

    A file that cannot be decoded (damaged, or a format Pillow does not read) is an error,
    as a missing one is (``_image_file``): WeasyPrint would only log it and leave the image
    out, and an issued certificate is never rendered again."""
    with _lock:
        if (image := _template_images.get(uri)) is not None:
            _template_images.move_to_end(uri)
            return image
    from PIL import Image, UnidentifiedImageError
    from weasyprint import DEFAULT_OPTIONS

    data = path.read_bytes()
    try:
        # verify() first: WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES, under which load()
        # takes a cut-off PNG without complaint (verify checks its chunks; a no-op for JPEG).
        Image.open(io.BytesIO(data)).verify()
        pillow_image = Image.open(io.BytesIO(data))
        pillow_image.load()
    except (UnidentifiedImageError, OSError, ValueError) as error:
        raise TemplateImageMissing(f"image {title} ({path.name}) cannot be decoded: {error}") from error
    image_id = hashlib.md5(uri.encode(), usedforsecurity=False).hexdigest()
    image = _reused_image_class()(pillow_image, image_id, data, None, {}, "from-image", DEFAULT_OPTIONS)
    with _lock:
        _template_images[uri] = image
        while len(_template_images) > MAX_TEMPLATE_IMAGES:
            _template_images.popitem(last=False)
    return image


# The QR code's <img src>: not fetched, but found in the image cache render_certificate hands
# WeasyPrint, where it is put already built.
QR_SRC = "certificate-qr:{code}"
_WHITE_BITS = bytes.maketrans(b"\x00\x01", b"10")  # 1-bit DeviceGray: 1 is white
QUIET_ZONE = 4  # modules


@functools.cache
def _qr_image_class():
    """A QR code as a WeasyPrint image: its PDF image object is the matrix itself, one bit per
    module (~150 bytes), drawn scaled up without interpolation (``image-rendering: pixelated``)
    so it stays sharp. WeasyPrint would otherwise take a PNG (or parse an SVG path, ~10 ms)
    and decode and re-encode it through Pillow on every render."""
    import pydyf
    from PIL import Image
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.images import RasterImage

    class QRCodeImage(RasterImage):
        def __init__(self, matrix, image_id: str):
            # The quiet zone (four light modules all round) is in the image, so a template's
            # background never runs up to the code.
            size = len(matrix) + 2 * QUIET_ZONE
            placeholder = Image.new("L", (size, size))  # only its size is used
            placeholder.format = "PNG"  # so RasterImage keeps the (empty) data, encoding nothing
            super().__init__(placeholder, image_id, b"", None, {}, "none", DEFAULT_OPTIONS)
            pad = -size % 8  # each row is padded to whole bytes
            light = (1 << QUIET_ZONE) - 1
            row_bytes = (size + pad) // 8
            blank = ((1 << (size + pad)) - 1).to_bytes(row_bytes, "big")
            self._bits = b"".join(
                [blank] * QUIET_ZONE
                + [
                    (
                        (((light << len(row)) | int(row.translate(_WHITE_BITS), 2)) << (QUIET_ZONE + pad))
                        | ((1 << (QUIET_ZONE + pad)) - 1)
                    ).to_bytes(row_bytes, "big")
                    for row in matrix
                ]
                + [blank] * QUIET_ZONE
            )

        def get_x_object(self, interpolate, dpi_ratio):
            extra = {"Type": "/XObject", "Subtype": "/Image", "Width": self.width, "Height": self.height}
            extra |= {"ColorSpace": "/DeviceGray", "BitsPerComponent": 1}
            extra["Interpolate"] = "true" if interpolate else "false"
            return pydyf.Stream([self._bits], pydyf.Dictionary(extra))

    return QRCodeImage


def qr_image(url: str):
    """The QR code for ``url`` (error correction M) as a WeasyPrint image."""
    return _qr_image_class()(qr.make(url, error="m").matrix, image_id="qr")


class TemplateImageMissing(FileNotFoundError):
    """A template's seal, signature or background image cannot be read by this worker."""


def _image_file(image) -> tuple[str, Path | None]:
    """A template image's file:// URI and path; ("", None) when the template has none.

    An image the template names but this process cannot read (its file deleted, or
    MEDIA_ROOT not shared with this worker, or a storage without local paths) is an
    error, not a blank: a certificate is rendered once and never again, so rendering it
    without its seal would be permanent. The render fails, is retried, and ends in the
    visible failed state.
    """
    if image is None:
        return "", None
    try:
        path = Path(image.file.path)
    except (NotImplementedError, ValueError) as error:
        raise TemplateImageMissing(f"image {image.pk} ({image.title}) has no local file: {error}") from error
    if not path.is_file():
        raise TemplateImageMissing(f"image {image.pk} ({image.title}) is missing its file {path}")
    # The fragment keys the per-process image cache by content, so a replaced file stored
    # under the same name is never served from the cache.
    return f"{path.as_uri()}#{image.file_hash or image.file_size or ''}", path


def _template_files(template) -> dict[str, tuple[str, Path | None]]:
    return {
        name: _image_file(getattr(template, f"{name}_image")) for name in ("signature", "seal", "background")
    }


def verification_address() -> str:
    """Where a code can be typed in, as printed beside the QR code: host and path, no scheme."""
    from django.conf import settings
    from django.urls import reverse

    url = urlsplit(settings.SITE_URL.rstrip("/") + reverse("verify:form"))
    return url.netloc + url.path


def certificate_html(certificate, files=None, fit: int = 0) -> str:
    """The certificate's HTML, from its snapshot fields and its template (escaped); ``fit``
    picks a tighter set of sizes for long names, units and titles (certificate.css)."""
    template = certificate.template
    files = files or _template_files(template)
    with translation.override("vi"):
        return render_to_string(
            "certificates/pdf/certificate.html",
            {
                "c": certificate,
                "t": template,
                "fit": fit,
                "qr_src": QR_SRC.format(code=certificate.verification_code),
                "verify_at": verification_address(),
                "signature_uri": files["signature"][0],
                "seal_uri": files["seal"][0],
                "background_uri": files["background"][0],
            },
        )


def layout(html: str, images: dict | None = None, certificate_page: bool = True):
    """``html`` laid out by WeasyPrint (a ``Document``); ``images`` maps image URIs to already
    decoded images.

    The image cache handed to WeasyPrint is new for every render (so the QR codes never
    pile up in a long-lived worker), pre-filled with the template images and the QR code.
    On a certificate page anything that still has to be fetched and cannot be (say, a QR
    code nobody built) stops the render: WeasyPrint would leave it out, and an issued
    certificate is never rendered again. ``certificate_page=False`` is plain WeasyPrint.
    """
    from weasyprint import HTML

    font_config, css = shared_resources()
    if certificate_page:
        document = _shared["html_class"](string=html, base_url=str(STATIC_DIR), url_fetcher=_url_fetcher())
    else:
        document = HTML(string=html, base_url=str(STATIC_DIR))
    return document.render(stylesheets=[css], font_config=font_config, cache=dict(images or {}))


def render_html(html: str, images: dict | None = None, certificate_page: bool = True) -> bytes:
    """``html`` as PDF bytes (see ``layout``)."""
    return layout(html, images, certificate_page).write_pdf()


# Tighter sets of sizes in certificate.css (.fit-1 …), tried in turn until the text fits.
FIT_STEPS = 3
# Room kept between the last line of text and the blocks at the foot (QR code, signature).
FOOT_GAP_PX = 4 * 96 / 25.4


def fits(document) -> bool:
    """Whether the laid-out certificate is one page whose text (its paragraphs) ends above the
    QR code and the signature block (both placed at the foot of the page, out of the flow)."""
    if len(document.pages) != 1:
        return False
    text_bottom, foot_top = 0.0, float("inf")
    for box in document.pages[0]._page_box.descendants():
        if (element := getattr(box, "element", None)) is None:
            continue
        if element.tag == "p":
            text_bottom = max(text_bottom, box.position_y + box.margin_height())
        elif {"qr", "sign"} & set((element.get("class") or "").split()):
            foot_top = min(foot_top, box.position_y)
    return text_bottom + FOOT_GAP_PX <= foot_top


# Where spread() opens the room left on the page: above the title, each group of lines (the
# recipient, the training, the closing wording) and the foot.
GROUP_STARTS = {"h1", "label", "closing"}


def spread(document) -> None:
    """Share out the room left between the text and the foot of a one-page certificate, so
    the lines sit spread over the page as on a printed certificate, not packed at the top.

    The room is split evenly above the title, before each group of lines and above the
    foot; the laid-out boxes are moved down in place (no second layout, ~0.1 ms).
    """
    body = document.pages[0]._page_box.children[0].children[0]
    flow, foot_top = [], float("inf")
    for box in body.children:
        if box.is_absolutely_positioned():
            foot_top = min(foot_top, box.position_y)
        elif box.element is not None and box.element.tag != "body":
            flow.append(box)
    if not flow:
        return
    room = foot_top - FOOT_GAP_PX - (flow[-1].position_y + flow[-1].margin_height())
    starts = [
        index
        for index, box in enumerate(flow)
        if {box.element.tag, *(box.element.get("class") or "").split()} & GROUP_STARTS
    ]
    if room <= 0 or not starts:
        return
    share, shift = room / (len(starts) + 1), 0.0
    for index, box in enumerate(flow):
        if index in starts:
            shift += share
        box.translate(dy=shift)


_thread = threading.local()


def _url_fetcher():
    """This thread's URL fetcher for certificate pages (one per thread: it keeps state)."""
    if (fetcher := getattr(_thread, "url_fetcher", None)) is None:
        from weasyprint.urls import URLFetcher

        fetcher = _thread.url_fetcher = URLFetcher(fail_on_errors=True)
    return fetcher


# Issued PDFs are archival records: PDF/A-3b, with the signed Open Badges credential attached.
PDF_VARIANT = "pdf/a-3b"


def credential_attachment(certificate, credential_jwt: str):
    """The signed credential as a file attached to the PDF (relationship "Data": the PDF is
    a rendering of it), dated by the certificate so nothing in it depends on the render."""
    from weasyprint import Attachment

    moment = certificate.created_at
    return Attachment(
        string=credential_jwt,
        name=f"openbadge-{certificate.verification_code_display}.jwt",
        description="Open Badges 3.0 (VC-JWT, EdDSA)",
        created=moment,
        modified=moment,
        relationship="Data",
    )


def render_certificate(certificate, credential_jwt: str = "") -> bytes:
    """The certificate's PDF as bytes. Pure: reads the certificate, writes nothing.

    With ``credential_jwt`` (every issue since Open Badges credentials), a PDF/A-3b with the
    signed credential attached; without (the template preview), a plain PDF."""
    if started := os.environ.get(RENDER_STARTED_ENV):
        Path(started).touch()
    if delay := float(os.environ.get(SLOW_RENDER_ENV) or 0):
        time.sleep(delay)
    # The collection ending the pause must find the document unreachable: run inside the function
    # that built it, its locals held the document, which survived into a generation never
    # collected while renders ran back to back (a worker's RSS +140 MiB over 1,000 renders).
    with collector_paused():
        return _render_pdf(certificate, credential_jwt)


def _render_pdf(certificate, credential_jwt: str) -> bytes:
    files = _template_files(certificate.template)
    template = certificate.template
    images = {
        uri: _template_image(uri, path, getattr(template, f"{name}_image").title)
        for name, (uri, path) in files.items()
        if uri
    }
    qr_src = QR_SRC.format(code=certificate.verification_code)
    images[qr_src] = qr_image(certificate.verification_url())
    # Most certificates fit at once; long names, units or titles get smaller type, so
    # nothing runs into the signature or onto a second page.
    for fit in range(FIT_STEPS + 1):
        document = layout(certificate_html(certificate, files, fit), images)
        if fits(document):
            spread(document)
            break
    if not credential_jwt:
        return document.write_pdf()
    return document.write_pdf(
        pdf_variant=PDF_VARIANT, attachments=[credential_attachment(certificate, credential_jwt)]
    )


def render_sample(template) -> bytes:
    """A made-up certificate (number 0, sample name, unit and training) on ``template``, which
    may be unsaved: the PDF the snippet admin's preview shows. Nothing is stored."""
    from datetime import date

    from django.utils import timezone

    from organizations.models import Unit, UnitLevel

    from .models import Certificate
    from .numbering import CITY_ISSUER_CODE

    today = timezone.localdate()
    city = Unit.objects.filter(level=UnitLevel.CITY).values_list("name", flat=True).first()
    sample = Certificate(
        template=template,
        issuer_code=CITY_ISSUER_CODE,
        issuer_name=city or "Liên đoàn Lao động thành phố Hà Nội",
        year=today.year,
        number=0,
        verification_code="GCN0XEM0TRC00000",  # printed GCN0-XEM0-TRC0-0000
        issued_on=today,
        full_name="Nguyễn Thị Mẫu",
        date_of_birth=date(1990, 1, 1),
        unit_name="Công đoàn cơ sở (đơn vị mẫu)",
        training_title="Bồi dưỡng nghiệp vụ công tác tuyên truyền (khóa học mẫu)",
        training_start=today,
        training_end=today,
        hours=8,
    )
    return render_certificate(sample)


_collector = {"pausers": 0, "resume": False}
_collector_lock = threading.Lock()


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector for a render, then collect what it left.

    WeasyPrint's document (and the HTML parser's tree) is full of reference cycles: boxes,
    styles, text layouts holding Pango's C memory. A render allocates ~100k objects, so with
    the collector running the live document is promoted to the oldest generation during the
    render, and once it is garbage it waits there for a full collection (~150 ms, every few
    hundred renders in a worker): RSS climbed 10-17 MiB over 1,000-2,000 renders. Paused,
    all the render allocated stays in the youngest generation, and collecting just that one
    afterwards frees the document at once: RSS stays flat, and renders take the same time.
    Nesting and threads are counted; the collector resumes when the last render ends, if
    it was on.
    """
    with _collector_lock:
        if _collector["pausers"] == 0:
            _collector["resume"] = gc.isenabled()
            gc.disable()
        _collector["pausers"] += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector["pausers"] -= 1
            if _collector["pausers"] == 0 and _collector["resume"]:
                gc.enable()
        gc.collect(0)


def render_floor(certificate_page: bool = False) -> bytes:
    """The benchmark floor: a one-page WeasyPrint render with the same fonts and one line of
    text (with WeasyPrint's own user-agent stylesheet unless ``certificate_page``)."""
    return render_html('<html lang="vi"><body><p>Giấy chứng nhận</p></body></html>', None, certificate_page)
