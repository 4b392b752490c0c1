"""The house rules of docs/architecture.md, checked on the source: apps meet through each
other's selectors and services, every setting is read through its app's `conf.py`, and no
app names the tables of `reports`. A new violation fails here with the file and line."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
# Modules that may use another app's models: reads, writes, the layer registrations, and the
# models themselves (foreign keys); migrations and demo data are generated or fixtures.
MAY_IMPORT_MODELS = {"selectors.py", "services.py", "layers.py", "models.py", "demo.py"}

# Known exceptions, each with why it is still here. Shrink this list; do not grow it.
KNOWN: set[tuple[str, str]] = set()


def _sources():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path, path.relative_to(ROOT).as_posix()


def _violations(kind: str, found: list[tuple[str, int, str]]) -> list[str]:
    return [f"{rel}:{line}: {text}" for rel, line, text in found if (kind, rel) not in KNOWN]


def test_there_are_apps_to_check():
    assert {"reports", "crews", "geoportal", "landuse", "opendata"} <= set(APPS)


def test_settings_are_read_only_in_conf_modules():
    found = []
    for _, path, rel in _sources():
        if path.name == "conf.py" or "settings" in path.parts:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if "getattr(settings" in line:
                found.append((rel, number, line.strip()))
    assert not _violations("settings", found), "declare it in the app's conf.py and read conf.X"


def _sources_outside_apps():
    """Tests, benchmarks and scripts: they read external databases with SQL, and name a table
    through its model there (`Report._meta.db_table`), so a renamed table breaks no one."""
    for folder in ("tests", "bench", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path != Path(__file__):
                yield folder, path, path.relative_to(ROOT).as_posix()


def test_no_app_but_reports_names_its_tables():
    tables = sorted(m._meta.db_table for m in apps.get_app_config("reports").get_models())
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, tables)) + r")\b")
    found = []
    for app, path, rel in [*_sources(), *_sources_outside_apps()]:
        if app == "reports":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                found.append((rel, number, line.strip()))
    assert not _violations("table", found), "ask reports.selectors instead"


def test_other_apps_models_only_in_selectors_services_and_layers():
    found = []
    for app, path, rel in _sources():
        if path.name in MAY_IMPORT_MODELS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            parts = node.module.split(".")
            names = {alias.name for alias in node.names}
            other = parts[0] in APPS and parts[0] != app
            if other and (parts[-1] == "models" or "models" in names):
                found.append((rel, node.lineno, f"from {node.module} import ..."))
    assert not _violations("models", found), "go through that app's selectors or services"


@pytest.mark.parametrize("app", ["geoportal", "reports", "opendata", "landuse"])
def test_conf_modules_have_the_shape(app):
    from importlib import import_module

    conf = import_module(f"{app}.conf")
    assert conf._DEFAULTS, app
    for name, default in conf._DEFAULTS.items():
        assert getattr(conf, name) is not None or default is None
    with pytest.raises(AttributeError):
        conf.NOT_A_SETTING  # noqa: B018
