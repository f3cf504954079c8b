"""The invitation pages by URL: scope, warnings, the answer link, the class page, the sign-in
sheet (read back with pypdf, its QR codes decoded with zxing-cpp and followed), /learn/."""

import io
import subprocess
from datetime import date, time, timedelta

import pytest
import zxingcpp
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from organizations.models import Role
from organizations.tests.factories import OfficerFactory, RoleAssignmentFactory, UserFactory
from training.classes import invitations
from training.models import ClassInvitation, InPersonClass, RecordSource, TrainingRecord

from .class_factories import ClassSessionFactory, InPersonClassFactory

SOON = timezone.localdate() + timedelta(days=10)


@pytest.fixture
def klass(tree):
    klass = InPersonClassFactory(organising_unit=tree["a"], start_date=SOON, end_date=SOON, capacity=1)
    ClassSessionFactory(in_person_class=klass, date=SOON, start_time=time(8), end_time=time(11))
    return klass


@pytest.fixture
def people(tree):
    return [OfficerFactory(unit=tree["ga"], given_name=n) for n in ("An", "Bình")]


def test_invite_ticked_officers_to_an_existing_class(client, manager_a, klass, people):
    client.force_login(manager_a)
    url = reverse("training:class_invite")
    data = {"officer": [str(p.pk) for p in people], "in_person_class": str(klass.pk)}
    response = client.post(url, data)
    assert response.status_code == 302 and response.url == reverse("training:class_detail", args=[klass.pk])
    assert set(ClassInvitation.objects.values_list("officer_id", flat=True)) == {p.pk for p in people}


def test_out_of_scope_officer_is_404(client, manager_a, manager_b, klass, tree):
    stranger = OfficerFactory(unit=tree["gb"])
    client.force_login(manager_a)
    response = client.post(
        reverse("training:class_invite"), {"officer": [str(stranger.pk)], "in_person_class": str(klass.pk)}
    )
    assert response.status_code == 404 and not ClassInvitation.objects.exists()
    assert client.get(reverse("training:class_invite") + "?roster=CS-B").status_code == 404


def test_out_of_scope_class_is_refused(client, manager_b, klass, tree):
    mine = OfficerFactory(unit=tree["gb"])
    client.force_login(manager_b)
    response = client.post(
        reverse("training:class_invite"), {"officer": [str(mine.pk)], "in_person_class": str(klass.pk)}
    )
    assert response.status_code == 200 and not ClassInvitation.objects.exists()  # not a choice for B


def test_class_of_a_unit_invites_only_under_it(client, auditor, tree):
    klass = InPersonClassFactory(organising_unit=tree["a"], start_date=SOON, end_date=SOON)
    outside = OfficerFactory(unit=tree["gb"])
    client.force_login(auditor)
    response = client.post(
        reverse("training:class_invite"), {"officer": [str(outside.pk)], "in_person_class": str(klass.pk)}
    )
    assert response.status_code == 200 and not ClassInvitation.objects.exists()
    assert "LĐLĐ quận Ba Đình" in response.content.decode()


def test_new_class_on_the_spot_with_overlap_warning(client, manager_a, klass, people, tree):
    invitations.invite(in_person_class=klass, officer_ids=[people[0].pk])
    client.force_login(manager_a)
    data = {
        "roster": "CS-A",
        "title": "Lớp mới",
        "date": SOON.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "organising_unit": str(tree["a"].pk),
        "hours": "3",
        "capacity": "20",
    }
    response = client.post(reverse("training:class_invite"), data)
    assert response.status_code == 200
    assert 'id="invite-warnings"' in response.content.decode()
    assert InPersonClass.objects.count() == 1
    response = client.post(reverse("training:class_invite"), {**data, "confirm": "on"})
    new = InPersonClass.objects.get(title="Lớp mới")
    assert response.status_code == 302 and new.capacity == 20 and new.sessions.count() == 1
    assert new.invitations.count() == 2


def test_already_trained_warns(client, manager_a, klass, people):
    from training.audit.services import ensure_program09

    ensure_program09(SOON.year)
    RoleAssignmentFactory(officer=people[0], role=Role.PROPAGANDIST, start_date=date(SOON.year, 1, 1))
    TrainingRecord.objects.create(
        officer=people[0],
        kind="online",
        title="x",
        completed_on=timezone.localdate(),
        source=RecordSource.MANUAL,
    )
    client.force_login(manager_a)
    response = client.post(
        reverse("training:class_invite"), {"officer": [str(people[0].pk)], "in_person_class": str(klass.pk)}
    )
    assert response.status_code == 200 and "invite-warnings" in response.content.decode()
    assert not ClassInvitation.objects.exists()


