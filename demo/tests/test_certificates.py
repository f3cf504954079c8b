import io

from pypdf import PdfReader

from certificates import issuing, services
from certificates.models import Certificate, CertificateTemplate
from certificates.tests.conftest import pass_course
from demo import certificates as demo


def test_seed_makes_a_default_template_and_rendered_certificates_once(learner_officer):
    pass_course(learner_officer)
    pass_course(learner_officer, title="Không cấp giấy", grants=False)
    assert demo.seed() == 1
    certificate = Certificate.objects.get()
    assert certificate.is_ready
    template = CertificateTemplate.objects.get(is_default=True)
    assert template.signer_name == "Nguyễn Văn Minh"
    assert certificate.template == template
    assert template.seal_image and template.signature_image
    data = (services.private_root() / certificate.pdf_path).read_bytes()
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 3  # seal, signature and the QR code
    sha256 = certificate.pdf_sha256
    assert demo.seed() == 0
    assert Certificate.objects.get().pdf_sha256 == sha256
    assert CertificateTemplate.objects.count() == 1


def test_certificates_issued_by_the_training_seed_carry_the_demo_signer_seal_and_signature(
    learner_officer, eager_tasks, django_capture_on_commit_callbacks
):
    # seed_demo makes the template before the training seed, whose records issue certificates
    # as they are made (the ledger event): none may get the bare built-in template.
    from demo.management.commands.seed_demo import DEMO_SEEDERS

    assert DEMO_SEEDERS.index("demo.certificates.seed_template") < DEMO_SEEDERS.index("demo.training.seed")
    demo.seed_template()
    with django_capture_on_commit_callbacks(execute=True):
        record = pass_course(learner_officer)
    demo.seed()
    certificate = record.certificates.get()
    assert certificate.template.signer_name == "Nguyễn Văn Minh"
    data = (services.private_root() / certificate.pdf_path).read_bytes()
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert "Nguyễn Văn Minh" in page.extract_text()
    assert len(page.images) == 3


def test_the_demo_template_replaces_a_bare_built_in_default_but_not_an_editors(learner_officer):
    issuing.default_template()  # a certificate issued before any template existed makes it
    assert demo.seed_template().is_default
    assert CertificateTemplate.objects.get(is_default=True).name == demo.DEFAULT_TEMPLATE["name"]

    CertificateTemplate.objects.all().delete()
    CertificateTemplate.objects.create(name="Mẫu của Ban", is_default=True)
    assert demo.seed_template().name == "Mẫu của Ban"
    assert CertificateTemplate.objects.count() == 1
