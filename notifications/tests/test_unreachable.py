"""Managers see who in their subtree no message reaches, with a count; the list matches the routing."""

from notifications import routing
from notifications.selectors import unreachable_officers
from organizations.models import Officer
from organizations.tests.factories import OfficerFactory, UserFactory

URL = "/roster/unreachable/"


def test_managers_see_the_unreachable_of_their_subtree_only(client, tree, manager_a, manager_b):
    OfficerFactory(unit=tree["ga"], given_name="Mail", email="mail@example.vn", phone="")
    OfficerFactory(
        unit=tree["ga"], given_name="Account", email="", phone="", user=UserFactory(email="a@x.vn")
    )
    phone_only = OfficerFactory(unit=tree["ga"], given_name="Phone", email="", phone="+84912000001")
    nobody = OfficerFactory(unit=tree["ga"], given_name="Nobody", email="", phone="")
    OfficerFactory(unit=tree["gb"], given_name="Elsewhere", email="", phone="")
    client.force_login(manager_a)
    html = client.get(URL).content.decode()
    # E-mail only is configured here (tests set no SMS or Zalo): a phone reaches nobody yet.
    assert "2 cán bộ thuộc đơn vị của anh/chị không có số điện thoại hay thư điện tử" in html
    assert nobody.full_name in html and phone_only.full_name in html and "Elsewhere" not in html
    assert "Cán bộ không nhận được tin" in client.get("/roster/officers/").content.decode()


def test_a_configured_sms_gateway_reaches_phone_only_officers(client, tree, manager_a, sms):
    phone_only = OfficerFactory(unit=tree["ga"], email="", phone="+84912000001")
    nobody = OfficerFactory(unit=tree["ga"], email="", phone="")
    client.force_login(manager_a)
    html = client.get(URL).content.decode()
    assert "1 cán bộ" in html and nobody.full_name in html and phone_only.full_name not in html
    # The page's list is the routing's answer, computed in SQL.
    for officer in Officer.objects.in_scope(manager_a).select_related("user"):
        listed = unreachable_officers(manager_a).filter(pk=officer.pk).exists()
        assert listed == (not routing.route(officer))


def test_learners_cannot_see_it(client, learner):
    client.force_login(learner)
    assert client.get(URL).status_code == 403


def test_the_page_costs_the_same_queries_for_few_and_many(
    client, tree, manager_a, django_assert_max_num_queries
):
    client.force_login(manager_a)
    OfficerFactory(unit=tree["ga"], email="", phone="")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for _n in range(30):
        OfficerFactory(unit=tree["ga"], email="", phone="")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).status_code == 200
