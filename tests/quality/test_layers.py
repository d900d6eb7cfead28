"""The layers of the code (../shared/STYLE.md §10, README "How the code fits together"), checked on the
imports of the project's own Python (not tests/): every `import` and `from … import`, at module level or
inside a function, and `import_module("literal")`.

- the base (core, accounts, organisations, notifications, people) imports no domain app and not the dashboard;
- no domain app (municipalities, spaces, producers, budgets, results) imports the dashboard;
- municipalities imports no other domain app;
- only the project's wiring (urls, settings), the read API and the bench import the dashboard;
- no cycle between apps.

An app is a top-level package, or `kallpanchis.<sub>`. Migrations are included: a migration that imports
another app's code is a dependency like any other.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {"tests", "node_modules", "static", "templates", "locale"}

BASE = {
    "kallpanchis.core",
    "kallpanchis.accounts",
    "kallpanchis.organisations",
    "kallpanchis.notifications",
    "kallpanchis.people",
}
DOMAIN = {"municipalities", "spaces", "producers", "budgets", "results"}
DASHBOARD = "kallpanchis.dashboard"
# Who may import the top floor: the project's wiring and the benchmark's tooling.
# The read API shares the top floor: it serves the dashboard's indicators and facts (read only).
DASHBOARD_IMPORTERS = {"kallpanchis.urls", "kallpanchis.settings", "bench", "kallpanchis.api"}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_files(root: Path) -> dict[str, Path]:
    """Module name -> file, for the project's own Python under root."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        if any(part.startswith(".") or part in SKIP_DIRS for part in rel[:-1]):
            continue
        found[module_name(path, root)] = path
    return found


def app_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "kallpanchis" and len(parts) > 1 else parts[0]