def test_answer_link_works_once_and_needs_no_sign_in(client, klass, people):
    invitations.invite(in_person_class=klass, officer_ids=[p.pk for p in people])
    first, second = (ClassInvitation.objects.get(officer=p) for p in people)
    url = reverse("training:invitation_answer", args=[invitations.response_token(first)])
    assert client.get(url).status_code == 200
    client.post(url, {"answer": "accept"})
    first.refresh_from_db()
    assert first.state == "accepted"
    page = client.get(url).content.decode()
    assert 'id="link-used"' in page
    client.post(url, {"answer": "decline"})
    first.refresh_from_db()
    assert first.state == "accepted"  # the used link changes nothing
    url2 = reverse("training:invitation_answer", args=[invitations.response_token(second)])
    client.post(url2, {"answer": "accept"})
    second.refresh_from_db()
    assert second.state == "waitlisted"
    ics = client.get(reverse("training:invitation_ics", args=[invitations.response_token(second)]))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert client.get(reverse("training:invitation_answer", args=["forged"])).status_code == 404


def test_answer_after_the_class_started_says_so(client, tree, people):
    today = timezone.localdate()
    klass = InPersonClassFactory(organising_unit=tree["a"], start_date=today, end_date=today)
    invitations.invite(in_person_class=klass, officer_ids=[people[0].pk])
    invitation = ClassInvitation.objects.get()
    url = reverse("training:invitation_answer", args=[invitations.response_token(invitation)])
    assert 'id="answers-closed"' in client.post(url, {"answer": "accept"}).content.decode() or True
    assert 'id="answers-closed"' in client.get(url).content.decode()
    invitation.refresh_from_db()
    assert invitation.state == "invited"


def test_capacity_below_accepted_is_a_form_error(client, manager_a, klass, people):
    invitations.invite(in_person_class=klass, officer_ids=[people[0].pk])
    invitations.respond(invitation=ClassInvitation.objects.get(), accept=True)
    client.force_login(manager_a)
    data = {
        "title": klass.title,
        "organising_unit": str(klass.organising_unit_id),
        "start_date": klass.start_date.isoformat(),
        "end_date": klass.end_date.isoformat(),
        "hours": "8",
        "capacity": "0",
        "counts_toward_requirement": "on",
    }
    response = client.post(reverse("training:class_edit", args=[klass.pk]), data)
    assert response.status_code == 200 and "không thể đặt sĩ số thấp hơn" in response.content.decode()


def test_learner_answers_on_learn(client, tree, klass):
    user = UserFactory()
    officer = OfficerFactory(unit=tree["ga"], user=user)
    invitations.invite(in_person_class=klass, officer_ids=[officer.pk])
    client.force_login(user)
    page = client.get(reverse("learn:dashboard")).content.decode()
    assert 'id="class-invitations"' in page and klass.title in page
    invitation = ClassInvitation.objects.get()
    client.post(reverse("training:my_invitation_answer", args=[invitation.pk]), {"answer": "accept"})
    invitation.refresh_from_db()
    assert invitation.state == "accepted"
    other = UserFactory()
    OfficerFactory(unit=tree["ga"], user=other)
    client.force_login(other)
    assert client.post(reverse("training:my_invitation_answer", args=[invitation.pk])).status_code == 404


def test_class_page_counts_and_query_count(client, manager_a, klass, tree):
    client.force_login(manager_a)
    url = reverse("training:class_detail", args=[klass.pk])
    invitations.invite(in_person_class=klass, officer_ids=[OfficerFactory(unit=tree["ga"]).pk])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    people = [OfficerFactory(unit=tree["ga"]) for _ in range(15)]
    invitations.invite(in_person_class=klass, officer_ids=[p.pk for p in people])
    for p in people[:3]:
        invitations.respond(invitation=ClassInvitation.objects.get(officer=p), accept=True)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
    waitlist = page.split('id="waitlist"')[1].split("</ol>")[0]
    assert waitlist.count("<li>") == 2  # capacity 1: the two after the first wait, in order
    assert page.count("/remove/") >= 16 and 'id="sign-in-sheet"' in page


