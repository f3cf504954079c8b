#!/usr/bin/env python
"""Certificate benchmark: render time against a floor, memory over many renders, bulk ZIP.

1. One certificate render vs the floor (a one-page WeasyPrint render with the same
   @font-face fonts and one line of text), interleaved, medians of N each, one
   FontConfiguration reused for the whole process (as in a worker). Also the floor page
   rendered the certificate's way (its minimal user-agent stylesheet), for reference.
2. Resident memory of a real one-process Celery worker over 1,000 renders through the
   render task (database, PDF file, hash), read from /proc (should stay flat).
3. 1,000 certificates issued, rendered by a real two-process Celery worker and
   bundled into one ZIP by the bulk task; wall time from the first enqueue.

Runs against a throwaway SQLite database and private folder in a temp directory
(or PostgreSQL with DATABASE_URL pointing at an empty database you can drop).
Usage: .venv/bin/python bench/bench_certificates.py [--renders 200] [--memory 1000] [--bulk 1000]
(0 skips a part).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


_images: dict = {}


def demo_images():
    """The demo's seal and signature as (unsaved) Wagtail images backed by stored files."""
    if not _images:
        from django.core.files.storage import default_storage
        from wagtail.images.models import Image

        from demo.certificates import images as drawn

        for key, image_file in (("seal", drawn.seal_png()), ("signature", drawn.signature_png())):
            _images[key] = Image(title=key, file=default_storage.save(f"bench/{image_file.name}", image_file))
    return _images


def sample_certificate(index: int = 0):
    from certificates.models import Certificate, CertificateTemplate

    images = demo_images()
    template = CertificateTemplate(
        name="Bench",
        signer_title="TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH",
        signer_name="Nguyễn Văn Minh",
        seal_image=images["seal"],
        signature_image=images["signature"],
    )
    return Certificate(
        template=template,
        issuer_code="LĐLĐ",
        issuer_name="Liên đoàn Lao động thành phố Hà Nội",
        year=2026,
        number=1000 + index,
        verification_code=f"BdlznV7SoGcj{index:04d}",
        issued_on=date(2026, 3, 12),
        full_name="Nguyễn Thị Mai",
        date_of_birth=date(1992, 5, 14),
        unit_name="CĐCS Công ty May Ba Đình",
        training_title="Kỹ năng tuyên truyền miệng trong công nhân lao động",
        training_start=date(2026, 3, 12),
        training_end=date(2026, 3, 12),
        hours=Decimal("8"),
    )


def sample_credential_jwt() -> str:
    """A signed credential of the real size (~3 KB), signed with a throwaway key: what the archival
    PDF embeds. (Signing is not timed here: it happens once per certificate, ~0.1 ms.)"""
    from joserfc import jwt
    from joserfc.jwk import OKPKey

    claims = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "text": "Giấy chứng nhận: Kỹ năng tuyên truyền miệng trong công nhân lao động " * 25,
    }
    key = OKPKey.generate_key("Ed25519")
    return jwt.encode({"alg": "EdDSA", "typ": "JWT"}, claims, key, algorithms=["EdDSA"])