def imports_of(module: str, source: str, is_package: bool, known: set[str]) -> list[tuple[str, int]]:
    """(imported module, line) for every import in the source, relative ones resolved."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            for alias in node.names:
                # `from kallpanchis import dashboard` imports the submodule, not just the package.
                sub = f"{target}.{alias.name}"
                found.append((sub if sub in known else target, node.lineno))
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.args[0].value, node.lineno))
    return found


def app_imports(root: Path) -> list[tuple[str, str, str]]:
    """(importing app, imported app, "file:line") for every import of one project app by another."""
    files = python_files(root)
    known = set(files)
    tops = {name.split(".")[0] for name in known}
    edges = []
    for module, path in files.items():
        is_package = path.name == "__init__.py"
        for target, line in imports_of(module, path.read_text(), is_package, known):
            if target.split(".")[0] not in tops:
                continue  # the standard library or a third-party package
            source_app, target_app = app_of(module), app_of(target)
            edge = (source_app, target_app, f"{path.relative_to(root)}:{line}")
            if source_app != target_app and edge not in edges:
                edges.append(edge)
    return edges


def cycles(edges) -> list[list[str]]:
    """The groups of apps that import each other, round a cycle (Tarjan's strongly connected components)."""
    graph: dict[str, set[str]] = {}
    for source, target, _ in edges:
        graph.setdefault(source, set()).add(target)
        graph.setdefault(target, set())
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def violations(root: Path) -> list[str]:
    edges = app_imports(root)
    found = []
    for source, target, where in edges:
        if source in BASE and (target in DOMAIN or target == DASHBOARD):
            found.append(f"{where}: the base app {source} imports {target}")
        elif target == DASHBOARD and source not in DASHBOARD_IMPORTERS:
            found.append(f"{where}: {source} imports the dashboard")
        elif source == "municipalities" and target in DOMAIN:
            found.append(f"{where}: municipalities imports the domain app {target}")
    for group in cycles(edges):
        first = {}  # one place per pair of apps is enough to start from
        for s, t, w in edges:
            if s in group and t in group:
                first.setdefault((s, t), w)
        where = [f"{s} -> {t} ({w})" for (s, t), w in sorted(first.items())]
        found.append("import cycle between " + ", ".join(group) + ": " + "; ".join(where))
    return found


def test_the_project_keeps_its_layers():
    assert violations(ROOT) == []


def test_the_project_with_one_forbidden_import_added_fails(tmp_path):
    """The project's own files, copied, with a lazy import of a domain app added to the base."""
    for path in python_files(ROOT).values():
        copy = tmp_path / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(path.read_text())
    caching = tmp_path / "kallpanchis/core/caching.py"
    lines = len(caching.read_text().splitlines())
    caching.write_text(caching.read_text() + "\n\ndef meetings():\n    from spaces.models import Meeting\n")
    where = f"kallpanchis/core/caching.py:{lines + 4}"
    assert f"{where}: the base app kallpanchis.core imports spaces" in violations(tmp_path)


# The checker itself, on small trees: each forbidden import is caught, the allowed ones are not.


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, source in {
        "kallpanchis/__init__.py": "",
        "kallpanchis/core/__init__.py": "",
        "kallpanchis/dashboard/__init__.py": "",
        "kallpanchis/dashboard/views.py": "from spaces import selectors\n",
        "kallpanchis/urls.py": "from kallpanchis.dashboard import views\n",
        "municipalities/__init__.py": "",
        "municipalities/models.py": "from kallpanchis.core import models\n",
        "spaces/__init__.py": "",
        "spaces/selectors.py": "from municipalities.models import Municipality\n",
        **files,
    }.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    return tmp_path


def test_checker_passes_a_tree_that_keeps_its_layers(tmp_path):
    assert violations(tree(tmp_path, {})) == []


def test_checker_catches_the_base_importing_a_domain_app_even_lazily(tmp_path):
    root = tree(tmp_path, {"kallpanchis/core/demo.py": "def seed():\n    from spaces import selectors\n"})
    assert violations(root) == [
        "kallpanchis/core/demo.py:2: the base app kallpanchis.core imports spaces",
        # spaces imports municipalities, which imports core: core importing spaces closes the circle.
        "import cycle between kallpanchis.core, municipalities, spaces: "
        "kallpanchis.core -> spaces (kallpanchis/core/demo.py:2); "
        "municipalities -> kallpanchis.core (municipalities/models.py:1); "
        "spaces -> municipalities (spaces/selectors.py:1)",
    ]


def test_checker_catches_a_domain_app_importing_the_dashboard(tmp_path):
    root = tree(tmp_path, {"spaces/views.py": "from kallpanchis.dashboard.views import x\n"})
    assert violations(root)[0] == "spaces/views.py:1: spaces imports the dashboard"


def test_checker_catches_the_base_importing_the_dashboard_by_relative_or_dynamic_import(tmp_path):
    root = tree(
        tmp_path,
        {
            "kallpanchis/core/a.py": "from .. import dashboard\n",
            "kallpanchis/core/b.py": "import importlib\nimportlib.import_module('kallpanchis.dashboard')\n",
        },
    )
    assert violations(root)[:2] == [
        "kallpanchis/core/a.py:1: the base app kallpanchis.core imports kallpanchis.dashboard",
        "kallpanchis/core/b.py:2: the base app kallpanchis.core imports kallpanchis.dashboard",
    ]


def test_checker_catches_municipalities_importing_another_domain_app(tmp_path):
    root = tree(tmp_path, {"municipalities/views.py": "import budgets.models\n", "budgets/__init__.py": ""})
    assert violations(root) == ["municipalities/views.py:1: municipalities imports the domain app budgets"]


def test_checker_catches_a_cycle_between_two_apps(tmp_path):
    root = tree(
        tmp_path,
        {"producers/__init__.py": "from spaces import selectors\n", "spaces/x.py": "import producers\n"},
    )
    assert violations(root) == [
        "import cycle between producers, spaces: producers -> spaces (producers/__init__.py:1); "
        "spaces -> producers (spaces/x.py:1)"
    ]
