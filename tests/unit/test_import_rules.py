"""The layers of DESIGN §11, read from the imports: scanning/ and geofence/ are pure leaves (plain values
in and out, their own small exceptions), the domain never reaches up into the views, and the app's rules
never read the demo data. Imports inside functions count as much as those at the top."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# package -> top-level packages and modules it must not import
FORBIDDEN = {
    "scanning": {"domain", "blueprints", "extensions", "realtime", "demo"},
    "geofence": {"domain", "blueprints", "extensions", "realtime", "demo"},
    "domain": {"blueprints", "demo", "app"},
}


def imported_roots(source: str) -> list[tuple[int, str]]:
    """(line, top-level name) of every absolute import in the source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def breaches(package: str) -> list[str]:
    forbidden = FORBIDDEN[package]
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, name in imported_roots(path.read_text())
        if name in forbidden
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports_only_what_its_place_allows(package):
    assert breaches(package) == []


def test_the_check_sees_top_level_and_nested_imports():
    source = "import extensions\nfrom domain.errors import X\ndef f():\n    from blueprints import api\n"
    assert imported_roots(source) == [(1, "extensions"), (2, "domain"), (4, "blueprints")]


def test_the_packages_it_guards_exist():
    assert all((ROOT / package / "__init__.py").exists() for package in FORBIDDEN)
