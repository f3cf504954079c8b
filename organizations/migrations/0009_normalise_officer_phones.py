# Officers' phone numbers in one format, E.164 (+84912345678), before the next migration makes a
# number belong to at most one officer. Nothing is lost: a number that cannot be read, and every
# copy but one of a number shared by several officers, stays exactly as typed (without "+", so
# outside the constraint) and is listed in the migration's output for the roster's keepers.

import sys

from django.db import migrations

from core.phones import InvalidPhone, normalise_phone

BATCH = 500


def normalise_phones(apps, schema_editor):
    Officer = apps.get_model("organizations", "Officer")
    db = schema_editor.connection.alias
    rows = Officer.objects.using(db).exclude(phone="").order_by("pk").values_list("pk", "phone", "user_id", "code")
    by_number: dict[str, list[tuple]] = {}
    unreadable = []
    for pk, phone, user_id, code in rows.iterator(chunk_size=2000):
        try:
            number = normalise_phone(phone)
        except InvalidPhone:
            unreadable.append((pk, code, phone))
            continue
        by_number.setdefault(number, []).append((pk, phone, user_id, code))
    changes, shared = {}, []
    for number, holders in by_number.items():
        # One officer keeps the number: the one with an account (who may sign in with it), else the oldest.
        holders.sort(key=lambda h: (h[2] is None, h[0]))
        keeper, *others = holders
        if keeper[1] != number:
            changes[keeper[0]] = number
        if others:
            shared.append((number, keeper, others))
    pks = sorted(changes)
    for start in range(0, len(pks), BATCH):
        batch = list(Officer.objects.using(db).filter(pk__in=pks[start : start + BATCH]).only("pk", "phone"))
        for officer in batch:
            officer.phone = changes[officer.pk]
        Officer.objects.using(db).bulk_update(batch, ["phone"])
    out = sys.stdout
    if unreadable:
        out.write(f"\n  {len(unreadable)} officers' phone numbers could not be read and were left as typed:\n")
        for pk, code, phone in unreadable:
            out.write(f"    officer id {pk} ({code or 'no code'}): {phone!r}\n")
    if shared:
        out.write(f"\n  {len(shared)} phone numbers were on several officers; each now belongs to one, ")
        out.write("the others keep the number as typed until the roster is corrected:\n")
        for number, keeper, others in shared:
            rest = ", ".join(f"id {pk} ({code or 'no code'}): {phone!r}" for pk, phone, _u, code in others)
            out.write(f"    {number} kept by officer id {keeper[0]} ({keeper[3] or 'no code'}); left on {rest}\n")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0008_invitation_moves_to_accounts")]

    operations = [migrations.RunPython(normalise_phones, migrations.RunPython.noop, elidable=False)]
