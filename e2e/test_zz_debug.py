def test_debug(page, learner, auditor):
    from lms.models import HomePage
    from wagtail.models import Page
    print("HOME", list(HomePage.objects.values_list("depth", "title")), list(Page.objects.values_list("depth", "title")))
