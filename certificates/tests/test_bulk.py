"""The bulk ZIP: safe, unique member names; revoked certificates left out; progress as it builds."""

import unicodedata
import zipfile

import pytest

from certificates import issuing, services
from certificates.models import BulkExport, Certificate
from organizations.tests.factories import OfficerFactory, UserFactory

from .conftest import pass_course


@pytest.fixture
def rendered(tree, eager_tasks, django_capture_on_commit_callbacks):
    """Make ``n`` rendered certificates for officers of CS-A (in Q-BD's subtree)."""

    def make(n):
        with django_capture_on_commit_callbacks(execute=True):
            for _ in range(n):
                pass_course(OfficerFactory(unit=tree["ga"]))
        return list(Certificate.objects.order_by("number"))

    return make


def build(unit, year, **kwargs) -> tuple[BulkExport, zipfile.ZipFile]:
    export = BulkExport.objects.create(requested_by=UserFactory(), unit=unit, year=year)
    export = services.build_bulk_export(export.pk, **kwargs)
    return export, zipfile.ZipFile(services.private_root() / export.file_path)


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("Nguyễn Thị Mai", "Nguyễn Thị Mai"),
        (unicodedata.normalize("NFD", "Trần Đức Thắng"), "Trần Đức Thắng"),  # composed to NFC
        ("../../etc/passwd", "etc passwd"),
        ("..\\..\\Windows\\win.ini", "Windows win.ini"),
        ("Lê\x00Văn\x1bAn\r\nB", "Lê Văn An B"),
        ("Phạm\u202eTuấn\u200b", "Phạm Tuấn"),  # right-to-left override, zero-width space
        ('Hồ: "Ngọc" <Hà>?*|', "Hồ Ngọc Hà"),
        ("A...B", "A.B"),
        (" . ", ""),
        ("Đ" * 300, "Đ" * services.ZIP_NAME_PART_LIMIT),
    ],
)
def test_safe_file_name_part(raw, safe):
    assert services.safe_file_name_part(raw) == safe


def test_member_names_are_unique_even_when_only_case_or_unsafe_characters_differ():
    taken = set()
    names = [
        services.zip_member_name("Q/BD", 2026, 1, "Mai", taken),
        services.zip_member_name("Q BD", 2026, 1, "Mai", taken),
        services.zip_member_name("q bd", 2026, 1, "MAI", taken),
        services.zip_member_name("LĐLĐ", 2026, 2, "", taken),
    ]
    assert names == [
        "GCN-Q BD-2026-00001 Mai.pdf",
        "GCN-Q BD-2026-00001 Mai (2).pdf",
        "GCN-q bd-2026-00001 MAI (3).pdf",
        "GCN-LĐLĐ-2026-00002.pdf",
    ]


def test_the_zip_has_safe_unique_names_and_keeps_vietnamese_letters(tree, rendered):
    first, second, third, fourth = rendered(4)
    Certificate.objects.filter(pk=first.pk).update(full_name="../../../tmp/evil")
    Certificate.objects.filter(pk=second.pk).update(full_name="C:\\Windows\\system32\x07")
    # Two issuer codes that differ only in a character a file name cannot hold.
    Certificate.objects.filter(pk=third.pk).update(issuer_code="Q/BD", number=1, full_name="Đặng Thu Hà")
    Certificate.objects.filter(pk=fourth.pk).update(issuer_code="Q BD", number=1, full_name="Đặng Thu Hà")
    export, archive = build(tree["a"], first.year)
    names = archive.namelist()
    assert export.total == 4 and len(names) == 4
    assert len({n.casefold() for n in names}) == 4
    for name in names:
        assert "/" not in name and "\\" not in name and ".." not in name
        assert not any(unicodedata.category(c).startswith("C") for c in name)
    assert f"GCN-LĐLĐ-{first.year}-{first.number:05d} tmp evil.pdf" in names
    assert f"GCN-LĐLĐ-{second.year}-{second.number:05d} C Windows system32.pdf" in names
    assert f"GCN-Q BD-{third.year}-00001 Đặng Thu Hà.pdf" in names
    assert f"GCN-Q BD-{third.year}-00001 Đặng Thu Hà (2).pdf" in names
    for info in archive.infolist():
        assert info.flag_bits & 0x800  # names stored as UTF-8, so unzip tools show the diacritics


def test_revoked_certificates_are_left_out_of_the_zip(tree, rendered, auditor):
    kept, revoked = rendered(2)
    issuing.revoke_certificate(certificate=revoked, by=auditor, reason="Hồ sơ không hợp lệ")
    export, archive = build(tree["a"], kept.year)
    assert export.total == 1
    assert archive.namelist() == [f"GCN-LĐLĐ-{kept.year}-{kept.number:05d} {kept.full_name}.pdf"]
    assert archive.read(archive.namelist()[0]) == (services.private_root() / kept.pdf_path).read_bytes()


def test_progress_is_recorded_while_the_zip_is_built(tree, rendered, monkeypatch):
    certificates = rendered(3)
    seen = []
    real_write = zipfile.ZipFile.write

    def write(archive, filename, arcname=None, *args, **kwargs):
        # What a status request would read just before each certificate is added.
        export = BulkExport.objects.get()
        seen.append((export.status, export.done, export.total, export.percent))
        return real_write(archive, filename, arcname, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "write", write)
    export, _archive = build(tree["a"], certificates[0].year, progress_every=1)
    assert seen == [("running", 0, 3, 0), ("running", 1, 3, 33), ("running", 2, 3, 66)]
    assert (export.status, export.done, export.total, export.percent) == ("done", 3, 3, 100)