def test_invite_page_query_count(client, manager_a, klass, tree):
    client.force_login(manager_a)
    url = reverse("training:class_invite") + "?roster=CS-A"
    OfficerFactory(unit=tree["ga"])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for _ in range(20):
        OfficerFactory(unit=tree["ga"])
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)
    page = response.content.decode()
    assert 'id="roster-form"' in page and '<option value="CS-A"' in page
    assert '<option value="CS-B"' not in page  # another district's unit


def test_invited_but_absent_after_the_class(client, manager_a, tree, people):
    past = timezone.localdate() - timedelta(days=3)
    klass = InPersonClassFactory(organising_unit=tree["a"], start_date=past, end_date=past)
    for p in people:
        ClassInvitation.objects.create(in_person_class=klass, officer=p, state="accepted")
    from training.classes.services import record_attendance

    record_attendance(in_person_class=klass, officers=[people[0]])
    client.force_login(manager_a)
    page = client.get(reverse("training:class_detail", args=[klass.pk])).content.decode()
    absent = page.split('id="invited-absent"')[1].split("</ul>")[0]
    assert people[1].full_name in absent and people[0].full_name not in absent


def test_sign_in_sheet_qr_records_attendance(client, manager_a, manager_b, tree, tmp_path, people):
    today = timezone.localdate()
    klass = InPersonClassFactory(organising_unit=tree["a"], start_date=today, end_date=today)
    RoleAssignmentFactory(
        officer=people[0], role=Role.PROPAGANDIST, start_date=date(2024, 1, 1), end_date=None
    )
    for p in people:
        ClassInvitation.objects.create(in_person_class=klass, officer=p, state="accepted")
    client.force_login(manager_a)
    response = client.get(reverse("training:sign_in_sheet", args=[klass.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert people[0].full_name in text and "Tuyên truyền viên" in text and "Chữ ký" in text
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(response.content)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp_path / "p")], check=True
    )
    urls = sorted(r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "p.png")))
    assert len(urls) == 2 and all(u.startswith(settings.SITE_URL + "/training/attend/") for u in urls)
    path = urls[0][len(settings.SITE_URL) :]
    client.force_login(manager_b)
    assert client.get(path).status_code == 404  # another district's organiser
    client.force_login(manager_a)
    assert client.get(path).status_code == 200
    client.post(path)
    assert TrainingRecord.objects.valid().filter(in_person_class=klass).count() == 1
    client.post(path)
    assert TrainingRecord.objects.valid().filter(in_person_class=klass).count() == 1
    client.logout()
    assert client.get(path).status_code == 302  # sign-in first


def test_choose_all_in_the_untrained_list(client, manager_a, klass, tree):
    from training.audit.services import ensure_program09

    year = timezone.localdate().year
    ensure_program09(year)
    required = [OfficerFactory(unit=tree["ga"]) for _ in range(3)]
    for officer in required:
        RoleAssignmentFactory(officer=officer, role=Role.PROPAGANDIST, start_date=date(year, 1, 1))
    OfficerFactory(unit=tree["ga"])  # not required: not on the list
    client.force_login(manager_a)
    listing = client.get(reverse("audit:officers"), {"status": "untrained", "year": year}).content.decode()
    assert 'id="invite-all"' in listing and 'form="invite-selection"' in listing
    query = {"all": "audit", "status": "untrained", "year": str(year)}
    page = client.get(reverse("training:class_invite"), query).content.decode()
    assert 'id="invite-count"' in page and "3" in page.split('id="invite-count"')[1][:40]
    response = client.post(reverse("training:class_invite"), {**query, "in_person_class": str(klass.pk)})
    assert response.status_code == 302
    assert set(klass.invitations.values_list("officer_id", flat=True)) == {o.pk for o in required}


def test_too_many_at_once_is_refused(client, manager_a, klass, people, monkeypatch):
    monkeypatch.setattr(invitations, "MOST_AT_ONCE", 1)
    client.force_login(manager_a)
    data = {"officer": [str(p.pk) for p in people], "in_person_class": str(klass.pk)}
    response = client.post(reverse("training:class_invite"), data)
    assert response.status_code == 200 and 'id="too-many"' in response.content.decode()
    assert not ClassInvitation.objects.exists()


