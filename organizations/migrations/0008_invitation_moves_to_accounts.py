# The Invitation model moved to the accounts app. Its table (organizations_invitation) stays where
# it is, with its rows: this only takes the model out of organizations' migration state;
# accounts.0001_initial takes it up, on the same table.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0007_unit_code_alphabet"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Invitation")],
            database_operations=[],
        ),
    ]
