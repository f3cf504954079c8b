"""Demo data: ``seed_demo`` and every demo builder.

The one app that may import all the others; no other app imports it (tests may).
"""
