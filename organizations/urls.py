from django.urls import path, re_path

from . import import_views, views

app_name = "organizations"
urlpatterns = [
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/<dbid:pk>/", views.officer_detail, name="officer_detail"),
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/search.json", views.unit_search, name="unit_search"),
    # Any code, also one an older version let through ("CG/TEST", a line break): its page and the
    # links to it must not fail while an auditor corrects it (codes are A–Z, 0–9 and "-" now).
    re_path(r"^units/(?P<code>[\s\S]+)/\Z", views.unit_tree, name="unit_detail"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/template.xlsx", import_views.import_template, name="import_template"),
    path("import/<dbid:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<dbid:pk>/status.json", import_views.import_status, name="import_status"),
    path("import/<dbid:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
]
