"""AuditExport becomes a core.jobs.GeneratedFile: ``user`` is its ``requested_by`` and
``file_name`` its ``file_path``, both on the same columns (a rename in the state only). The
status values were already the shared ones; only their column widens."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0007_job_heartbeat"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField("auditexport", "user", "requested_by"),
                migrations.RenameField("auditexport", "file_name", "file_path"),
                migrations.AlterField(
                    "auditexport",
                    "file_path",
                    models.CharField(blank=True, db_column="file_name", editable=False, max_length=255),
                ),
                migrations.AlterField(
                    "auditexport",
                    "requested_by",
                    models.ForeignKey(
                        db_column="user_id",
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requested by",
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            "auditexport", "created_at", models.DateTimeField(auto_now_add=True, verbose_name="requested at")
        ),
        migrations.AlterField(
            "auditexport", "finished_at", models.DateTimeField(blank=True, null=True, verbose_name="finished at")
        ),
        migrations.AlterField(
            "auditexport",
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
    ]
