"""Render a certificate to PDF with WeasyPrint.

Speed matters (a city issues thousands a year, and a bulk reissue renders them
all), so: one ``FontConfiguration`` and one parsed stylesheet per process (a new
font configuration per render also leaks ~0.3 MiB), table/block layout rather
than flex, the QR code as a compact inline SVG path, and fonts bundled under
``static/certificates/fonts`` so the output does not depend on the machine.
"""

import atexit
import os
import threading
import time
from pathlib import Path

import segno
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

STATIC_DIR = Path(__file__).resolve().parent / "static" / "certificates"
FONTS_DIR = STATIC_DIR / "fonts"
STYLESHEET = STATIC_DIR / "pdf" / "certificate.css"

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
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            font_config = FontConfiguration()
            css = CSS(
                string=font_faces_css() + "\n" + STYLESHEET.read_text(encoding="utf-8"),
                font_config=font_config,
                base_url=str(STATIC_DIR),
            )
            # Decoded template images (seal, signature, background), reused across renders.
            _shared.update(font_config=font_config, css=css, image_cache={})
        return _shared["font_config"], _shared["css"]


def qr_svg(url: str) -> str:
    """An inline SVG QR code (one path, no XML declaration) for ``url``."""
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=1, border=0, dark="#000", omitsize=True)


class TemplateImageMissing(FileNotFoundError):
    """A template's seal, signature or background image cannot be read by this worker."""


def _image_uri(image) -> str:
    """A file:// URI of a template image; "" when the template has none.

    An image the template names but this process cannot read (its file deleted, or
    MEDIA_ROOT not shared with this worker, or a storage without local paths) is an
    error, not a blank: a certificate is rendered once and never again, so rendering it
    without its seal would be permanent. The render fails, is retried, and ends in the
    visible failed state.
    """
    if image is None:
        return ""
    try:
        path = Path(image.file.path)
    except (NotImplementedError, ValueError) as error:
        raise TemplateImageMissing(f"image {image.pk} ({image.title}) has no local file: {error}") from error
    if not path.is_file():
        raise TemplateImageMissing(f"image {image.pk} ({image.title}) is missing its file {path}")
    uri = path.as_uri()
    # The fragment keys WeasyPrint's per-process image cache by content, so a replaced file
    # stored under the same name is never served from the cache.
    return f"{uri}#{image.file_hash or image.file_size or ''}"


def certificate_html(certificate) -> str:
    """The certificate's HTML, from its snapshot fields and its template (escaped)."""
    template = certificate.template
    with translation.override("vi"):
        return render_to_string(
            "certificates/pdf/certificate.html",
            {
                "c": certificate,
                "t": template,
                "qr": mark_safe(qr_svg(certificate.verification_url())),  # noqa: S308 — segno's own SVG
                "signature_uri": _image_uri(template.signature_image),
                "seal_uri": _image_uri(template.seal_image),
                "background_uri": _image_uri(template.background_image),
            },
        )


def render_html(html: str, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    font_config, css = shared_resources()
    return HTML(string=html, base_url=base_url or str(STATIC_DIR)).write_pdf(
        stylesheets=[css], font_config=font_config, cache=_shared["image_cache"]
    )


def render_certificate(certificate) -> bytes:
    """The certificate's PDF as bytes. Pure: reads the certificate, writes nothing."""
    if started := os.environ.get(RENDER_STARTED_ENV):
        Path(started).touch()
    if delay := float(os.environ.get(SLOW_RENDER_ENV) or 0):
        time.sleep(delay)
    return render_html(certificate_html(certificate))


def render_floor() -> bytes:
    """The benchmark floor: a one-page render with the same fonts and one line of text."""
    return render_html('<html lang="vi"><body><p>Giấy chứng nhận</p></body></html>')
