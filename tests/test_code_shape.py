"""Issue #13's code shape: councilmap and landuse ask geoportal's selectors for spatial facts.

No SQL of theirs names a `geoportal_*` table and no literal SRID appears in their code outside
the importers (which read foreign files) and migrations; the storage and web CRS come from
settings.GEOPORTAL_SRID and geoportal.geo.WEB_SRID. Docstrings and "EPSG:…" hints in texts may
name a CRS.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("councilmap", "landuse")
SRIDS = {4326, 3857, 25832, 25833, 31467}
SRID_IN_TEXT = re.compile(r"(?<!EPSG:)(?<!EPSG::)(?<![\d.])\b(4326|3857|25832|25833|31467)\b")
CORE_TABLE = re.compile(r"\bgeoportal_[a-z]+\b")


def _modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "migrations" in parts or "importers" in parts:
                continue
            yield path


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in skip:
            continue
        where = f"{path.relative_to(ROOT)}:{node.lineno}"
        if isinstance(node.value, int) and not isinstance(node.value, bool) and node.value in SRIDS:
            found.append(f"{where}: literal SRID {node.value}")
        elif isinstance(node.value, str):
            if SRID_IN_TEXT.search(node.value):
                found.append(f"{where}: SRID in a string: {node.value.strip()[:60]!r}")
            if CORE_TABLE.search(node.value) and "GEOPORTAL_" not in node.value:
                found.append(f"{where}: names a geoportal table: {node.value.strip()[:60]!r}")
    return found


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_core_table_and_no_literal_srid(path):
    assert _offences(path) == []


def test_the_audit_sees_an_offence(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'SQL = "SELECT ST_Transform(geom, 4326) FROM geoportal_area"\n'
        "SRID = 25832\n"
        'HELP = "z. B. EPSG:25832"\n'
    )
    global ROOT
    old, ROOT = ROOT, tmp_path
    try:
        assert len(_offences(sample)) == 3
    finally:
        ROOT = old
