def seed() -> None:
    """In-person classes with attendance (built by the classes work)."""
