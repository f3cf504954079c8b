"""Fixtures the demo's tests share with the apps whose demo builders they test.

The certificates app's: rendered files go to a temporary folder (autouse, so the PDFs that
``seed_demo`` renders never land in ``var/``), tasks run in-process, a learner with a birth date.
"""

from certificates.tests.conftest import eager_tasks, learner_officer, private_media  # noqa: F401