def bench_render(count: int) -> None:
    """Interleaved: the floor, the archival certificate (PDF/A-3b with the signed credential
    attached, as issued since Open Badges credentials), the plain certificate (as before)."""
    import warnings

    from certificates import rendering

    warnings.filterwarnings("ignore", message="EdDSA is deprecated")
    certificate = sample_certificate()
    token = sample_credential_jwt()
    for _ in range(5):  # warm up: fonts loaded, templates compiled
        rendering.render_certificate(certificate, token)
        rendering.render_certificate(certificate)
        rendering.render_floor()
        rendering.render_floor(certificate_page=True)
    cert_times, plain_times, floor_times, lean_floor_times = [], [], [], []
    for _ in range(count):
        start = time.perf_counter()
        rendering.render_floor()
        floor_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        rendering.render_certificate(certificate, token)
        cert_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        rendering.render_certificate(certificate)
        plain_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        rendering.render_floor(certificate_page=True)
        lean_floor_times.append(time.perf_counter() - start)
    cert, floor = statistics.median(cert_times) * 1000, statistics.median(floor_times) * 1000
    plain = statistics.median(plain_times) * 1000
    lean_floor = statistics.median(lean_floor_times) * 1000
    cert_mean, floor_mean = statistics.mean(cert_times) * 1000, statistics.mean(floor_times) * 1000
    print(
        f"render: certificate (PDF/A-3b + credential) median {cert:.1f} ms, floor median {floor:.1f} ms, "
        f"ratio {cert / floor:.1f}x (n={count} each, interleaved; targets <= 50 ms and <= 5x)\n"
        f"        the plain PDF (as before PDF/A): {plain:.1f} ms (archival costs {cert - plain:+.1f} ms, "
        f"{cert / plain:.2f}x)\n"
        f"        the floor page with the certificate's own user-agent stylesheet and URL fetcher: "
        f"{lean_floor:.1f} ms (ratio {cert / lean_floor:.1f}x); means (with garbage collections) "
        f"{cert_mean:.1f} ms certificate, {floor_mean:.1f} ms floor"
    )


def bench_memory(count: int) -> None:
    """A real one-process Celery worker renders ``count`` issued certificates (the task's whole
    path: database, PDF file, hash); its resident memory is read from /proc as it goes."""
    from certificates import issuing
    from certificates.models import Certificate
    from core.tasks import ping
    from lms.testing.servers import celery_worker

    upper = _bench_unit("LDLD-BADINH", "LĐLĐ quận Ba Đình")
    records = _seed_records(upper, count, "Lan")
    with celery_worker({"SITE_URL": "https://hoctap.example.vn"}, concurrency=1) as worker:
        ping.delay("x").get(timeout=60)  # the worker is up, its child forked
        child = _worker_child(worker.pid)
        for record in records:
            issuing.issue_certificate(record=record)  # each render is queued at once
        mine = Certificate.objects.filter(officer__unit__path__startswith=upper.path)
        marks: dict[int, float] = {}
        wanted = sorted({min(100, count), count // 2, count})
        while wanted:
            rendered = mine.exclude(pdf_sha256="").count()
            if rendered >= wanted[0]:
                marks[rendered] = _rss_mib_of(child)
                wanted = [n for n in wanted if n > rendered]
            else:
                time.sleep(0.05)
    first, last = next(iter(marks.values())), list(marks.values())[-1]
    print(
        f"memory (one worker process, {count} renders through the task): RSS "
        + ", ".join(f"{rss:.1f} MiB after {n}" for n, rss in marks.items())
        + f"; growth: {last - first:+.1f} MiB"
    )


def _worker_child(pid: int) -> int:
    """The prefork pool's child of a worker started with --concurrency=1."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one pool process under worker {pid}, found {children}")
    return int(children[0])


def _rss_mib_of(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _bench_unit(code: str, name: str):
    """An upper-level union (with one grassroots union) under the city federation."""
    from organizations.models import Unit, UnitLevel

    city = Unit.objects.filter(code="LDLD-HN").first() or Unit.add_root(
        code="LDLD-HN", name="Liên đoàn Lao động thành phố Hà Nội", level=UnitLevel.CITY
    )
    upper = city.add_child(code=code, name=name, level=UnitLevel.UPPER)
    upper.add_child(code=f"CS-{code}", name=f"CĐCS Công ty May ({name})", level=UnitLevel.GRASSROOTS)
    return Unit.objects.get(pk=upper.pk)


def _seed_records(upper, count: int, given_name: str) -> list:
    """``count`` officers of ``upper``'s grassroots union, each with one record granting a certificate."""
    from wagtail.models import Page

    from organizations.models import Officer
    from training.models import RecordSource, TrainingKind, TrainingRecord

    grassroots = upper.get_children().get()
    course = Page.objects.filter(slug="bench-course").first() or Page.get_first_root_node().add_child(
        instance=Page(title="Kỹ năng tuyên truyền", slug="bench-course")
    )
    Officer.objects.bulk_create(
        Officer(
            family_name="Nguyễn",
            middle_name="Thị",
            given_name=f"{given_name} {i}",
            unit=grassroots,
            sort_key=f"nguyen thi {given_name.lower()} {i:05d}",
            search_name=f"nguyen thi {given_name.lower()} {i}",
            date_of_birth=date(1990, 1, 1),
        )
        for i in range(count)
    )
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            officer=officer,
            kind=TrainingKind.ONLINE_COURSE,
            course=course,
            title=course.title,
            completed_on=date(2026, 3, 12),
            year=2026,
            hours=Decimal(8),
            grants_certificate=True,
            source=RecordSource.ONLINE,
        )
        for officer in Officer.objects.filter(unit=grassroots)
    )
    return list(
        TrainingRecord.objects.filter(officer__unit=grassroots).select_related("officer__unit").order_by("id")
    )


