from django.dispatch import Signal

# Sent after the transaction that created a TrainingRecord commits; kwargs: record_id.
# The certificates app listens to issue a certificate for trainings that grant one.
training_recorded = Signal()

# Sent inside the transaction that voids a TrainingRecord (``void_record``, also when an
# officer is taken off a class list); kwargs: record (voided_at, voided_by and void_reason
# set). The certificates app listens to revoke the record's certificate, so the void and the
# revocation commit together or not at all. Not sent for the void inside ``correct_record``:
# a correction is announced as the new record (``training_recorded``), whose certificate
# replaces the old one rather than revoking it.
training_voided = Signal()
