"""The demo app sits between the project (``lms``) and the domain apps: it may import every
domain app, no domain app imports it, and it does not import the project above it."""

import ast
from pathlib import Path

from django.conf import settings

DOMAIN_APPS = ["organizations", "courses", "training", "certificates", "surveys", "accounts", "core"]


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _code(folder: Path):
    """The app's modules that run in the site: not its tests, not its migrations."""
    for path in sorted(folder.rglob("*.py")):
        if not {"tests", "migrations"} & set(path.relative_to(folder).parts):
            yield path


def _top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def test_no_domain_app_imports_the_demo():
    offenders = {
        str(path.relative_to(settings.BASE_DIR))
        for app in DOMAIN_APPS
        if (settings.BASE_DIR / app).is_dir()
        for path in _code(settings.BASE_DIR / app)
        if "demo" in _top_level(_imported_modules(path))
    }
    assert offenders == set()


def test_the_demo_builds_on_the_domain_apps_and_not_on_the_project():
    imported = set()
    for path in _code(settings.BASE_DIR / "demo"):
        imported |= _top_level(_imported_modules(path))
    assert "lms" not in imported
    assert {"organizations", "courses", "training", "certificates", "surveys"} <= imported
