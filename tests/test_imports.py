"""Imports run one way: no module of rehabit reaches itself through others, and the pure
cores (clinical, scheduling, illustrations) import no Django.

Every import counts, wherever it is written: at the top of a module, inside a function
(the usual way to hide a circle) or under ``TYPE_CHECKING``. Migrations are left out (they
are frozen history). Read from the source with ``ast``; nothing is imported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PURE = ("rehabit.clinical", "rehabit.scheduling", "rehabit.illustrations")


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted((SRC / "rehabit").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def _imported(name: str, path: Path) -> Iterator[str]:
    """Every module name ``path`` imports (and, for ``from x import y``, ``x.y`` too, which
    is a module when y is a submodule)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {m for m in _imported(name, path) if m in modules and m != name}
        for name, path in modules.items()
    }


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_the_circle_finder_finds_a_circle_through_a_function_level_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(graph) == [["a", "b", "c"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_through_others() -> None:
    graph = _graph()
    assert len(graph) > 300, "the source tree was not found"
    assert _circles(graph) == []


@pytest.mark.parametrize("core", PURE)
def test_the_pure_cores_import_no_django(core: str) -> None:
    modules = _modules()
    offending = {
        name: sorted(m for m in _imported(name, path) if m.split(".")[0] == "django")
        for name, path in modules.items()
        if name == core or name.startswith(core + ".")
    }
    assert {k: v for k, v in offending.items() if v} == {}


# The layers under the apps: shared helpers (core, with the education content it shows on
# the home page), the audit log, the mail outbox and the operations layer (queues, metrics,
# health). They may import one another and the pure cores, never an app built on them
# (accounts, assessments, booking, care, charts, clinic, outcomes, api, config). What a lower
# layer needs from a higher one is handed over at start-up (ops.readings.register_reading).
BASE = ("rehabit.core", "rehabit.education", "rehabit.audit", "rehabit.mail", "rehabit.ops")


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def _upward(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    """For each module of the base layers, what it imports from above them."""
    allowed = (*BASE, *PURE)
    found = {
        name: sorted(m for m in imported if not _within(m, allowed) and m != "rehabit")
        for name, imported in graph.items()
        if _within(name, BASE)
    }
    return {name: upward for name, upward in found.items() if upward}


def test_the_base_layers_import_no_app_built_on_them() -> None:
    graph = _graph()
    assert len([n for n in graph if _within(n, BASE)]) > 40, "the base layers were not found"
    assert _upward(graph) == {}


def test_the_layer_check_sees_an_upward_import() -> None:
    graph = {
        "rehabit.core.views": {"rehabit.assessments.views", "rehabit.clinical.flow"},
        "rehabit.ops.queues": {"rehabit.mail.models"},
        "rehabit.booking.views": {"rehabit.core.views"},
    }
    assert _upward(graph) == {"rehabit.core.views": ["rehabit.assessments.views"]}


def _app_of(module: str) -> str:
    """The app (or top-level module) a module of rehabit belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _app_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    apps: dict[str, set[str]] = {}
    for name, imported in graph.items():
        mine = _app_of(name)
        apps.setdefault(mine, set()).update(_app_of(m) for m in imported if _app_of(m) != mine)
    for targets in list(apps.values()):
        for app in targets:
            apps.setdefault(app, set())
    return apps


def test_the_apps_import_one_another_one_way() -> None:
    """Between apps too, not only between modules: no app reaches itself through others.
    What a lower app needs from one built on it is handed over at start-up (for example
    accounts.data_rights.register_part, booking.patient_summary.register_patient_summary)."""
    apps = _app_graph(_graph())
    assert {"accounts", "booking", "care", "charts", "clinic", "outcomes"} <= set(apps)
    assert _circles(apps) == []


def test_the_app_graph_sees_a_circle_between_apps() -> None:
    graph = {
        "rehabit.accounts.data_rights": {"rehabit.care.personal_data"},
        "rehabit.care.personal_data": {"rehabit.accounts.models"},
        "rehabit.accounts.models": set(),
        "rehabit.care.views": {"rehabit.care.personal_data"},
    }
    assert _circles(_app_graph(graph)) == [["accounts", "care"]]


def _private_imports(name: str, path: Path) -> list[str]:
    """The names starting with one underscore that ``path`` imports from another module of
    rehabit (``x._helper``), for a module whose private names are its own business."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        base = node.module or ""
        if node.level:
            parts = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join([*parts, base] if base else parts)
        if base.split(".")[0] != "rehabit":
            continue
        found += [
            f"{base}.{alias.name}"
            for alias in node.names
            if alias.name.startswith("_") and not alias.name.startswith("__")
        ]
    return found


def test_the_api_imports_no_private_name_of_another_module() -> None:
    """What one API module uses of another is public: a private name (``_find``) may change
    without its module's readers knowing who else depends on it."""
    modules = _modules()
    api = {n: p for n, p in modules.items() if _within(n, ("rehabit.api",))}
    assert len(api) > 20, "the API's modules were not found"
    offending = {name: _private_imports(name, path) for name, path in api.items()}
    assert {name: names for name, names in offending.items() if names} == {}


def test_the_private_name_check_sees_one(tmp_path: Path) -> None:
    path = tmp_path / "progress.py"
    path.write_text(
        "from rehabit.api.care.access import _find, find_writable_assessment\n"
        "from .common import _helper\nfrom os import _exit\n"
    )
    assert _private_imports("rehabit.api.progress", path) == [
        "rehabit.api.care.access._find",
        "rehabit.api.common._helper",
    ]