def bench_bulk(count: int) -> None:
    from django.db import connection

    from certificates import issuing, services
    from certificates.models import BulkExport, BulkExportStatus, Certificate
    from core.tasks import ping
    from lms.testing.servers import celery_worker

    upper = _bench_unit("LDLD-CAUGIAY", "LĐLĐ quận Cầu Giấy")
    records = _seed_records(upper, count, "Mai")
    year = date.today().year
    with celery_worker({"SITE_URL": "https://hoctap.example.vn"}, concurrency=2):
        ping.delay("x").get(timeout=60)  # the worker is up
        start = time.perf_counter()
        for record in records:
            issuing.issue_certificate(record=record)  # autocommit: each render is queued at once
        issued = time.perf_counter()
        while Certificate.objects.filter(pdf_sha256="").exists():
            time.sleep(0.5)
        rendered = time.perf_counter()
        user = _bench_user()
        export = services.request_bulk_export(user=user, unit=upper, year=year)
        while BulkExport.objects.filter(pk=export.pk).exclude(status=BulkExportStatus.DONE).exists():
            time.sleep(0.2)
        done = time.perf_counter()
    export.refresh_from_db()
    size = (services.private_root() / export.file_path).stat().st_size / 2**20
    from django.conf import settings

    broker = settings.CELERY_BROKER_URL.split(":")[0]
    print(
        f"bulk ({connection.vendor}, {broker} broker, 2 worker processes): "
        f"issued {count} in {issued - start:.1f} s, "
        f"all rendered at {rendered - start:.1f} s, ZIP of {export.total} ({size:.0f} MiB) built in "
        f"{done - rendered:.1f} s; total {done - start:.1f} s (target < 60 s)"
    )


def _bench_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create(username="bench@example.vn", email="bench@example.vn")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--renders", type=int, default=200)
    parser.add_argument("--memory", type=int, default=1000)
    parser.add_argument("--bulk", type=int, default=1000)
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="bench-certificates-")
    os.environ["LMS_VAR_DIR"] = var_dir
    redis = None
    if args.bulk or args.memory:
        # A redis-server of the bench's own (make run's is not running here), as in production.
        from lms.testing.servers import redis_server

        redis = redis_server()
        os.environ["CELERY_BROKER_URL"] = redis.__enter__()
    os.environ["SITE_URL"] = "https://hoctap.example.vn"
    # The test settings: the worker started below uses them too (same broker folders).
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    print(f"bench_certificates: data in {var_dir}")
    call_command("migrate", verbosity=0)
    if args.renders:
        bench_render(args.renders)
    try:
        if args.memory:
            bench_memory(args.memory)
        if args.bulk:
            bench_bulk(args.bulk)
    finally:
        if redis is not None:  # also after --memory alone: no redis-server left behind
            redis.__exit__(None, None, None)


if __name__ == "__main__":
    main()
