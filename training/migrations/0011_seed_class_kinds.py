"""The kinds of in-person class the union holds, so requirements can name them at once."""

from django.db import migrations

KINDS = ["Lớp tập huấn", "Hội nghị báo cáo viên", "Bồi dưỡng chuyên đề"]


def seed(apps, schema_editor):
    ClassKind = apps.get_model("training", "ClassKind")
    for name in KINDS:
        ClassKind.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("training", "0010_required_courses_and_assignments")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
