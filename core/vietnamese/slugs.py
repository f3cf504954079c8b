"""Slugs for Vietnamese titles: plain ASCII, the way people type a web address.

"Chụp ảnh bằng điện thoại" → ``chup-anh-bang-dien-thoai``. Tone marks and the breve, circumflex
and horn are dropped, and đ/Đ become d/D: Django's ``slugify`` and Wagtail's own slug script
(``WAGTAIL_ALLOW_UNICODE_SLUGS = False``) drop đ altogether ("điện" → "ien"), and Wagtail's
script also drops precomposed letters such as ụ and ả ("chp-nh"). The same letter table serves
the server (``ascii_slug``) and the admin's slug field in the browser (``SLUG_FORMATTERS``, the
regular expressions Wagtail's ``w-slug`` controller applies before it makes a slug), so what an
editor sees while typing is what the server would make.
"""

import re
import unicodedata

from django.utils.text import slugify

# Every precomposed Vietnamese vowel, lower and upper case, and đ/Đ.
_VIETNAMESE_LETTERS = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_VIETNAMESE_LETTERS += _VIETNAMESE_LETTERS.upper()


def _base_letter(letter: str) -> str:
    if letter in "đĐ":
        return "d" if letter == "đ" else "D"
    return unicodedata.normalize("NFD", letter)[0]


def _letters_by_base() -> dict[str, str]:
    groups: dict[str, str] = {}
    for letter in _VIETNAMESE_LETTERS:
        groups[_base_letter(letter)] = groups.get(_base_letter(letter), "") + letter
    return groups


_ASCII = str.maketrans({letter: _base_letter(letter) for letter in _VIETNAMESE_LETTERS})

# For wagtail.admin.widgets.SlugInput(formatters=...): one character class per plain letter.
SLUG_FORMATTERS = [(f"[{letters}]", base) for base, letters in sorted(_letters_by_base().items())]


def to_ascii(text: str) -> str:
    """Vietnamese text without its marks: "Đường phố" → "Duong pho". Other scripts' marks go too."""
    text = unicodedata.normalize("NFC", text).translate(_ASCII)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def ascii_slug(text: str) -> str:
    """A lower-case ASCII slug of ``text``: letters, digits and single hyphens.

    Idempotent (a slug stays itself); empty when nothing in ``text`` is a letter or a digit.
    """
    return re.sub(r"-{2,}", "-", slugify(to_ascii(text)).replace("_", "-")).strip("-")
