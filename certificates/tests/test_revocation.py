"""Revoking: a replaced certificate is not revoked (the page points to its successor, the valid
one); revoke and reissue of one certificate at the same time have one outcome and one log
entry — on PostgreSQL (row locks) and on SQLite (one writer at a time)."""

import threading
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connections
from django.urls import reverse
from wagtail.models import ModelLogEntry

from certificates import issuing
from certificates.models import Certificate


def log_entries(action=None):
    entries = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Certificate), action__startswith="certificates."
    )
    return entries.filter(action=action) if action else entries


@pytest.fixture
def queued_renders(monkeypatch):
    """Renders a reissue queues, recorded instead of run (they would race for the database too)."""
    queued, lock = [], threading.Lock()

    def record(task, *args, **kwargs):
        with lock:
            queued.append((task.name, args))

    monkeypatch.setattr(issuing, "enqueue", record)
    return queued


def reissued(certificate, auditor, reason="Sửa tên đơn vị"):
    return issuing.reissue_certificate(certificate=certificate, by=auditor, reason=reason)


# --- The rule ----------------------------------------------------------------------------


def test_revoking_a_replaced_certificate_is_refused_and_names_the_valid_one(issued, auditor, queued_renders):
    new = reissued(issued, auditor)
    with pytest.raises(issuing.CertificateReplaced) as refusal:
        issuing.revoke_certificate(certificate=issued, by=auditor, reason="Hồ sơ không hợp lệ")
    assert refusal.value.successor == new
    assert f"đã được thay thế bằng giấy số {new.number_display}" in str(refusal.value)
    assert f"hãy thu hồi giấy số {new.number_display}" in str(refusal.value)
    issued.refresh_from_db()
    new.refresh_from_db()
    assert issued.status == "superseded" and issued.revoked_at is None
    assert new.revoked_at is None and new.superseded_at is None
    assert list(log_entries().values_list("action", flat=True)) == [issuing.REISSUE_ACTION]


def test_along_a_chain_of_reissues_the_refusal_points_to_the_last_one(issued, auditor, queued_renders):
    second = reissued(issued, auditor)
    third = reissued(second, auditor, reason="Sửa ngày sinh")
    issued.refresh_from_db()
    second.refresh_from_db()
    assert issued.current_successor() == third and second.current_successor() == third
    assert third.current_successor() is None
    with pytest.raises(issuing.CertificateReplaced) as refusal:
        issuing.revoke_certificate(certificate=issued, by=auditor, reason="Sai")
    assert refusal.value.successor == third


def test_a_revocation_and_a_reissue_each_write_one_log_entry(issued, auditor, queued_renders):
    new = reissued(issued, auditor)
    (entry,) = log_entries(issuing.REISSUE_ACTION)
    assert (entry.object_id, entry.user_id) == (str(issued.pk), auditor.pk)
    assert entry.data["reason"] == "Sửa tên đơn vị" and entry.data["successor"] == new.pk
    issuing.revoke_certificate(certificate=new, by=auditor, reason="  Gian lận khi làm bài ")
    (entry,) = log_entries(issuing.REVOKE_ACTION)
    assert (entry.object_id, entry.user_id, entry.data) == (
        str(new.pk),
        auditor.pk,
        {"reason": "Gian lận khi làm bài"},
    )
    # A second revocation is refused, says when the first was, and logs nothing.
    with pytest.raises(issuing.CertificateAlreadyRevoked):
        issuing.revoke_certificate(certificate=new, by=auditor, reason="Lần nữa")
    assert log_entries().count() == 2


def test_the_page_of_a_replaced_certificate_offers_no_revoke_and_links_the_valid_one(
    client, issued, auditor, queued_renders
):
    new = reissued(issued, auditor)
    client.force_login(auditor)
    old_url = reverse("certificates:manage", args=[issued.pk])
    new_url = reverse("certificates:manage", args=[new.pk])
    html = client.get(old_url).content.decode()
    assert 'value="revoke"' not in html and 'value="reissue"' not in html
    assert "Giấy chứng nhận này đã được thay thế và không còn hiệu lực" in html
    assert f'<a href="{new_url}">Mở giấy số {new.number_display}</a>' in html
    assert 'value="revoke"' in client.get(new_url).content.decode()  # the valid one can be revoked


