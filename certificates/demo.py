"""Demo certificates: a default template with a signer, and rendered certificates for
the demo's certificate-granting training records. Idempotent."""

from django.db import transaction
from django.utils import timezone
from wagtail.images.models import Image

from training.models import TrainingRecord

from . import demo_images, services
from .models import Certificate, CertificateTemplate

DEFAULT_TEMPLATE = dict(
    name="Giấy chứng nhận bồi dưỡng (mẫu chung)",
    is_default=True,
    national_heading="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    national_motto="Độc lập - Tự do - Hạnh phúc",
    title="GIẤY CHỨNG NHẬN",
    recipient_label="Chứng nhận Ông/Bà",
    completion_text="Đã hoàn thành chương trình bồi dưỡng",
    place="Hà Nội",
    signer_title="TM. BAN THƯỜNG VỤ\nPHÓ CHỦ TỊCH",
    signer_name="Nguyễn Văn Minh",
)


def seed() -> int:
    """Make the default template, then issue and render (here, synchronously) every missing certificate.

    Returns how many certificates were rendered by this run (0 on a second run).
    """
    with transaction.atomic():
        if not CertificateTemplate.objects.filter(is_default=True).exists():
            CertificateTemplate.objects.create(
                **DEFAULT_TEMPLATE,
                seal_image=Image.objects.create(title="Con dấu (mẫu)", file=demo_images.seal_png()),
                signature_image=Image.objects.create(title="Chữ ký (mẫu)", file=demo_images.signature_png()),
            )
    records = (
        TrainingRecord.objects.valid()
        .filter(grants_certificate=True)
        .select_related("officer__unit")
        .order_by("completed_on", "id")
    )
    for record in records:
        services.issue_certificate(record=record)
    rendered = 0
    for pk in Certificate.objects.filter(pdf_sha256="").order_by("id").values_list("pk", flat=True):
        services.render_and_store(pk)
        rendered += 1
    # Demo learners are not e-mailed about certificates made by the seed.
    Certificate.objects.filter(notified_at__isnull=True).exclude(pdf_sha256="").update(
        notified_at=timezone.now()
    )
    return rendered
