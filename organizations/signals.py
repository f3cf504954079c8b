"""Signals of the roster for the apps above it (they listen; this app imports none of them)."""

from django.dispatch import Signal

# Sent after an imported roster is committed (the import writes in bulk, without per-row signals).
roster_imported = Signal()
