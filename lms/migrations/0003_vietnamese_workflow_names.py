"""Name Wagtail's default moderation workflow and its task in Vietnamese.

Wagtail's migrations make them from the group's name: "Moderators approval", which the editor's
publish menu then reads as "Gửi duyệt theo Moderators approval". They are data, not messages,
so no catalogue translates them; this renames them once. A workflow or task someone has already
renamed is left alone, and reversing restores Wagtail's names.
"""

from django.db import migrations

WAGTAIL_NAME = "Moderators approval"
WORKFLOW_NAME = "Quy trình kiểm duyệt"
TASK_NAME = "Kiểm duyệt nội dung"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WAGTAIL_NAME).update(name=WORKFLOW_NAME)
    apps.get_model("wagtailcore", "Task").objects.filter(name=WAGTAIL_NAME).update(name=TASK_NAME)


def restore(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).update(name=WAGTAIL_NAME)
    apps.get_model("wagtailcore", "Task").objects.filter(name=TASK_NAME).update(name=WAGTAIL_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("lms", "0002_create_homepage"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]
    operations = [migrations.RunPython(rename, restore)]