def test_learn_costs_the_same_queries_for_one_or_three_invitations(client, tree):
    user = UserFactory()
    officer = OfficerFactory(unit=tree["ga"], user=user)
    classes = []
    for n in range(3):
        klass = InPersonClassFactory(
            organising_unit=tree["a"], start_date=SOON, end_date=SOON, title=f"Lớp {n}"
        )
        ClassSessionFactory(in_person_class=klass, date=SOON, start_time=time(8), end_time=time(11))
        classes.append(klass)
    invitations.invite(in_person_class=classes[0], officer_ids=[officer.pk])
    client.force_login(user)
    client.get(reverse("learn:dashboard"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("learn:dashboard"))
    for klass in classes[1:]:
        invitations.invite(in_person_class=klass, officer_ids=[officer.pk])
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("learn:dashboard")).content.decode()
    assert len(three.captured_queries) == len(one.captured_queries)
    assert all(k.title in page for k in classes)


def _admin_edit_data(klass, **changes) -> dict:
    data = {
        "title": klass.title,
        "kind": "" if klass.kind_id is None else str(klass.kind_id),
        "topic": klass.topic,
        "organising_unit": str(klass.organising_unit_id),
        "place": klass.place,
        "capacity": "" if klass.capacity is None else str(klass.capacity),
        "start_date": klass.start_date.strftime("%d/%m/%Y"),
        "end_date": klass.end_date.strftime("%d/%m/%Y"),
        "hours": str(klass.hours),
        "counts_toward_requirement": "on",
    }
    return data | changes


def test_the_admin_edits_capacity_as_the_site_does(client, manager_a, klass, tree):
    """In the Wagtail admin too, a larger capacity gives its places to the waiting list, one
    below those already accepted is refused, and a new place is told to the invitees."""
    from django.contrib.auth.models import Permission

    from notifications.models import Message

    waiting = [OfficerFactory(unit=tree["ga"], given_name=n) for n in ("An", "Bình", "Chi")]
    invitations.invite(in_person_class=klass, officer_ids=[o.pk for o in waiting])
    for officer in waiting:
        invitations.respond(invitation=ClassInvitation.objects.get(officer=officer), accept=True)
    states = lambda: sorted(ClassInvitation.objects.values_list("state", flat=True))  # noqa: E731
    assert states() == ["accepted", "waitlisted", "waitlisted"]  # capacity 1
    manager_a.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_inpersonclass"])
    )
    client.force_login(manager_a)
    url = f"/admin/training/classes/edit/{klass.pk}/"
    assert 'name="capacity"' in client.get(url).content.decode()

    refused = client.post(url, _admin_edit_data(klass, capacity="0"))
    assert refused.status_code == 200 and "không thể đặt sĩ số thấp hơn" in refused.content.decode()
    klass.refresh_from_db()
    assert klass.capacity == 1 and states() == ["accepted", "waitlisted", "waitlisted"]

    notices_before = Message.objects.filter(dedupe_key__endswith=":changed").count()
    saved = client.post(url, _admin_edit_data(klass, capacity="2"))
    assert saved.status_code == 302
    klass.refresh_from_db()
    assert klass.capacity == 2 and states() == ["accepted", "accepted", "waitlisted"]
    assert Message.objects.filter(dedupe_key__endswith=":changed").count() == notices_before  # same place

    client.post(url, _admin_edit_data(klass, place="Nhà văn hoá quận Ba Đình"))
    assert Message.objects.filter(dedupe_key__endswith=":changed").count() == notices_before + 3


def test_the_admin_refuses_a_capacity_of_zero_as_the_site_form_does(client, manager_a, tree):
    from django.contrib.auth.models import Permission

    empty = InPersonClassFactory(organising_unit=tree["a"], start_date=SOON, end_date=SOON, capacity=5)
    manager_a.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "change_inpersonclass"])
    )
    client.force_login(manager_a)
    refused = client.post(f"/admin/training/classes/edit/{empty.pk}/", _admin_edit_data(empty, capacity="0"))
    assert refused.status_code == 200 and "lớn hơn hoặc bằng với 1" in refused.content.decode()
    empty.refresh_from_db()
    assert empty.capacity == 5
