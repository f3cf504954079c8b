"""Vietnamese personal names: writing, splitting and sorting them the Vietnamese way.

A Vietnamese name is written family, middle, given ("Nguyễn Văn An"); lists of
people are sorted by given name first, then family name, then middle name, in
the Vietnamese alphabet (a ă â b c d đ e ê … o ô ơ … u ư …) with tones compared
only when the letters are equal (no tone, huyền, hỏi, ngã, sắc, nặng).
"""

import unicodedata
from functools import lru_cache

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_CODE = {letter: f"{index + 10:02d}" for index, letter in enumerate(ALPHABET)}
# Combining marks that are tones (the rest — breve, circumflex, horn — make letters).
_TONES = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_SPACE = "01"
_PART_SEPARATOR = "00"


def full_name(family: str, middle: str, given: str) -> str:
    """The name as it is written and shown: family, middle, given ("Nguyễn Thị Minh Khai"),
    skipping empty parts. The one place a name is joined: officers, import rows, snapshots,
    and accounts without an officer (``full_name(user.last_name, "", user.first_name)``)."""
    return " ".join(part for part in (family, middle, given) if part)


def split_full_name(full_name: str) -> tuple[str, str, str]:
    """Split "Nguyễn Thị Minh Khai" into ("Nguyễn", "Thị Minh", "Khai")."""
    words = full_name.split()
    if not words:
        return "", "", ""
    if len(words) == 1:
        return "", "", words[0]
    return words[0], " ".join(words[1:-1]), words[-1]


def _letters_and_tones(text: str) -> tuple[str, str]:
    primary, tones = [], []
    for char in unicodedata.normalize("NFD", text.lower().strip()):
        if char in _TONES:
            if tones:
                tones[-1] = _TONES[char]
            continue
        if char in _LETTER_MARKS:
            if primary:
                base = unicodedata.normalize("NFC", _last_letter(primary) + char)
                primary[-1] = _LETTER_CODE.get(base, primary[-1])
            continue
        if char.isspace():
            primary.append(_SPACE)
            tones.append("0")
        elif char in _LETTER_CODE:
            primary.append(_LETTER_CODE[char])
            tones.append("0")
        elif char.isdigit():
            primary.append("02")  # digits are rare in names; they sort before letters
            tones.append("0")
        elif unicodedata.category(char).startswith("L"):
            primary.append("99")
            tones.append("0")
    return "".join(primary), "".join(tones)


_CODE_LETTER = {code: letter for letter, code in _LETTER_CODE.items()}


def _last_letter(primary: list[str]) -> str:
    return _CODE_LETTER.get(primary[-1], "")


def name_sort_key(family: str, middle: str, given: str) -> str:
    """A key that sorts people by given, family, then middle name, Vietnamese-aware.

    Made only of digits so it orders the same under any database collation.
    """
    parts = [_letters_and_tones(part) for part in (given, family, middle)]
    letters = _PART_SEPARATOR.join(primary for primary, _tones in parts)
    tones = "".join(tones for _primary, tones in parts)
    return f"{letters}{_PART_SEPARATOR}{_PART_SEPARATOR}{tones}"


@lru_cache(maxsize=4096)  # a database sort compares the same names many times
def text_sort_key(text: str) -> str:
    """A key that orders any text (a unit's name) in the Vietnamese alphabet, tones breaking ties."""
    letters, tones = _letters_and_tones(text)
    return f"{letters}{_PART_SEPARATOR}{tones}"
