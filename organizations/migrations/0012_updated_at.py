"""When a unit, an officer or a role assignment last changed (the API's ``changed_since``).

Existing rows get the time this migration runs: nothing is known about their earlier changes, and
a client syncing from before today must see them all once."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0011_officer_preferred_channel"),
    ]

    operations = [
        migrations.AddField(
            model_name=model,
            name="updated_at",
            field=models.DateTimeField(
                auto_now=True, db_index=True, default=django.utils.timezone.now, verbose_name="last changed"
            ),
            preserve_default=False,
        )
        for model in ("unit", "officer", "roleassignment")
    ]
