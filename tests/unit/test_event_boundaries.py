"""The event mechanism owns realtime (DESIGN §3.0): Socket.IO events are emitted only in realtime/,
views never call realtime themselves, and every domain event has somebody who reacts to it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [
    p for folder in ("blueprints", "domain", "scanning", "geofence") for p in (ROOT / folder).rglob("*.py")
]
SOURCES += [ROOT / name for name in ("app.py", "cli.py", "extensions.py", "wsgi.py")]


def _emits(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("emit", "send")
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "socketio"
    ]


def _realtime_imports(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "realtime":
            lines.append(node.lineno)
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "realtime" for a in node.names):
            lines.append(node.lineno)
    return lines


def test_socketio_emits_only_in_realtime():
    found = [f"{p.relative_to(ROOT)}:{line}" for p in SOURCES for line in _emits(ast.parse(p.read_text()))]
    assert found == []


def test_no_view_or_rule_calls_realtime():
    places = [p for p in SOURCES if p.parts[len(ROOT.parts)] in ("blueprints", "domain")]
    found = [
        f"{p.relative_to(ROOT)}:{line}"
        for p in places
        for line in _realtime_imports(ast.parse(p.read_text()))
    ]
    assert found == []


def test_the_checks_see_an_emit_and_an_import():
    sample = ast.parse("from realtime import notifiers\nsocketio.emit('x', {}, to='r')\n")
    assert (_emits(sample), _realtime_imports(sample)) == ([2], [1])


def test_every_event_has_someone_who_reacts(app):
    from domain import events

    table = events.describe()
    assert {name for name, _r, _n in table} >= {"OrderCancelled", "OrderHeld", "OrderResumed", "SpecChanged"}
    assert [name for name, reactions, notifiers in table if not reactions and not notifiers] == []
    cancelled = next(row for row in table if row[0] == "OrderCancelled")
    assert "domain.production.stops.stop_work_orders" in cancelled[1]
    assert "realtime.notifiers.order_stopped_or_resumed" in cancelled[2]
