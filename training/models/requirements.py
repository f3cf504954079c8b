"""The yearly requirement rules (Program 09 targets as data) and closed-year snapshots."""
