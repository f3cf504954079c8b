from django.db import migrations, models


def fill_search_names(apps, schema_editor):
    from organizations.search import backfill_search_names

    backfill_search_names(apps.get_model("organizations", "Officer"), apps.get_model("organizations", "Unit"))


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0005_import_job_close_missing"),
    ]

    operations = [
        migrations.AddField(
            model_name="officer",
            name="search_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=200),
        ),
        migrations.AddField(
            model_name="unit",
            name="search_name",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill_search_names, migrations.RunPython.noop, elidable=True),
    ]
