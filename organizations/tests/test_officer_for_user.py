"""Which officer is this user: one answer, ``Officer.objects.for_user``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from organizations.models import Officer

from .factories import UserFactory


def test_a_learner_is_their_officer(learner):
    fresh = get_user_model().objects.get(pk=learner.pk)
    assert Officer.objects.for_user(fresh).full_name == "Nguyễn Thị Mai"


def test_nobody_signed_in_and_staff_without_a_roster_entry_are_no_officer(db, auditor):
    assert Officer.objects.for_user(AnonymousUser()) is None
    assert Officer.objects.for_user(None) is None
    assert Officer.objects.for_user(UserFactory(email="editor@example.vn")) is None


def test_asking_again_for_the_same_user_costs_no_query(learner, django_assert_num_queries):
    fresh = get_user_model().objects.get(pk=learner.pk)
    with django_assert_num_queries(1):
        first = Officer.objects.for_user(fresh)
    with django_assert_num_queries(0):
        assert Officer.objects.for_user(fresh) == first
    loaded = get_user_model().objects.select_related("officer").get(pk=learner.pk)
    with django_assert_num_queries(0):
        assert Officer.objects.for_user(loaded) == first


def test_it_cannot_be_chained_after_a_filter_it_would_ignore(learner):
    # A scoped queryset has no for_user: the answer is about the person, not a filtered list.
    assert not hasattr(Officer.objects.in_scope(learner), "for_user")