def test_a_revoke_posted_to_a_replaced_certificate_is_refused_and_changes_nothing(
    client, issued, auditor, queued_renders
):
    """The issue's case: revoking 173 after it was reissued as 245 said "revoked" while 245
    stayed valid. Now it says nothing was revoked and which certificate is the valid one."""
    new = reissued(issued, auditor)
    client.force_login(auditor)
    response = client.post(
        reverse("certificates:manage", args=[issued.pk]), {"action": "revoke", "reason": "Hồ sơ không hợp lệ"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã thu hồi giấy chứng nhận." not in html
    assert "không có gì bị thu hồi" in html
    new_url = reverse("certificates:manage", args=[new.pk])
    assert f'<a href="{new_url}">Mở giấy số {new.number_display}</a>' in html  # in the message
    issued.refresh_from_db()
    new.refresh_from_db()
    assert issued.revoked_at is None and new.revoked_at is None
    assert not log_entries(issuing.REVOKE_ACTION).exists()
    history = html.split('id="certificate-history"')[1].split("</ul>")[0]
    assert history.count("<li>") == 1 and "Đã cấp lại — auditor@example.vn: Sửa tên đơn vị" in history
    # The public page still calls the old one replaced and the new one valid.
    assert "Đã được thay thế" in client.get(f"/verify/{issued.verification_code}/").content.decode()


def test_a_second_revoke_of_one_certificate_says_it_was_already_revoked(client, issued, auditor):
    client.force_login(auditor)
    url = reverse("certificates:manage", args=[issued.pk])
    first = client.post(url, {"action": "revoke", "reason": "Hồ sơ không hợp lệ"}, follow=True)
    assert "Đã thu hồi giấy chứng nhận." in first.content.decode()
    second = client.post(url, {"action": "revoke", "reason": "Lý do khác"})
    assert "Giấy chứng nhận này đã bị thu hồi từ ngày" in second.content.decode()
    issued.refresh_from_db()
    assert issued.revocation_reason == "Hồ sơ không hợp lệ"
    assert log_entries(issuing.REVOKE_ACTION).count() == 1
    history = second.content.decode().split('id="certificate-history"')[1].split("</ul>")[0]
    assert history.count("<li>") == 1
    assert "Đã thu hồi — auditor@example.vn: Hồ sơ không hợp lệ" in history


# --- Concurrency: real threads, real transactions, on either database ----------------------


def in_thread(target, outcome: dict, name: str, thread_name: str | None = None) -> threading.Thread:
    """Run ``target()`` in a thread with its own connection; its result or error goes in ``outcome``."""

    def run():
        try:
            outcome[name] = target()
        except Exception as error:  # noqa: BLE001 — asserted by the test
            outcome[name] = error
        finally:
            outcome[f"{name} done"] = time.monotonic()
            connections.close_all()

    thread = threading.Thread(target=run, name=thread_name)
    thread.start()
    return thread


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["reissue", "revoke"])
def test_a_revoke_and_a_reissue_of_one_certificate_at_once_have_one_outcome_and_one_log_entry(
    issued, auditor, queued_renders, monkeypatch, first
):
    """The first holds its transaction open (row locked on PostgreSQL, the database's write
    lock on SQLite) while the second starts from the same page load; the second waits, reads
    the state again and is refused."""
    inside, release = threading.Event(), threading.Event()
    real_new_certificate, real_log = issuing._new_certificate, issuing.log

    def holding(step):
        def wrapper(*args, **kwargs):
            result = step(*args, **kwargs)
            if threading.current_thread().name == "first":
                inside.set()
                release.wait(timeout=10)
            return result

        return wrapper

    if first == "reissue":
        monkeypatch.setattr(issuing, "_new_certificate", holding(real_new_certificate))
    else:
        monkeypatch.setattr(issuing, "log", holding(real_log))
    page_load = Certificate.objects.get(pk=issued.pk)  # both requests act on what their page showed
    actions = {
        "reissue": lambda: reissued(page_load, auditor),
        "revoke": lambda: issuing.revoke_certificate(certificate=page_load, by=auditor, reason="Gian lận"),
    }
    second = "revoke" if first == "reissue" else "reissue"
    outcome = {}
    one = in_thread(actions[first], outcome, first, thread_name="first")  # the one the wrapper holds
    assert inside.wait(timeout=30), "the first action never got inside its transaction"
    two = in_thread(actions[second], outcome, second)
    time.sleep(0.5)
    released_at = time.monotonic()
    release.set()
    one.join(timeout=60)
    two.join(timeout=60)
    assert not one.is_alive() and not two.is_alive()
    assert outcome[f"{second} done"] >= released_at  # the second really waited for the first

    issued.refresh_from_db()
    assert isinstance(outcome[second], ValueError)
    if first == "reissue":
        assert isinstance(outcome["reissue"], Certificate)
        assert isinstance(outcome["revoke"], issuing.CertificateReplaced)
        assert outcome["revoke"].successor.pk == outcome["reissue"].pk
        assert issued.status == "superseded" and issued.revoked_at is None
        assert Certificate.objects.get(supersedes=issued).revoked_at is None
        assert [a for (a,) in log_entries().values_list("action")] == [issuing.REISSUE_ACTION]
    else:
        assert isinstance(outcome["revoke"], Certificate)
        assert "đã bị thu hồi" in str(outcome["reissue"])
        assert issued.status == "revoked" and issued.superseded_at is None
        assert Certificate.objects.count() == 1
        assert [a for (a,) in log_entries().values_list("action")] == [issuing.REVOKE_ACTION]


@pytest.mark.django_db(transaction=True)
def test_revokes_and_reissues_released_together_leave_one_outcome_and_one_log_entry(
    issued, auditor, queued_renders
):
    """Two auditors revoking and two reissuing the same certificate, all let go at once."""
    page_load = Certificate.objects.get(pk=issued.pk)
    barrier = threading.Barrier(4, timeout=30)

    def after_barrier(action):
        def run():
            barrier.wait()
            return action()

        return run

    revoke = after_barrier(
        lambda: issuing.revoke_certificate(certificate=page_load, by=auditor, reason="Sai")
    )
    reissue = after_barrier(lambda: reissued(page_load, auditor))
    outcome = {}
    threads = [
        in_thread(action, outcome, name)
        for name, action in [
            ("revoke 1", revoke),
            ("revoke 2", revoke),
            ("reissue 1", reissue),
            ("reissue 2", reissue),
        ]
    ]
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    results = {name: value for name, value in outcome.items() if not name.endswith("done")}
    succeeded = [name for name, value in results.items() if isinstance(value, Certificate)]
    refused = [name for name, value in results.items() if isinstance(value, ValueError)]
    assert len(succeeded) == 1 and len(refused) == 3, results
    (entry,) = log_entries()
    issued.refresh_from_db()
    if succeeded[0].startswith("revoke"):
        assert entry.action == issuing.REVOKE_ACTION
        assert issued.status == "revoked" and Certificate.objects.count() == 1
    else:
        assert entry.action == issuing.REISSUE_ACTION
        assert issued.status == "superseded" and issued.revoked_at is None
        assert Certificate.objects.get(supersedes=issued).status in ("preparing", "valid")
