"""One unit of work per user action, opened by the use case in domain/ (STYLE habit 3): no view
commits or rolls back the session itself; the use case's write_transaction() does both."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VIEWS = sorted((ROOT / "blueprints").rglob("*.py"))


def _commits_or_rollbacks(tree: ast.AST) -> list[tuple[int, str]]:
    return [
        (node.lineno, node.func.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("commit", "rollback")
    ]


def test_no_view_commits_or_rolls_back():
    found = [
        f"{path.relative_to(ROOT)}:{line} {call}()"
        for path in VIEWS
        for line, call in _commits_or_rollbacks(ast.parse(path.read_text()))
    ]
    assert found == []


def test_the_check_sees_a_commit_and_a_rollback():
    sample = ast.parse("db.session.commit()\nsession.rollback()\nsave()\n")
    assert _commits_or_rollbacks(sample) == [(1, "commit"), (2, "rollback")]
