"""URLs of the ledger pages (included by ``training.urls`` in the "training" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("officers/<dbid:officer_pk>/records/", views.officer_records, name="officer_records"),
    path("records/<dbid:pk>/void/", views.record_void, name="record_void"),
    path("records/<dbid:pk>/correct/", views.record_correct, name="record_correct"),
    path("my-records/", views.my_records, name="my_records"),
]
