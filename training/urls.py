"""/training/: the class pages and the ledger pages, one "training" namespace (the audit has /audit/)."""

from .classes.urls import urlpatterns as class_urls
from .ledger.urls import urlpatterns as ledger_urls

app_name = "training"
urlpatterns = [*class_urls, *ledger_urls]
