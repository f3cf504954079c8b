"""The house stays in its rooms: modules small enough to read (docs/architecture.md).

The layers themselves are checked by ``lint-imports`` in ``make test`` (contracts in pyproject.toml).
"""

from pathlib import Path

from django.conf import settings

LIMIT = 500
SKIPPED = {".venv", "var", "bench", "e2e", "node_modules"}


def test_no_module_outside_migrations_and_tests_is_over_500_lines():
    root = Path(settings.BASE_DIR)
    too_long = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in SKIPPED or "migrations" in parts or "tests" in parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LIMIT:
            too_long[path.relative_to(root).as_posix()] = lines
    assert too_long == {}
