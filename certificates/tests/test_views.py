"""Pages: my certificates, download access, the register, revoke/reissue, bulk ZIP, verification."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates import issuing, services
from certificates.models import BulkExport, Certificate
from organizations.tests.factories import OfficerFactory, UserFactory

from .conftest import pass_course


def test_my_certificates_lists_mine_with_a_download_button(client, learner, issued):
    client.force_login(learner)
    response = client.get(reverse("certificates:mine"))
    html = response.content.decode()
    assert "Giấy chứng nhận của tôi" in html
    assert issued.training_title in html
    assert reverse("certificates:download", args=[issued.pk]) in html
    assert "Còn hiệu lực" in html
    assert "job-progress.js" not in html


def test_a_certificate_being_prepared_shows_so_and_the_page_polls(client, learner_officer, learner):
    issuing.issue_certificate(record=pass_course(learner_officer))  # not rendered: no worker here
    client.force_login(learner)
    html = client.get(reverse("certificates:mine")).content.decode()
    assert "Đang chuẩn bị" in html
    assert "Trang này sẽ tự cập nhật khi sẵn sàng" in html
    assert "core/js/job-progress.js" in html
    assert client.get(reverse("certificates:status")).json()["preparing"] == 1


def test_my_certificates_needs_sign_in(client):
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("owner", 200),
        ("manager_a", 200),
        ("auditor", 200),
        ("manager_b", 404),
        ("stranger", 404),
        ("anonymous", 404),
    ],
)
def test_download_access(client, issued, learner, manager_a, manager_b, auditor, who, status):
    users = {
        "owner": learner,
        "manager_a": manager_a,
        "manager_b": manager_b,
        "auditor": auditor,
        "stranger": UserFactory(email="other@example.vn"),
    }
    if who in users:
        client.force_login(users[who])
    response = client.get(reverse("certificates:download", args=[issued.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert (
            b"".join(response.streaming_content) == (services.private_root() / issued.pdf_path).read_bytes()
        )


def test_a_certificate_not_yet_rendered_cannot_be_downloaded(client, learner_officer, learner):
    certificate, _ = issuing.issue_certificate(record=pass_course(learner_officer))
    client.force_login(learner)
    assert client.get(reverse("certificates:download", args=[certificate.pk])).status_code == 404


def test_verify_page_shows_only_what_the_certificate_prints(client, issued):
    response = client.get(f"/verify/{issued.verification_code}/")
    assert response.status_code == 200
    assert response["X-Robots-Tag"].startswith("noindex")
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "Còn hiệu lực" in html
    for shown in (
        issued.full_name,
        issued.training_title,
        issued.number_display,
        issued.pdf_sha256,
        "12/03/2026",
    ):
        assert shown in html
    officer = issued.officer
    for hidden in (
        officer.email,
        officer.phone,
        officer.code,
        "learner@example.vn",
        issued.revocation_reason,
    ):
        if hidden:
            assert hidden not in html


def test_a_revoked_certificate_shows_as_revoked_with_its_date(client, issued, auditor):
    issuing.revoke_certificate(certificate=issued, by=auditor, reason="Gian lận khi làm bài")
    html = client.get(f"/verify/{issued.verification_code}/").content.decode()
    assert "Đã thu hồi" in html
    assert "không còn hiệu lực" in html
    assert "Gian lận" not in html
    assert "Giấy chứng nhận này là thật và còn hiệu lực" not in html


def test_a_wrong_code_says_so_plainly(client, db):
    response = client.get("/verify/khong-co-ma-nay/")
    assert response.status_code == 404
    assert "Không có giấy chứng nhận nào mang mã xác thực này" in response.content.decode()
    assert response["X-Robots-Tag"].startswith("noindex")


def test_the_verify_form_takes_a_typed_code(client, issued):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    response = client.get("/verify/", {"code": f"  {issued.verification_code} "})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{issued.verification_code_display}/"


def test_the_verify_form_takes_a_pasted_address_and_refuses_garbage(client, issued):
    pasted = f"https://lms.example.vn/verify/{issued.verification_code_display}/"
    response = client.get("/verify/", {"code": pasted})
    assert response["Location"] == f"/verify/{issued.verification_code_display}/"
    for garbage in ["../../etc/passwd?", "mã có dấu", "<script>x</script>"]:
        response = client.get("/verify/", {"code": garbage})
        assert response.status_code == 404
        html = response.content.decode()
        assert "Không có giấy chứng nhận nào mang mã xác thực này" in html
        assert "<script>x" not in html


def test_verification_is_rate_limited_per_ip(client, db, monkeypatch):
    # The limit counts per clock minute; hold the clock still so the 31 lookups can never
    # straddle a minute boundary (that made this test fail once in CI).
    still = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: still)
    statuses = [client.get("/verify/abcdefabcdef/").status_code for _ in range(31)]
    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    assert "Bạn tra cứu quá nhiều lần" in client.get("/verify/abc/").content.decode()
    other = client.get("/verify/abc/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 404


def test_behind_a_trusted_proxy_the_limit_counts_each_client_not_the_proxy(client, db, settings, monkeypatch):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"  # TRUSTED_CLIENT_IP_HEADER in the environment
    still = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: still)
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    statuses = [
        client.get("/verify/abcdefabcdef/", HTTP_X_REAL_IP="203.0.113.5", **proxy).status_code
        for _ in range(31)
    ]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429
    # Another client behind the same proxy is not held back by the first one.
    assert client.get("/verify/abcdefabcdef/", HTTP_X_REAL_IP="203.0.113.6", **proxy).status_code == 404


def test_the_limit_counts_in_a_shared_redis_cache(client, db, settings, monkeypatch):
    from django.core.cache import caches

    from lms.testing.servers import redis_server

    still = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: still)
    with redis_server() as url:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
        statuses = [client.get("/verify/abcdefabcdef/").status_code for _ in range(30)]
        # A fresh connection, as another web process would open, sees the same count.
        caches["default"].close()
        del caches["default"]
        statuses.append(client.get("/verify/abcdefabcdef/").status_code)
        assert statuses[:30] == [404] * 30 and statuses[30] == 429
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_html_in_names_is_text_on_the_pages(
    client, learner_officer, learner, eager_tasks, django_capture_on_commit_callbacks
):
    learner_officer.given_name = "<script>alert('x')</script>"
    learner_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        record = pass_course(learner_officer, title="<img src=x onerror=alert(1)>")
    certificate = record.certificates.get()
    client.force_login(learner)
    for url in (reverse("certificates:mine"), f"/verify/{certificate.verification_code}/"):
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html and "<img src=x" not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_register_is_scoped_and_its_query_count_does_not_grow(
    client, manager_b, tree, django_assert_max_num_queries, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(manager_b)
    with django_capture_on_commit_callbacks(execute=True):
        issuing.issue_certificate(record=pass_course(OfficerFactory(unit=tree["ga"])))
        for _ in range(2):
            issuing.issue_certificate(record=pass_course(OfficerFactory(unit=tree["gb"])))
    with django_assert_max_num_queries(12) as small:
        html = client.get(reverse("certificates:register")).content.decode()
    assert html.count("/download/") == 2
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            issuing.issue_certificate(record=pass_course(OfficerFactory(unit=tree["gb"])))
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(reverse("certificates:register")).content.decode()
    assert html.count("/download/") == 8


def test_the_register_is_closed_to_learners(client, learner):
    client.force_login(learner)
    assert client.get(reverse("certificates:register")).status_code == 404
    assert client.get(reverse("certificates:bulk")).status_code == 404


def test_an_auditor_revokes_and_reissues_from_the_register(
    client, auditor, issued, django_capture_on_commit_callbacks
):
    client.force_login(auditor)
    url = reverse("certificates:manage", args=[issued.pk])
    assert "Thu hồi" in client.get(url).content.decode()
    response = client.post(url, {"action": "reissue", "reason": ""})
    assert "Cần nêu lý do cấp lại" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "reissue", "reason": "Sửa tên đơn vị"})
    new = Certificate.objects.get(supersedes=issued)
    assert response["Location"] == reverse("certificates:manage", args=[new.pk])
    response = client.post(
        reverse("certificates:manage", args=[new.pk]), {"action": "revoke", "reason": "Sai"}
    )
    new.refresh_from_db()
    assert new.status == "revoked"


def test_managers_cannot_revoke(client, manager_a, issued):
    client.force_login(manager_a)
    url = reverse("certificates:manage", args=[issued.pk])
    assert client.post(url, {"action": "revoke", "reason": "x"}).status_code == 404
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_bulk_zip_of_a_subtree_for_a_year(
    client, manager_a, tree, issued, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issuing.issue_certificate(record=pass_course(OfficerFactory(unit=tree["gb"])))  # outside Q-BD
    client.force_login(manager_a)
    assert "LĐLĐ quận Ba Đình" in client.get(reverse("certificates:bulk")).content.decode()
    refused = client.post(reverse("certificates:bulk"), {"unit": "Q-CG", "year": issued.year})
    assert "Hãy chọn một đơn vị trong phạm vi của bạn" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:bulk"), {"unit": "Q-BD", "year": issued.year})
    export = BulkExport.objects.get()
    assert response["Location"] == reverse("certificates:bulk_detail", args=[export.pk])
    status = client.get(reverse("certificates:bulk_status", args=[export.pk])).json()
    assert (status["status"], status["progress"], status["done"], status["total"]) == ("done", 100, 1, 1)
    download = client.get(status["download_url"])
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.namelist() == [f"GCN-LĐLĐ-{issued.year}-00001 Nguyễn Thị Mai.pdf"]
    assert archive.read(archive.namelist()[0]) == (services.private_root() / issued.pdf_path).read_bytes()
    assert (
        'class="progress__bar"'
        in client.get(reverse("certificates:bulk_detail", args=[export.pk])).content.decode()
    )


@pytest.fixture
def full_disk(monkeypatch):
    """Every PDF written into a ZIP fails as on a full disk until ``state["full"]`` is False."""
    real_write = zipfile.ZipFile.write
    state = {"full": True, "attempts": 0}

    def write(archive, *args, **kwargs):
        if state["full"]:
            state["attempts"] += 1
            raise OSError(28, "No space left on device")
        return real_write(archive, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "write", write)
    return state


def _shown(html: str, element_id: str) -> bool:
    tag = re.search(rf'<[a-z]+ id="{element_id}"[^>]*>', html).group(0)
    return " hidden" not in tag


def test_a_zip_that_failed_once_says_it_is_tried_again(client, manager_a, tree, issued, full_disk):
    export = BulkExport.objects.create(requested_by=manager_a, unit=tree["a"], year=issued.year)
    with pytest.raises(OSError):
        services.build_bulk_export(export.pk)  # one attempt of the task, which will retry
    client.force_login(manager_a)
    status = client.get(reverse("certificates:bulk_status", args=[export.pk])).json()
    assert (status["status"], status["retrying"]) == ("pending", True)
    html = client.get(reverse("certificates:bulk_detail", args=[export.pk])).content.decode()
    assert _shown(html, "bulk-retrying") and "tự thử lại trong giây lát" in html
    assert _shown(html, "bulk-progress") and not _shown(html, "bulk-failed")

    full_disk["full"] = False  # the retry succeeds
    services.build_bulk_export(export.pk)
    status = client.get(reverse("certificates:bulk_status", args=[export.pk])).json()
    assert (status["status"], status["retrying"], status["progress"]) == ("done", False, 100)
    html = client.get(reverse("certificates:bulk_detail", args=[export.pk])).content.decode()
    assert not _shown(html, "bulk-retrying") and _shown(html, "bulk-download")


def test_a_zip_that_failed_after_every_retry_says_so_and_can_be_asked_for_again(
    client, manager_a, tree, issued, full_disk, eager_without_propagation, django_capture_on_commit_callbacks
):
    from certificates.tasks import build_bulk_export

    client.force_login(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certificates:bulk"), {"unit": "Q-BD", "year": issued.year})
    export = BulkExport.objects.get()
    assert full_disk["attempts"] == build_bulk_export.max_retries + 1
    export.refresh_from_db()
    assert export.status == "failed" and "No space left on device" in export.error
    assert export.finished_at is not None
    assert not list((services.private_root() / "exports").iterdir())  # no half-written file left

    status = client.get(reverse("certificates:bulk_status", args=[export.pk])).json()
    assert (status["status"], status["label"], status["retrying"], status["download_url"]) == (
        "failed",
        "Thất bại",
        False,
        "",
    )
    html = client.get(reverse("certificates:bulk_detail", args=[export.pk])).content.decode()
    assert _shown(html, "bulk-failed") and not _shown(html, "bulk-progress")
    assert "Không tạo được tệp ZIP, kể cả sau nhiều lần hệ thống tự thử lại, và sẽ không thử lại nữa" in html
    assert f"(tệp ZIP số {export.pk})" in html
    assert "No space left" not in html  # the server's error is for the log, not the page
    assert client.get(reverse("certificates:bulk_download", args=[export.pk])).status_code == 404

    # "Try again" posts the same unit and year: a new ZIP, built now that the disk has room.
    form = re.search(r'<form method="post" action="([^"]+)">(.*?)</form>', html, re.S)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(2)))
    assert (fields["unit"], fields["year"]) == ("Q-BD", str(issued.year))
    full_disk["full"] = False
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form.group(1), fields)
    again = BulkExport.objects.exclude(pk=export.pk).get()
    assert response["Location"] == reverse("certificates:bulk_detail", args=[again.pk])
    assert again.status == "done" and again.error == ""


def test_a_zip_whose_task_was_lost_offers_to_try_again_after_30_minutes(client, manager_a, tree, issued):
    # No worker picks it up (say one was killed mid-build on the embedded broker): the page
    # must not promise progress forever.
    export = BulkExport.objects.create(requested_by=manager_a, unit=tree["a"], year=issued.year)
    client.force_login(manager_a)
    status_url = reverse("certificates:bulk_status", args=[export.pk])
    detail_url = reverse("certificates:bulk_detail", args=[export.pk])
    assert client.get(status_url).json()["stalled"] is False
    assert not _shown(client.get(detail_url).content.decode(), "bulk-failed")

    BulkExport.objects.filter(pk=export.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    status = client.get(status_url).json()
    assert (status["status"], status["stalled"]) == ("pending", True)
    html = client.get(detail_url).content.decode()
    assert (
        _shown(html, "bulk-failed") and _shown(html, "bulk-stalled") and not _shown(html, "bulk-failed-final")
    )
    assert "Tệp ZIP này đã chờ hơn 30 phút: tiến trình tạo tệp có lẽ đã dừng" in html
    assert 'name="unit" value="Q-BD"' in html and "Thử lại" in html


def test_another_users_zip_is_404(
    client, manager_a, auditor, tree, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_bulk_export(user=auditor, unit=tree["a"], year=2026)
    client.force_login(manager_a)
    assert client.get(reverse("certificates:bulk_download", args=[export.pk])).status_code == 404
    assert client.get(reverse("certificates:bulk_status", args=[export.pk])).status_code == 404


def test_my_certificates_query_count_does_not_grow(
    client,
    learner,
    learner_officer,
    django_assert_max_num_queries,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        issuing.issue_certificate(record=pass_course(learner_officer, title="Khóa 1"))
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("certificates:mine"))
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(2, 7):
            issuing.issue_certificate(record=pass_course(learner_officer, title=f"Khóa {index}"))
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(reverse("certificates:mine")).content.decode()
    assert html.count("Tải PDF") == 6


def test_editors_manage_certificate_templates_as_a_snippet(client, db):
    from organizations.tests.factories import UserFactory as Factory

    admin = Factory(email="admin@example.vn", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/snippets/certificates/certificatetemplate/add/")
    assert response.status_code == 200
    html = response.content.decode()
    for field in (
        "signer_name",
        "signature_image",
        "seal_image",
        "background_image",
        "orientation",
        "accent_colour",
    ):
        assert f'name="{field}"' in html


def test_a_superseded_certificate_points_to_its_successor(
    client, issued, auditor, eager_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = issuing.reissue_certificate(certificate=issued, by=auditor, reason="Sửa tên")
    html = client.get(f"/verify/{issued.verification_code}/").content.decode()
    assert "Đã được thay thế" in html
    assert f"/verify/{new.verification_code_display}/" in html
    assert "Giấy chứng nhận này là thật và còn hiệu lực" not in html
    assert (
        "Giấy chứng nhận này là thật và còn hiệu lực"
        in client.get(f"/verify/{new.verification_code}/").content.decode()
    )


def test_managers_and_auditors_find_the_register_from_their_list(client, manager_a, learner):
    client.force_login(manager_a)
    assert reverse("certificates:register") in client.get(reverse("certificates:mine")).content.decode()
    client.force_login(learner)
    assert reverse("certificates:register") not in client.get(reverse("certificates:mine")).content.decode()


def test_the_register_refuses_to_reissue_a_revoked_certificate_or_one_of_a_voided_record(
    client, auditor, issued, learner_officer, eager_tasks, django_capture_on_commit_callbacks
):
    from training.models import TrainingRecord

    client.force_login(auditor)
    issuing.revoke_certificate(certificate=issued, by=auditor, reason="Hồ sơ không hợp lệ")
    url = reverse("certificates:manage", args=[issued.pk])
    html = client.post(url, {"action": "reissue", "reason": "Sai chính tả tên"}).content.decode()
    assert "Không thể cấp lại giấy chứng nhận đã bị thu hồi" in html

    with django_capture_on_commit_callbacks(execute=True):
        record = pass_course(learner_officer, title="Pháp luật lao động")
    other = record.certificates.get()
    TrainingRecord.objects.filter(pk=other.record_id).update(  # voided before voids revoked
        voided_at=timezone.now(), voided_by=auditor, void_reason="Ghi nhầm người"
    )
    url = reverse("certificates:manage", args=[other.pk])
    html = client.post(url, {"action": "reissue", "reason": "Sai chính tả tên"}).content.decode()
    assert "Bản ghi bồi dưỡng của giấy chứng nhận này đã bị hủy" in html
    assert Certificate.objects.count() == 2


def test_a_grassroots_manager_can_zip_their_union(
    client, tree, issued, eager_tasks, django_capture_on_commit_callbacks
):
    from conftest import make_manager

    client.force_login(make_manager(tree["ga"], "manager.ga@example.vn"))
    html = client.get(reverse("certificates:bulk")).content.decode()
    assert '<option value="CS-A">CĐCS Công ty May Ba Đình</option>' in html
    assert 'value="Q-BD"' not in html and 'value="CS-B"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:bulk"), {"unit": "CS-A", "year": issued.year})
    export = BulkExport.objects.get()
    assert response["Location"] == reverse("certificates:bulk_detail", args=[export.pk])
    export.refresh_from_db()
    assert (export.unit, export.status, export.total) == (tree["ga"], "done", 1)


def test_an_auditor_chooses_among_city_and_upper_level_units_only(client, auditor, tree):
    client.force_login(auditor)
    html = client.get(reverse("certificates:bulk")).content.decode()
    offered = re.findall(r'<option value="([^"]+)">', html.split('name="unit"')[1].split("</select>")[0])
    assert offered == ["HN", "Q-BD", "Q-CG"]


def test_the_verify_page_labels_exactly_what_the_certificate_prints(client, issued):
    """An allowlist: any field added to the page (printed on the certificate or not) fails here."""
    html = client.get(f"/verify/{issued.verification_code}/").content.decode()
    result = html.split('id="verify-result"')[1].split("</dl>")[0]
    labels = re.findall(r"<dt>(.*?)</dt>", result, flags=re.S)
    assert labels == [
        "Số",
        "Mã xác thực",
        "Họ và tên",
        "Nội dung bồi dưỡng",
        "Thời gian bồi dưỡng",
        "Đơn vị cấp",
        "Ngày cấp",
        "Mã SHA-256 của tệp PDF",
    ]
    assert len(re.findall(r"<dd>", result)) == len(labels)


@pytest.mark.parametrize("odd", ["²", "٣", "99999999999999999999"])
def test_odd_numbers_in_the_register_search_and_the_zip_form_are_refused_not_errors(
    client, auditor, issued, odd
):
    # "²".isdigit() is true yet int() refuses it; a huge number overflows the integer columns.
    client.force_login(auditor)
    for query, listed in (({"q": odd}, 0), ({"q": f"{odd}/2026"}, 0), ({"year": odd}, 1)):
        response = client.get(reverse("certificates:register"), query)
        assert response.status_code == 200
        assert response.content.decode().count("/download/") == listed  # an unreadable year: no filter
    assert (
        client.get(reverse("certificates:register"), {"q": "1/2026"}).content.decode().count("/download/")
        == 1
    )
    response = client.post(reverse("certificates:bulk"), {"unit": "HN", "year": odd})
    assert response.status_code == 200
    assert "Hãy nhập năm hợp lệ" in response.content.decode()
    assert not BulkExport.objects.exists()


def test_my_certificates_are_paged_newest_first(
    client, learner, learner_officer, django_assert_max_num_queries
):
    from certificates.views import MY_CERTIFICATES_PER_PAGE

    for index in range(MY_CERTIFICATES_PER_PAGE + 1):
        issuing.issue_certificate(record=pass_course(learner_officer, title=f"Khóa số {index:02d}"))
    client.force_login(learner)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("certificates:mine")).content.decode()
    assert first.count('class="card certificate"') == MY_CERTIFICATES_PER_PAGE
    assert f"Khóa số {MY_CERTIFICATES_PER_PAGE:02d}" in first and "Khóa số 00" not in first
    assert "Trang 1 / 2" in first and 'rel="next"' in first
    second = client.get(reverse("certificates:mine"), {"page": 2}).content.decode()
    assert second.count('class="card certificate"') == 1 and "Khóa số 00" in second
    assert client.get(reverse("certificates:mine"), {"page": "x"}).status_code == 200


def test_the_department_keeps_certificate_templates_and_unit_managers_do_not(client, auditor, admin_manager):
    add = "/admin/snippets/certificates/certificatetemplate/add/"
    client.force_login(auditor)
    assert client.get(add).status_code == 200
    assert client.get("/admin/snippets/certificates/certificatetemplate/").status_code == 200
    client.force_login(admin_manager)
    response = client.get(add)
    assert response.status_code in (302, 403)  # Wagtail's "no permission": back to the dashboard
