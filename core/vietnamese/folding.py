"""Search folding: how a search box compares Vietnamese text, with or without diacritics."""

import unicodedata


def fold(text: str) -> str:
    """``text`` as a search box compares it: lower case, without tones or letter marks, đ as d,
    single spaces ("Nguyễn  Văn Ân" → "nguyen van an").

    Both the stored search column and the query go through it, so an unaccented query finds the
    accented name; the price is that "Hùng" also finds "Hưng", as any unaccented search does.
    """
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
