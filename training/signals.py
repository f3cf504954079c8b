from django.dispatch import Signal

# Sent after the transaction that created a TrainingRecord commits; kwargs: record_id.
# The certificates app listens to issue a certificate for trainings that grant one.
training_recorded = Signal()
