"""The public surface: exactly ``pathways.__all__``, sorted, and free of the shells' libraries."""

from __future__ import annotations

import subprocess
import sys

import pathways


def test_all_is_sorted_unique_and_importable() -> None:
    assert pathways.__all__ == sorted(set(pathways.__all__))
    for name in pathways.__all__:
        assert getattr(pathways, name) is not None


def test_all_lists_every_public_name() -> None:
    public = {n for n in dir(pathways) if not n.startswith("_")}
    submodules = {n for n in public if type(getattr(pathways, n)).__name__ == "module"}
    assert public - submodules == set(pathways.__all__)


def test_engines_load_lazily() -> None:
    code = ("import sys, pathways\n"
            "before = 'pathways.planner' in sys.modules\n"
            "pathways.plan\n"
            "print(before, 'pathways.planner' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["False", "True"]


def test_importing_the_package_pulls_in_no_shell_library() -> None:
    code = ("import sys, pathways, pathways.io, pathways.graph\n"
            "import importlib.util\n"
            "for name in ('pathways.planner', 'pathways.skills', 'pathways.overlap'):\n"
            "    if importlib.util.find_spec(name):\n"
            "        __import__(name)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('streamlit', 'typer'))\n"
            "print(','.join(bad))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == ""


def test_import_pathways_and_the_cli_stay_light() -> None:
    """``import pathways`` loads nothing heavy; the CLI (what ``pathways --help`` pays for)
    loads typer and rich but no engine: each command imports what it needs when it runs."""
    heavy = ("numpy", "scipy", "pandas", "sklearn", "networkx", "pydantic", "yaml", "streamlit")
    code = ("import sys, importlib\n"
            "importlib.import_module(sys.argv[1])\n"
            f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({heavy!r}))))")
    for module in ("pathways", "pathways.cli"):
        proc = subprocess.run([sys.executable, "-c", code, module], capture_output=True,
                              text=True, check=True)
        assert proc.stdout.strip() == "", f"import {module} loads {proc.stdout.strip()}"
    proc = subprocess.run([sys.executable, "-m", "pathways", "--help"], capture_output=True,
                          text=True)
    assert proc.returncode == 0 and "plan" in proc.stdout, proc.stdout + proc.stderr
