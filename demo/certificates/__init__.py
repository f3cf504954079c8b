"""Demo certificates: a default template with a signer, and rendered certificates for
the demo's certificate-granting training records. Idempotent.

``seed_template`` runs before the training seed: its records issue their certificates as
they are made, and each certificate keeps the template it was issued with.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.images.models import Image

from certificates import issuing, services
from certificates.models import Certificate, CertificateTemplate
from training.models import TrainingRecord

from . import images as demo_images

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


def seed_template() -> CertificateTemplate:
    """The demo's default template, with a signer, seal and signature; made once.

    It takes the default from nothing but the bare built-in template (made by a certificate
    issued before any template existed), never from one an editor made.
    """
    with transaction.atomic():
        template = CertificateTemplate.objects.filter(name=DEFAULT_TEMPLATE["name"]).first()
        if template is not None:
            return template
        current = CertificateTemplate.objects.filter(is_default=True).first()
        if current is not None and current.name != issuing.BUILT_IN_TEMPLATE_NAME:
            return current
        return CertificateTemplate.objects.create(
            **DEFAULT_TEMPLATE,
            seal_image=Image.objects.create(title="Con dấu (mẫu)", file=demo_images.seal_png()),
            signature_image=Image.objects.create(title="Chữ ký (mẫu)", file=demo_images.signature_png()),
        )


def seed() -> int:
    """Issue and render (here, synchronously) every missing certificate of the demo's records.

    Returns how many certificates were rendered by this run (0 on a second run).
    """
    seed_template()
    records = (
        TrainingRecord.objects.valid()
        .filter(grants_certificate=True)
        .select_related("officer__unit")
        .order_by("completed_on", "id")
    )
    for record in records:
        issuing.issue_certificate(record=record)
    rendered = 0
    for pk in Certificate.objects.filter(pdf_sha256="").order_by("id").values_list("pk", flat=True):
        services.render_and_store(pk)
        rendered += 1
    # Demo learners are not e-mailed about certificates made by the seed.
    Certificate.objects.filter(notified_at__isnull=True).exclude(pdf_sha256="").update(
        notified_at=timezone.now()
    )
    return rendered
