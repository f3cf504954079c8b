import io

from pypdf import PdfReader

from certificates import demo, services
from certificates.models import Certificate, CertificateTemplate

from .conftest import pass_course


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
