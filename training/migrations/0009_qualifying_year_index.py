from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0008_auditexport_generated_file"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="trainingrecord",
            index=models.Index(
                condition=models.Q(("counts_toward_requirement", True), ("voided_at__isnull", True)),
                fields=["year", "officer"],
                include=("completed_on", "hours"),
                name="training_qualifying_year",
            ),
        ),
    ]
