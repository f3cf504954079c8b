def seed() -> None:
    """Program 09 requirements, online completions and a closed year (built by the audit work)."""
