import contextlib
import itertools
from datetime import date

import pytest
from wagtail.models import Page

from training.ledger.services import record_course_completion

_slugs = itertools.count(1)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://hoctap.example.vn"
    settings.CREDENTIAL_KEYS_DIR = tmp_path / "credential-keys"
    return settings.PRIVATE_MEDIA_ROOT


@contextlib.contextmanager
def tasks_run_eagerly(*, propagate: bool):
    from lms.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, propagate
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process when they are sent (after commit), for tests without a worker."""
    with tasks_run_eagerly(propagate=True):
        yield


@pytest.fixture
def eager_without_propagation():
    """Tasks run in-process when sent; a failing task is recorded as failed, not raised at the sender."""
    with tasks_run_eagerly(propagate=False):
        yield


def make_course(title="Kỹ năng tuyên truyền miệng trong công nhân lao động"):
    root = Page.get_first_root_node()
    return root.add_child(instance=Page(title=title, slug=f"khoa-hoc-{next(_slugs)}"))


def pass_course(officer, title="Kỹ năng tuyên truyền miệng trong công nhân lao động", grants=True, **kwargs):
    """A passed course record, as the courses app records it; returns the record."""
    kwargs.setdefault("completed_on", date(2026, 3, 12))
    kwargs.setdefault("hours", 8)
    record, _ = record_course_completion(
        officer=officer, course=make_course(title), grants_certificate=grants, **kwargs
    )
    return record


@pytest.fixture
def learner_officer(learner):
    officer = learner.officer
    officer.date_of_birth = date(1992, 5, 14)
    officer.save()
    return officer


@pytest.fixture
def issued(learner_officer, eager_tasks, django_capture_on_commit_callbacks):
    """A certificate issued through the ledger event and rendered (eagerly)."""
    with django_capture_on_commit_callbacks(execute=True):
        record = pass_course(learner_officer)
    return record.certificates.get()
