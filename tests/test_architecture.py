"""The import contract, read from the source (``ast``), so that CI fails when it is broken.

Layers, each importing only from its own layer and those below it::

    shells   pathways.cli, pathways.__main__, app.py, ui/
    engines  pathways.planner, .skills, .overlap, .cohort, .workspace, .synth, pathways._milp
    graph    pathways.graph
    io       pathways.io
    domain   pathways (the lazy facade), .domain, .errors, .describe, .taxonomy, ._gc, ._lazy

``pathways.taxonomy`` is a frozen container of skills and occupations that the io readers build
(:mod:`pathways.io.esco`, :mod:`pathways.io.onet`), so it sits with the domain classes.

A shell imports only public names of the package: from public modules (no ``_`` in the dotted
path), names that the module's ``__all__`` lists (or its public submodules). Every import counts,
the ones inside functions too (the CLI imports the engines when a command runs) and the ones
only type checkers read. No module imports one that imports it back (at run time), the engines
depend on each other without cycles, and only the shells import the shells' libraries.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

from tests.conftest import REPO

LAYERS = {"domain": 0, "io": 1, "graph": 2, "engines": 3, "shells": 4}
DOMAIN = {"pathways", "pathways.domain", "pathways.errors", "pathways.describe",
          "pathways.taxonomy", "pathways._gc", "pathways._lazy"}
ENGINES = ("pathways.planner", "pathways.skills", "pathways.overlap", "pathways.cohort",
           "pathways.workspace", "pathways.synth", "pathways._milp")
SHELLS = ("pathways.cli", "pathways.__main__", "app", "ui")
SHELL_LIBRARIES = {"typer", "rich", "click", "streamlit", "altair"}


def _under(module: str, roots: tuple[str, ...] | set[str]) -> bool:
    return any(module == r or module.startswith(r + ".") for r in roots)


def layer(module: str) -> str:
    if _under(module, SHELLS):
        return "shells"
    if _under(module, ENGINES):
        return "engines"
    if _under(module, ("pathways.graph",)):
        return "graph"
    if _under(module, ("pathways.io",)):
        return "io"
    if module in DOMAIN:
        return "domain"
    raise AssertionError(f"{module} is in no layer: add it to the contract in {__file__}")


def _files() -> dict[str, Path]:
    paths = [*sorted((REPO / "pathways").rglob("*.py")), *sorted((REPO / "ui").rglob("*.py")),
             REPO / "app.py"]
    out = {}
    for path in paths:
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _files()


@dataclass(frozen=True)
class Import:
    importer: str
    module: str  # what is imported: a module of the package (a submodule when it is one)
    name: str | None  # the name taken from ``module`` (None: the module itself)
    line: int
    runtime: bool  # False inside ``if TYPE_CHECKING:``

    def __str__(self) -> str:
        what = f"{self.module}.{self.name}" if self.name else self.module
        return f"{MODULES[self.importer].relative_to(REPO)}:{self.line} imports {what}"


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


@functools.cache
def _tree(module: str) -> ast.Module:
    return ast.parse(MODULES[module].read_text(encoding="utf-8"))


def imports_of(module: str) -> Iterator[Import | tuple[str, int]]:
    """Every import of ``module``: an :class:`Import` for the package's own modules, else
    ``(top-level name, line)`` for a third-party or standard library one."""
    tree = _tree(module)
    typing_only = {id(n) for top in ast.walk(tree) if isinstance(top, ast.If) and _type_checking(top)
                   for n in ast.walk(top)}
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        runtime = id(node) not in typing_only
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in MODULES or alias.name.split(".")[0] in ("pathways", "ui"):
                    yield Import(module, alias.name, None, node.lineno, runtime)
                else:
                    yield alias.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            if base.split(".")[0] not in ("pathways", "ui", "app"):
                yield base.split(".")[0], node.lineno
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                if sub in MODULES:
                    yield Import(module, sub, None, node.lineno, runtime)
                else:
                    yield Import(module, base, alias.name, node.lineno, runtime)


def package_imports() -> list[Import]:
    return [i for m in MODULES for i in imports_of(m) if isinstance(i, Import)]


@functools.cache
def public_names(module: str) -> frozenset[str]:
    """The names of ``__all__`` (a literal list or tuple) of ``module``."""
    for node in _tree(module).body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return frozenset(ast.literal_eval(node.value))  # type: ignore[arg-type]
    return frozenset()


def test_every_module_is_in_a_layer_and_every_import_resolves() -> None:
    for m in MODULES:
        layer(m)
    unknown = [str(i) for i in package_imports() if i.module not in MODULES]
    assert not unknown, "imports of modules that do not exist:\n" + "\n".join(unknown)


def test_no_layer_imports_a_layer_above_it() -> None:
    upward = [f"{i} ({layer(i.importer)} -> {layer(i.module)})" for i in package_imports()
              if LAYERS[layer(i.module)] > LAYERS[layer(i.importer)]]
    assert not upward, "imports that point up the layers:\n" + "\n".join(upward)


def _private(module: str) -> bool:
    return any(part.startswith("_") and part != "__main__" for part in module.split("."))


def test_shells_import_only_public_names() -> None:
    bad = []
    for i in package_imports():
        if layer(i.importer) != "shells" or layer(i.module) == "shells":
            continue  # a shell's own modules (pathways.cli._common, ui.state) are its business
        if _private(i.module):
            bad.append(f"{i}: a private module")
        elif i.name is not None and i.name not in public_names(i.module):
            bad.append(f"{i}: {i.name} is not in {i.module}.__all__")
    assert not bad, "shells importing private names:\n" + "\n".join(bad)


def test_no_import_cycles() -> None:
    G = nx.DiGraph((i.importer, i.module) for i in package_imports()
                   if i.runtime and i.importer != i.module
                   and not i.importer.startswith(i.module + "."))  # a package's own __init__
    cycles = sorted(sorted(c) for c in nx.simple_cycles(G))
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_engines_depend_on_each_other_without_cycles() -> None:
    def engine(module: str) -> str:
        return next(e for e in ENGINES if _under(module, (e,)))

    G = nx.DiGraph()
    for i in package_imports():
        if layer(i.importer) == layer(i.module) == "engines":
            a, b = engine(i.importer), engine(i.module)
            if a != b:
                G.add_edge(a, b, at=str(i))
    cycles = list(nx.simple_cycles(G))
    assert not cycles, "engines that import each other: " + "; ".join(
        " -> ".join(c) + f" (e.g. {G.edges[c[0], c[1 % len(c)]]['at']})" for c in cycles)


def test_only_the_shells_import_the_shells_libraries() -> None:
    bad = [f"{MODULES[m].relative_to(REPO)}:{line} imports {name}"
           for m in MODULES if layer(m) != "shells"
           for item in imports_of(m) if not isinstance(item, Import)
           for name, line in [item] if name in SHELL_LIBRARIES]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("source, expected", [
    ("from pathways.planner.core import _Request\n", "shells importing private names"),
    ("from pathways.io._yaml import locked\n", "a private module"),
])
def test_the_contract_catches_a_shell_importing_private_names(
        source: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks are not vacuous: a shell module that imports a private name fails them."""
    monkeypatch.setitem(MODULES, "ui.probe", REPO / "ui" / "probe.py")
    _tree.cache_clear()
    monkeypatch.setattr("tests.test_architecture._tree",
                        functools.cache(lambda m: ast.parse(source) if m == "ui.probe"
                                        else ast.parse(MODULES[m].read_text(encoding="utf-8"))))
    with pytest.raises(AssertionError, match=expected):
        test_shells_import_only_public_names()


def test_the_contract_catches_an_upward_import(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(MODULES, "pathways.io.probe", REPO / "pathways" / "io" / "probe.py")
    monkeypatch.setattr("tests.test_architecture._tree",
                        functools.cache(lambda m: ast.parse("from pathways.planner import plan\n")
                                        if m == "pathways.io.probe"
                                        else ast.parse(MODULES[m].read_text(encoding="utf-8"))))
    with pytest.raises(AssertionError, match=r"pathways.planner.plan \(io -> engines\)"):
        test_no_layer_imports_a_layer_above_it()
