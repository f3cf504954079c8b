"""Verification codes that people can read off paper and type in.

A new code is 16 symbols of Crockford's base32 — the digits and the capital letters without
I, L, O and U, so no two symbols look alike in the certificate's font — drawn with
``secrets``: 80 random bits. It is stored canonical (capitals, no dashes) and printed in
groups of four: ``7KQ2-M9XD-4TGH-B1ZC``.

What people type is read leniently: any case, spaces and dashes anywhere, ``I`` and ``L``
read as ``1`` and ``O`` as ``0`` (Crockford's rule). ``U`` is not a symbol, so a code with
one is no new code.

Codes from before (16 characters of URL-safe base64, case-sensitive, possibly with ``-``
and ``_``) are printed on PDFs that never change: they stay as stored and are still found
by their exact text.
"""

import re
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: 5 bits a symbol
SYMBOLS = 16  # 80 bits
GROUP = 4
# Longer input is not a code of either kind; it is refused before the database is asked.
LONGEST_TYPED = 64

_CANONICAL = re.compile(f"[{ALPHABET}]{{{SYMBOLS}}}")
# Spaces of every kind and the dashes a PDF viewer or a word processor may turn "-" into.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0"})
# An older code: URL-safe base64, as secrets.token_urlsafe made them.
_OLD_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def new_code() -> str:
    """A fresh canonical code: 16 random Crockford base32 symbols (80 bits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))


def canonical(typed: str) -> str | None:
    """``typed`` as a canonical new code, or None if it cannot be one.

    ``"7kq2 m9xd-4tgh-blzc"`` gives ``"7KQ2M9XD4TGHB1ZC"``. Full-width letters and digits
    (some phone keyboards) count as their plain forms.
    """
    if len(typed) > LONGEST_TYPED:
        return None
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed)).upper().translate(_READ_AS)
    return text if _CANONICAL.fullmatch(text) else None


def lookup_candidates(typed: str) -> list[str]:
    """The stored codes ``typed`` may stand for, in order of preference: the canonical new
    code it reads as, then the exact text (an older code, matched case-sensitively)."""
    typed = typed.strip()
    candidates = []
    if (code := canonical(typed)) is not None:
        candidates.append(code)
    if typed not in candidates and is_old_shape(typed):
        candidates.append(typed)
    return candidates


def is_old_shape(text: str) -> bool:
    return bool(_OLD_SHAPE.fullmatch(text))


def display_code(code: str) -> str:
    """A stored code as printed: a canonical one in dash-joined groups of four, any other
    (an older code) unchanged."""
    if not _CANONICAL.fullmatch(code):
        return code
    return "-".join(code[start : start + GROUP] for start in range(0, SYMBOLS, GROUP))
