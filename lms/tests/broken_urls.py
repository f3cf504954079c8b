"""The site's URLs plus one view that fails, to see the 500 page a user would get."""

from django.urls import path

from lms.urls import handler403, handler404, handler500  # noqa: F401
from lms.urls import urlpatterns as site_urlpatterns


def broken(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
