"""QR codes for certificates: exactly segno's, with the data mask chosen faster.

A QR code's data is XORed with one of eight mask patterns, and the standard (ISO/IEC 18004,
7.8.3) has the encoder keep the one with the lowest penalty (long runs, 2×2 blocks,
finder-like patterns, dark/light balance). segno scores each mask module by module in
Python: ~2.9 ms of a ~25 ms certificate render. Here the same scores are computed with a
few operations on all rows (and all columns) packed into one integer (~0.3 ms), and segno
builds everything else. The result is the very matrix ``segno.make(content, error=...)``
gives (tests compare them on many inputs); Micro QR codes (never a URL) are left to segno.
"""

import functools

import segno
from segno import encoder

_N3_PATTERN = "1011101"  # dark light dark dark dark light dark: looks like a finder pattern
_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")
_FROM_DIGITS = bytes.maketrans(b"01", b"\x00\x01")


def make(content: str, error: str = "m") -> segno.QRCode:
    """A QR code for ``content``: the same as ``segno.make(content, error=error)``."""
    code = encoder.encode(content, error, mask=0)
    if code.version < 1:  # a Micro QR code: segno's own way
        return segno.make(content, error=error)
    layout = _layout(code.version)
    # The matrix segno scores each mask against: unmasked, format cells cleared.
    rows = [int(row.translate(_TO_DIGITS), 2) for row in code.matrix]
    rows = (_pack(rows) & layout.keep) ^ layout.row_masks[0]
    columns = _pack(_transpose(_unpack(rows, layout.width), layout.width))
    scores = [
        _penalty(rows ^ layout.row_masks[number], columns ^ layout.column_masks[number], layout)
        for number in range(8)
    ]
    best = scores.index(min(scores))  # the first of equals, as segno
    if best != 0:
        width = layout.width
        matrix = tuple(
            bytearray(format(row, f"0{width}b").encode().translate(_FROM_DIGITS))
            for row in _unpack(rows ^ layout.row_masks[best], width)
        )
        # Restore what the scoring cleared: format information and the dark module.
        encoder.add_format_info(matrix, code.version, code.error, best)
        encoder.add_version_info(matrix, code.version)
        code = code._replace(matrix=matrix, mask=best)
    return segno.QRCode(code)


# All rows (or all columns) of the square symbol packed into one integer, a field each, first
# line highest: GAP zero bits, then the line's modules, leftmost highest. The zeros keep runs
# and patterns from spanning two lines (and, being >= 4, make the N3 look-around at a line's
# ends see light, as segno's does by stopping at the line's end).
GAP = 4


def _pack(lines: list[int]) -> int:
    width = len(lines)
    packed = 0
    for line in lines:
        packed = (packed << (width + GAP)) | line
    return packed


def _unpack(packed: int, width: int) -> list[int]:
    field, full = width + GAP, (1 << width) - 1
    return [(packed >> (field * (width - 1 - i))) & full for i in range(width)]


def _transpose(rows: list[int], width: int) -> list[int]:
    strings = [format(row, f"0{width}b") for row in rows]
    return [int("".join(string[j] for string in strings), 2) for j in range(width)]


class _Layout:
    """Per symbol version: which cells carry data, and the eight masks over them."""

    def __init__(self, version: int):
        self.width = width = encoder.calc_matrix_size(version)
        function = encoder.make_matrix(width, width)
        encoder.add_finder_patterns(function, width, width)
        encoder.add_alignment_patterns(function, width, width)
        function[-8][8] = 0x1  # the dark module
        # make_matrix leaves the format and version cells 0x0 (and the light timing cells,
        # which are 0 in every matrix anyway): those are cleared before scoring.
        self.keep = _pack([_bits(cell != 0x0 for cell in row) for row in encoder.make_matrix(width, width)])
        self.row_masks, self.column_masks = [], []
        for condition in encoder.get_data_mask_functions(False):
            mask = [
                _bits(function[i][j] > 0x1 and bool(condition(i, j)) for j in range(width))
                for i in range(width)
            ]
            self.row_masks.append(_pack(mask))
            self.column_masks.append(_pack(_transpose(mask, width)))
        # Per field: the bits that have a right-hand neighbour; the same but for every line
        # except the first (for 2×2 blocks, which pair each row with the one above).
        self.pairs = _pack([(1 << (width - 1)) - 1] * width)
        self.block_pairs = self.pairs >> (width + GAP)
        self.digits = width * (width + GAP)


@functools.cache
def _layout(version: int) -> _Layout:
    return _Layout(version)


def _bits(cells) -> int:
    value = 0
    for cell in cells:
        value = (value << 1) | bool(cell)
    return value


def _penalty(rows: int, columns: int, layout: _Layout) -> int:
    """segno's ``evaluate_mask`` (N1 + N2 + N3 + N4), on the packed rows and columns."""
    width, pairs = layout.width, layout.pairs
    n1 = n3 = 0
    for lines in (rows, columns):
        # N1: a run of L >= 5 same-coloured modules scores L - 2.
        same = ~(lines ^ (lines >> 1)) & pairs
        runs = same & (same >> 1) & (same >> 2) & (same >> 3)  # L - 4 bits for each run
        n1 += runs.bit_count() + 2 * (runs & ~(runs << 1)).bit_count()
        n3 += _finder_like(format(lines, f"0{layout.digits}b"), width + GAP, width)
    # N2: each 2×2 block of one colour scores 3 (each row against the one above it).
    above = rows >> (width + GAP)
    vertical = ~(rows ^ above)
    n2 = (vertical & (vertical >> 1) & ~(above ^ (above >> 1)) & layout.block_pairs).bit_count()
    # N4: 10 for every 5 % the dark share strays from 50 %.
    n4 = 10 * int(abs(float(rows.bit_count()) / (width**2) * 100 - 50) / 5)
    return n1 + 3 * n2 + n3 + n4


def _finder_like(text: str, field: int, width: int) -> int:
    """N3 over all lines at once, found and skipped exactly as segno does line by line."""
    score = 0
    index = text.find(_N3_PATTERN)
    while index != -1:
        offset = index + 7
        start = index % field - GAP  # where the match starts within its line
        if (
            start in (0, width - 7)
            or "1" not in text[index - 4 : index]
            or "1" not in text[offset : offset + 4]
        ):
            score += 40
        else:
            offset = index + 4
        index = text.find(_N3_PATTERN, offset)
    return score
