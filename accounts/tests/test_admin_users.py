"""The admin's list of user accounts names and sorts people the Vietnamese way."""

from core.vietnamese.names import split_full_name
from organizations.tests.factories import OfficerFactory, UserFactory


def test_user_accounts_are_listed_by_given_name_then_family_name(client, tree, django_assert_max_num_queries):
    names = ["Nguyễn Văn An", "Lê Thị Ánh", "Trần Thị Bình", "Đỗ Văn Đức"]
    for number, full in enumerate(reversed(names)):
        family, middle, given_name = split_full_name(full)
        user = UserFactory(email=f"person{number}@example.vn", first_name=given_name, last_name=family)
        OfficerFactory(
            unit=tree["ga"], family_name=family, middle_name=middle, given_name=given_name, user=user
        )
    UserFactory(email="operator@example.vn", first_name="Hà", last_name="Vũ Thu")  # no officer
    admin = UserFactory(email="root@example.vn", is_superuser=True, is_staff=True)
    client.force_login(admin)

    with django_assert_max_num_queries(40):
        page = client.get("/admin/users/").text
    shown = [*names, "Vũ Thu Hà"]
    positions = [page.index(n) for n in shown]  # "last first", never Wagtail's "Hà Vũ Thu"
    assert positions == sorted(positions)
    assert "Hà Vũ Thu" not in page

    page = client.get("/admin/users/", {"ordering": "-name"}).text
    positions = [page.index(n) for n in reversed(names)]
    assert positions == sorted(positions)
