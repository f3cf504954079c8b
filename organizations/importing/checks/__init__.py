"""Checks of a roster files rows that need other rows, the roster or the uploaders scope."""
