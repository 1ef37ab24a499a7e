"""The package's layers (README, "The code's layers"): a module imports from its own layer
and the ones below it, never from a layer above (lazy imports inside functions included).
A small AST read of publisher/, so that a new import back up fails here, where it is made."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

# Bottom to top; the rooms of one layer may import each other.
LAYERS = (
    ("support",),  # diagnostics, atomic files, TOML schemas, worker processes
    ("text",),  # Chinese text rules
    ("model",),  # the content model
    ("look", "patches"),  # theme, style table, the HTML that carries them; dependency patches
    ("imaging",),  # the image stage
    ("readers",),  # sources into the model (pictures checked by the image stage's rules)
    ("screen",),  # a case as an HTML page in the book's look
    ("writers",),  # the pre-flight and one format each
    ("pipeline",),  # the build
    ("absorb",),  # a DOCX back into case files
    ("api",),  # the library's API
    ("workbench",),  # the editors' browser workbench
    ("cli", "__main__"),  # the command
    ("testing",),  # helpers the tests and benchmarks share: nothing in the package uses them
)
LEVEL = {room: level for level, rooms in enumerate(LAYERS) for room in rooms}


def _room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path, package: Path) -> tuple[str, list[str]]:
    """The module `path` is, and every publisher module it imports (by name)."""
    parts = path.relative_to(package.parent).with_suffix("").parts
    module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    here = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = here.split(".")[: len(here.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            # `from . import oxml` imports the module oxml, not the package.
            names = [f"{target}.{a.name}" for a in node.names]
            found += [n for n in names if _is_module(n, package)] or [target]
    return module, [name for name in found if name.startswith("publisher.")]


def _is_module(name: str, package: Path) -> bool:
    path = package.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def upward_imports(package: Path) -> set[tuple[str, str]]:
    upward = set()
    for path in sorted(package.rglob("*.py")):
        module, imported = _imports(path, package)
        for target in imported:
            source, destination = _room(module), _room(target)
            if LEVEL.get(destination, -1) > LEVEL.get(source, len(LAYERS)):
                upward.add((module, target))
    return upward


def circles(package: Path) -> list[set[str]]:
    """The modules that import each other, directly or through others (each circle once)."""
    graph: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        module, imported = _imports(path, package)
        graph[module] = set(imported)
    for module, imported in graph.items():  # `publisher.model.Case` is publisher.model
        graph[module] = {_known(name, graph) for name in imported} - {module, ""}
    reach = {module: _reachable(module, graph) for module in graph}
    found: list[set[str]] = []
    for module in sorted(graph):
        circle = {other for other in reach[module] if module in reach[other]}
        if circle and circle not in found:
            found.append(circle)
    return found


def _known(name: str, graph: dict[str, set[str]]) -> str:
    while name and name not in graph:
        name = name.rpartition(".")[0]
    return name


def _reachable(start: str, graph: dict[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += graph.get(module, ())
    return seen


def test_every_room_of_the_package_has_a_layer():
    rooms = {p.stem if p.is_file() else p.name for p in (ROOT / "publisher").iterdir()}
    rooms = {r for r in rooms if not r.startswith(("_", ".")) or r == "__main__"}
    rooms -= {"__init__", "__pycache__", "_styles"}
    assert rooms <= set(LEVEL), f"rooms without a layer: {sorted(rooms - set(LEVEL))}"


def test_no_module_imports_from_a_layer_above_it():
    upward = upward_imports(ROOT / "publisher")
    assert not upward, f"imports from a layer above (README, 'The code's layers'): {sorted(upward)}"


def test_the_check_sees_an_import_back_up(tmp_path):
    """The check itself: a support module importing a writer, lazily, is found."""
    package = tmp_path / "publisher"
    (package / "support").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "support" / "__init__.py").write_text("")
    (package / "support" / "workers.py").write_text(
        "def preload():\n    from ..writers.pdf import pieces\n    return pieces\n"
    )
    assert upward_imports(package) == {("publisher.support.workers", "publisher.writers.pdf")}


def test_no_modules_import_each_other():
    """Not even lazily: a circle means that two modules are one concept, or that something
    is in the wrong module."""
    assert not circles(ROOT / "publisher"), f"import circles: {circles(ROOT / 'publisher')}"


def test_the_check_sees_a_circle(tmp_path):
    """The check itself: a module importing, lazily, one that imports it back is found."""
    package = tmp_path / "publisher"
    (package / "readers" / "raw").mkdir(parents=True)
    for init in (package, package / "readers", package / "readers" / "raw"):
        (init / "__init__.py").write_text("")
    (package / "readers" / "casebuilder.py").write_text("from .raw.assemble import dateline\n")
    (package / "readers" / "raw" / "assemble.py").write_text(
        "def build():\n    from .. import casebuilder\n    return casebuilder\n"
    )
    assert circles(package) == [{"publisher.readers.casebuilder", "publisher.readers.raw.assemble"}]
