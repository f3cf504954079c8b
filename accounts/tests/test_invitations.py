"""Invitations: sent once, renewed explicitly, accepted through allauth's sign-up, linked."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import invitations as services
from accounts.models import Invitation
from organizations.tests.factories import OfficerFactory, UserFactory


def link_in(message) -> str:
    return re.search(r"https?://\S+/roster/invitations/accept/\S+/", message.body).group(0)


def later(invitation, minutes=5):
    """As if the invitation had been issued a few minutes ago (past the resend interval)."""
    Invitation.objects.filter(pk=invitation.pk).update(issued_at=timezone.now() - timedelta(minutes=minutes))


def invite(client, user, **data):
    client.force_login(user)
    return client.post(reverse("accounts:invitation_list"), data, follow=True)


def test_bulk_invite_sends_once_and_skips_accounts_and_pending(
    client, manager_a, tree, django_capture_on_commit_callbacks
):
    mai = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    OfficerFactory(unit=tree["ga"], email="")  # no e-mail: not listed
    OfficerFactory(unit=tree["ga"], email="has@example.vn", user=UserFactory(email="has@example.vn"))
    outside = OfficerFactory(unit=tree["gb"], email="out@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, manager_a, all="1")
    assert "Đã gửi 1 lời mời" in response.text
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]
    assert "Kính gửi" in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, manager_a, all="1")
        invite(client, manager_a, officer=[mai.pk, outside.pk])
    assert len(mail.outbox) == 1  # never twice by accident, never outside scope
    assert Invitation.objects.get().officer == mai
    assert not Invitation.objects.filter(officer=outside).exists()


def test_resend_is_explicit_and_renews_the_link(client, auditor, tree, django_capture_on_commit_callbacks):
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, auditor, officer=[officer.pk])
    invitation = Invitation.objects.get()
    first_link = link_in(mail.outbox[0])
    later(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    assert len(mail.outbox) == 2 and link_in(mail.outbox[1]) != first_link
    invitation.refresh_from_db()
    assert invitation.send_count == 2 and Invitation.objects.count() == 1
    assert client.get(first_link).status_code == 410  # the old link no longer works


def test_expired_invitation_is_refused_and_bulk_renews_it(
    client, auditor, tree, django_capture_on_commit_callbacks
):
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_officers(officers=[officer], invited_by=auditor)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 410 and "hết hạn" in response.text
    with django_capture_on_commit_callbacks(execute=True):
        made, skipped = services.invite_officers(officers=[officer], invited_by=auditor)
    assert (len(made), skipped) == (1, 0)
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 2


def test_sign_up_through_the_invitation_links_the_officer(
    client, auditor, tree, django_capture_on_commit_callbacks
):
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_officers(officers=[officer], invited_by=auditor)
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "mai@example.vn" in page.text
    # The address is locked: another one posted is ignored.
    response = client.post(
        link, {"email": "evil@example.vn", "password1": "Hoc-tap-2026!x", "password2": "Hoc-tap-2026!x"}
    )
    assert response.status_code == 302 and response.url == reverse("learn:dashboard")
    user = get_user_model().objects.get(email="mai@example.vn")
    assert not get_user_model().objects.filter(email="evil@example.vn").exists()
    officer.refresh_from_db()
    assert officer.user == user
    assert Invitation.objects.get().accepted_at is not None
    assert user.emailaddress_set.get().verified
    # The link works once.
    client.logout()
    again = client.get(link)
    assert again.status_code == 410 and "đã được sử dụng" in again.text


def test_allauth_sign_up_is_open_only_with_a_valid_invitation(client, auditor, tree):
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    made, _ = services.invite_officers(officers=[officer], invited_by=auditor)
    signup = reverse("account_signup")
    assert "signup_closed" in " ".join(t.name for t in client.get(signup).templates)
    client.get(reverse("accounts:invitation_accept", args=[made[0].key]))
    response = client.post(
        signup, {"email": "other@example.vn", "password1": "Hoc-tap-2026!x", "password2": "Hoc-tap-2026!x"}
    )
    assert "Hãy dùng địa chỉ đã nhận lời mời" in response.text
    assert not get_user_model().objects.filter(email="other@example.vn").exists()
    client.post(
        signup, {"email": "mai@example.vn", "password1": "Hoc-tap-2026!x", "password2": "Hoc-tap-2026!x"}
    )
    officer.refresh_from_db()
    assert officer.user is not None and officer.user.email == "mai@example.vn"


def test_unknown_link_and_invitation_list_query_count(client, auditor, tree, django_assert_max_num_queries):
    assert client.get(reverse("accounts:invitation_accept", args=["nope"])).status_code == 410
    client.force_login(auditor)
    url = reverse("accounts:invitation_list")
    OfficerFactory(unit=tree["ga"], email="a@example.vn")
    # 15, whatever the size: the unit filter counts the scope once to choose list or code input;
    # officers' open activation codes and the recent activations are one query each.
    with django_assert_max_num_queries(15):
        client.get(url)
    officers = [OfficerFactory(unit=tree["ga"], email=f"p{i}@example.vn") for i in range(30)]
    services.invite_officers(officers=officers[:10], invited_by=auditor)
    with django_assert_max_num_queries(15):
        response = client.get(url)
    assert "Gửi lại" in response.text


def test_failed_sends_are_not_marked_sent_and_the_batch_goes_on(tree, auditor, settings):
    settings.EMAIL_BACKEND = "organizations.tests.mail_backends.RefusingBackend"
    officers = [
        OfficerFactory(unit=tree["ga"], email=email)
        for email in ("an@example.vn", "down@example.vn", "binh@example.vn")
    ]
    made, _ = services.invite_officers(officers=officers, invited_by=auditor)
    report = services.send_invitation_emails(invitation_ids=[i.pk for i in made])
    assert report.sent == 2
    assert [(email, "SMTPRecipientsRefused" in reason) for _pk, email, reason in report.failed] == [
        ("down@example.vn", True)
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.vn", "binh@example.vn"]
    down = Invitation.objects.get(email="down@example.vn")
    assert down.sent_at is None and down.send_count == 0 and down.send_error
    assert all(i.sent_at for i in Invitation.objects.exclude(pk=down.pk))
    # Once the server takes it, the same call sends only what is still unsent.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = services.send_invitation_emails(invitation_ids=[i.pk for i in made])
    assert (again.sent, again.failed) == (1, [])
    assert [m.to[0] for m in mail.outbox[2:]] == ["down@example.vn"]
    down.refresh_from_db()
    assert down.sent_at and down.send_error == "" and down.send_count == 1


def test_list_reports_invitations_the_server_refused(
    client, manager_a, tree, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "organizations.tests.mail_backends.UnreachableBackend"
    OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    OfficerFactory(unit=tree["ga"], email="lan@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, manager_a, all="1")
    assert mail.outbox == []
    assert not Invitation.objects.filter(sent_at__isnull=False).exists()
    page = client.get(reverse("accounts:invitation_list"))
    assert "2 lời mời chưa gửi được" in page.text
    assert page.text.count(">Chưa gửi được</span>") == 2  # the badge on each row
    # "Gửi lại" right away is allowed after a failure, and works once the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    invitation = Invitation.objects.get(email="mai@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]
    assert "1 lời mời chưa gửi được" in client.get(reverse("accounts:invitation_list")).text


def test_double_click_on_resend_sends_one_email(client, auditor, tree, django_capture_on_commit_callbacks):
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_officers(officers=[officer], invited_by=auditor)
    invitation = Invitation.objects.get()
    later(invitation)
    client.force_login(auditor)
    url = reverse("accounts:invitation_resend", args=[invitation.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        second = client.post(url, follow=True)
    assert len(mail.outbox) == 2  # the invitation, then one resend
    assert "vừa được gửi" in second.text
    # The second click after the first e-mail went out is refused too.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 2
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert link_in(mail.outbox[1]).endswith(f"/{invitation.key}/")  # the mail carries the live link


def test_resend_outside_scope_is_404(client, manager_a, auditor, tree, django_capture_on_commit_callbacks):
    outside = OfficerFactory(unit=tree["gb"], email="out@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        services.invite_officers(officers=[outside], invited_by=auditor)
    invitation = Invitation.objects.get()
    later(invitation)
    key = invitation.key
    client.force_login(manager_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 404
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.key == key


def test_resend_redirects_only_to_this_site(client, auditor, tree):
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    made, _ = services.invite_officers(officers=[officer], invited_by=auditor)
    client.force_login(auditor)
    url = reverse("accounts:invitation_resend", args=[made[0].pk])
    for target in ("https://evil.example/phish", "//evil.example/", "javascript:alert(1)"):
        later(made[0])
        response = client.post(url, {"next": target})
        assert response.url == reverse("accounts:invitation_list")
    later(made[0])
    inside = reverse("accounts:invitation_list") + "?unit=Q-BD&page=2"
    assert client.post(url, {"next": inside}).url == inside


def test_an_invitation_being_sent_elsewhere_is_not_sent_or_renewed_again(tree, auditor):
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    made, _ = services.invite_officers(officers=[officer], invited_by=auditor)
    invitation = made[0]
    Invitation.objects.filter(pk=invitation.pk).update(claimed_at=timezone.now())  # another worker
    later(invitation)
    assert services.send_invitation_emails(invitation_ids=[invitation.pk]).sent == 0
    invitation.refresh_from_db()
    with pytest.raises(services.ResendTooSoon):
        services.resend_invitation(invitation=invitation, by=auditor)
    assert mail.outbox == []
    # A claim left by a worker that died is taken over after a while.
    Invitation.objects.filter(pk=invitation.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    assert services.send_invitation_emails(invitation_ids=[invitation.pk]).sent == 1
    assert [m.to for m in mail.outbox] == [["mai@example.vn"]]


def test_many_invitations_go_to_one_task_that_sends_each_once(
    client, tree, auditor, django_capture_on_commit_callbacks
):
    from unittest import mock

    from accounts.tasks import send_invitations

    officers = [
        OfficerFactory(unit=tree["ga"], email=f"can.bo.{n}@example.vn")
        for n in range(services.INLINE_SEND_LIMIT + 1)
    ]
    with mock.patch.object(send_invitations, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            asked = invite(client, auditor, all="1")  # more than a handful: confirm first
            assert "Mời tất cả 51 cán bộ chưa có tài khoản" in asked.text and not Invitation.objects.exists()
            response = invite(client, auditor, all="1", confirmed="1")
    # Nothing is sent inside the request, and the page does not claim it was.
    assert mail.outbox == []
    assert f"Đang gửi {len(officers)} lời mời" in response.text and "Đã gửi" not in response.text
    assert "Đang chờ gửi" in response.text  # each row, until the worker has sent it
    (ids,), _ = delay.call_args
    assert delay.call_count == 1 and sorted(ids) == sorted(Invitation.objects.values_list("pk", flat=True))
    assert send_invitations.run(ids) == {"sent": len(officers), "failed": 0}
    assert send_invitations.run(ids) == {"sent": 0, "failed": 0}  # a re-delivered task sends nothing
    assert sorted(m.to[0] for m in mail.outbox) == sorted(o.email for o in officers)
    listing = client.get(reverse("accounts:invitation_list")).text
    assert "Đang chờ gửi" not in listing and "Đã gửi, hiệu lực đến" in listing
    linked = {i.email: i.officer_id for i in Invitation.objects.all()}
    assert linked == {o.email: o.pk for o in officers}


def test_a_unit_outside_scope_or_unknown_is_404_and_never_widens_invite_everyone(
    client, manager_a, tree, django_capture_on_commit_callbacks
):
    inside = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    for code in ("NO-SUCH-UNIT", tree["gb"].code):
        client.force_login(manager_a)
        assert client.get(reverse("accounts:invitation_list"), {"unit": code}).status_code == 404
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:invitation_list"), {"unit": code, "all": "1"})
        assert response.status_code == 404
    assert mail.outbox == [] and not Invitation.objects.exists()
    # Inside scope, "everyone" means everyone in that unit's subtree.
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, manager_a, unit=tree["ga"].code, all="1")
    assert [m.to for m in mail.outbox] == [[inside.email]]


def test_an_address_corrected_after_the_invitation_gets_the_new_link(
    client, auditor, tree, django_capture_on_commit_callbacks
):
    officer = OfficerFactory(unit=tree["ga"], email="mai.typo@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, auditor, officer=[officer.pk])
    old_link = link_in(mail.outbox[0])
    officer.email = "mai@example.vn"  # e.g. corrected by a re-import
    officer.save(update_fields=["email"])
    listing = client.get(reverse("accounts:invitation_list")).text
    assert "Đã gửi tới địa chỉ cũ (mai.typo@example.vn)" in listing
    assert f'name="officer" value="{officer.pk}"' in listing  # may be invited again
    # The old link may have reached someone else: it no longer opens sign-up.
    response = client.get(old_link)
    assert response.status_code == 410 and "không còn trong danh sách" in response.text
    # "Invite" renews the same invitation for the new address; it is not a second one.
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, auditor, all="1")
    assert [m.to for m in mail.outbox] == [["mai.typo@example.vn"], ["mai@example.vn"]]
    invitation = Invitation.objects.get()
    assert invitation.email == "mai@example.vn"
    # A resend goes to the address on the roster too.
    officer.email = "mai.nguyen@example.vn"
    officer.save(update_fields=["email"])
    later(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    assert mail.outbox[-1].to == ["mai.nguyen@example.vn"]
    assert link_in(mail.outbox[-1]).endswith(f"/{Invitation.objects.get().key}/")
    assert Invitation.objects.count() == 1


def test_resend_to_an_officer_without_an_address_is_refused(client, auditor, tree):
    officer = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    made, _ = services.invite_officers(officers=[officer], invited_by=auditor)
    later(made[0])
    officer.email = ""
    officer.save(update_fields=["email"])
    client.force_login(auditor)
    response = client.post(reverse("accounts:invitation_resend", args=[made[0].pk]), follow=True)
    assert "không còn địa chỉ thư điện tử" in response.text
    assert Invitation.objects.get().key == made[0].key


def test_a_manager_picks_any_unit_of_their_subtree_from_the_list(
    client, manager_a, tree, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    in_grassroots = OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    OfficerFactory(unit=tree["a"], email="hung@example.vn")
    client.force_login(manager_a)
    url = reverse("accounts:invitation_list")
    listing = client.get(url).text
    offered = re.findall(r'<option value="([^"]*)"', listing)
    assert offered == ["", tree["a"].code, tree["ga"].code]  # the grassroots union too; nothing outside
    with django_assert_max_num_queries(16):  # and one to find the chosen unit
        response = client.get(url, {"unit": tree["ga"].code})
    assert f'<option value="{tree["ga"].code}" selected>' in response.text
    assert "mai@example.vn" in response.text and "hung@example.vn" not in response.text
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, manager_a, unit=tree["ga"].code, all="1")
    assert [m.to for m in mail.outbox] == [[in_grassroots.email]]


def test_a_large_scope_types_a_unit_code_with_suggestions(client, auditor, tree, monkeypatch):
    monkeypatch.setattr("organizations.fields.UNIT_SELECT_LIMIT", 3)  # the tree has 5 units
    OfficerFactory(unit=tree["gb"], email="lan@example.vn")
    OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    client.force_login(auditor)
    url = reverse("accounts:invitation_list")
    page = client.get(url).text
    assert 'data-unit-search="/roster/units/search.json"' in page and "unit_code_input.js" in page
    assert "<select" not in page
    response = client.get(url, {"unit": tree["gb"].code.lower()})  # a code typed in lower case
    assert response.status_code == 200
    assert "lan@example.vn" in response.text and "mai@example.vn" not in response.text
    suggestions = client.get(reverse("organizations:unit_search"), {"q": "Cầu Giấy"}).json()["results"]
    assert {s["code"] for s in suggestions} == {tree["b"].code, tree["gb"].code}


def test_a_mistyped_unit_code_is_404_with_the_reason_and_nothing_to_invite(
    client, auditor, tree, monkeypatch
):
    monkeypatch.setattr("organizations.fields.UNIT_SELECT_LIMIT", 3)
    OfficerFactory(unit=tree["ga"], email="mai@example.vn")
    client.force_login(auditor)
    response = client.get(reverse("accounts:invitation_list"), {"unit": "CS-XYZ"})
    assert response.status_code == 404
    assert "Không có đơn vị nào mang mã “CS-XYZ” trong phạm vi của bạn" in response.text
    assert 'value="CS-XYZ"' in response.text  # kept in the field, to correct
    assert "mai@example.vn" not in response.text and 'name="all"' not in response.text
