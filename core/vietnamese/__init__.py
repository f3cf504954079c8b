"""Vietnamese text as people use it: name order, sorting in the Vietnamese alphabet, search folding.

Pure functions on strings (plus the database collation that sorts by them); no app's models.
"""
