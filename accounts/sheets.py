"""Activation sheets: one A4 PDF of cut-out cards, one per officer without an account.

Each card holds the officer's name and unit, a QR code of their activation link, the code in
groups, its expiry date and two lines on how to use it. Rendered with WeasyPrint and the same
bundled OFL font as certificates (from the ``fontpkg-be-vietnam-pro`` package, so the PDF does
not depend on the machine); one ``FontConfiguration`` per process (a new one per render leaks).
The QR codes are small one-bit PNGs made by segno, handed to WeasyPrint as data URIs.
"""

import atexit
import threading
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

from .activation import IssuedCode, activation_address

COLUMNS, ROWS = 2, 4  # cards a page: sheet.css sizes them for A4
_lock = threading.Lock()
_shared: dict = {}
# Drop the font configuration before interpreter teardown, while its finaliser can still run.
atexit.register(_shared.clear)


def _font_dir() -> Path:
    import fontpkg_be_vietnam_pro

    return Path(fontpkg_be_vietnam_pro.__file__).resolve().parent / "files"


def _font_faces_css() -> str:
    folder = _font_dir()
    faces = [("normal", "BeVietnamPro-Regular.ttf"), ("bold", "BeVietnamPro-Bold.ttf")]
    return "\n".join(
        f'@font-face {{ font-family: "Be Vietnam Pro"; font-weight: {weight}; '
        f'src: url("{(folder / name).as_uri()}"); }}'
        for weight, name in faces
    )


def _resources():
    with _lock:
        if not _shared:
            from weasyprint import CSS
            from weasyprint.text.fonts import FontConfiguration

            font_config = FontConfiguration()
            stylesheet = Path(__file__).resolve().parent / "static" / "accounts" / "pdf" / "sheet.css"
            css = CSS(
                string=_font_faces_css() + "\n" + stylesheet.read_text(encoding="utf-8"),
                font_config=font_config,
            )
            _shared.update(font_config=font_config, css=css)
        return _shared["font_config"], _shared["css"]


def qr_data_uri(url: str) -> str:
    import segno

    # A fixed data mask: any of the eight is valid, and scoring all eight (segno's default) takes
    # ~15 ms a code in Python, most of a large sheet's time.
    return segno.make(url, error="m", mask=0).png_data_uri(scale=1, border=4)


def sheet_html(issued: list[IssuedCode]) -> str:
    cards = [
        {
            "name": item.officer.full_name,
            "unit": item.officer.unit.name,
            "code": item.display,
            "url": item.url,
            "qr": qr_data_uri(item.url),
            "expires_at": item.expires_at,
        }
        for item in issued
    ]
    rows = [
        cards[i : i + COLUMNS] + [None] * (COLUMNS - len(cards[i : i + COLUMNS]))
        for i in range(0, len(cards), COLUMNS)
    ]
    pages = [rows[i : i + ROWS] for i in range(0, len(rows), ROWS)]
    with translation.override("vi"):
        return render_to_string(
            "accounts/activation/sheet.html", {"pages": pages, "address": activation_address()}
        )


CHUNK = 96  # cards laid out at a time by a background build: 12 pages, then progress is reported


def render_sheet(issued: list[IssuedCode], progress=None) -> bytes:
    """The activation sheet for the codes just made, as PDF bytes. Writes nothing.

    Laid out in chunks of whole pages, joined into one PDF; ``progress(done)`` is called with
    the number of cards laid out after each chunk."""
    from weasyprint import HTML

    font_config, css = _resources()
    documents = []
    for start in range(0, len(issued), CHUNK):
        chunk = issued[start : start + CHUNK]
        documents.append(HTML(string=sheet_html(chunk)).render(stylesheets=[css], font_config=font_config))
        if progress is not None:
            progress(start + len(chunk))
    if not documents:
        return b""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()
