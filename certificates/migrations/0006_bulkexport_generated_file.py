"""BulkExport becomes a core.jobs.GeneratedFile: ``zip_path`` is its ``file_path`` (same column),
and it gains the shared ``progress``. The status values were already the shared ones."""

from django.db import migrations, models



class Migration(migrations.Migration):
    dependencies = [("certificates", "0005_job_heartbeat")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("bulkexport", "zip_path", "file_path"),
                migrations.AlterField(
                    "bulkexport",
                    "file_path",
                    models.CharField(blank=True, db_column="zip_path", editable=False, max_length=255),
                ),
            ],
        ),
        migrations.AlterField(
            "bulkexport",
            "status",
            models.CharField(
                choices=[
                    ("pending", "Waiting"),
                    ("running", "Running"),
                    ("done", "Ready"),
                    ("failed", "Failed"),
                    ("expired", "Expired"),
                ],
                default="pending",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddField("bulkexport", "progress", models.PositiveSmallIntegerField(default=0)),
        # Built ZIPs show 100 %, unfinished ones their share of certificates added.
        migrations.RunSQL(
            "UPDATE certificates_bulkexport SET progress = CASE WHEN status = 'done' THEN 100 "
            "WHEN total > 0 THEN (done * 100) / total ELSE 0 END",
            migrations.RunSQL.noop,
        ),
    ]
