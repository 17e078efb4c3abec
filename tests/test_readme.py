"""The README's tour is run: every ``pathways`` command it shows runs, and what it shows of the
output (every line of a ``text`` block after a ``$ pathways ...`` line, ``...`` standing for
lines left out) appears in the real output, in order. So the figures the README quotes come
from the program, and the README cannot drift from it.

The commands run from the repository root with the day pinned (``PATHWAYS_TODAY``, the date
the README states for its outputs) and a fixed terminal width (``COLUMNS``), like a reader who
copies them.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO

README = REPO / "README.md"


@dataclass
class Example:
    command: str
    expected: list[str] = field(default_factory=list)
    line: int = 0
    after: list[Example] = field(default_factory=list)  # sh blocks: the commands that follow


def _blocks(text: str) -> list[tuple[str, int, list[str]]]:
    """Fenced code blocks: (language, line of the first content line, lines)."""
    out, lines = [], text.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w*)\s*$", lines[i])
        if m:
            start, body = i + 2, []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            out.append((m.group(1), start, body))
        i += 1
    return out


def examples(text: str) -> list[Example]:
    """The commands of the README: ``$ pathways ...`` lines of ``text`` blocks with the output
    shown after them, and the ``pathways ...`` parts of ``sh`` blocks (install and test
    commands are not run here)."""
    found: list[Example] = []
    for language, start, body in _blocks(text):
        if language == "text":
            current: Example | None = None
            for offset, line in enumerate(body):
                if line.startswith("$ "):
                    current = Example(line[2:].strip(), line=start + offset)
                    found.append(current)
                elif current is not None:
                    current.expected.append(line.rstrip())
        elif language == "sh":
            block: list[Example] = []
            for offset, line in enumerate(body):
                if "# needs your server" in line:
                    continue  # a command for a server the tests do not have
                for part in line.split("#", 1)[0].split("&&"):
                    if part.strip().startswith("pathways "):
                        block.append(Example(part.strip(), line=start + offset))
            if block:  # the commands of one sh block run in order, as a reader types them
                block[0].after = block[1:]
                found.append(block[0])
    return found


def _in_order(expected: list[str], actual: list[str]) -> str | None:
    """None when every expected line (``...`` = any lines) appears in ``actual`` in order;
    else the first line that does not."""
    position = 0
    for line in expected:
        if line.strip() in ("", "..."):
            continue
        while position < len(actual) and actual[position].rstrip() != line:
            position += 1
        if position == len(actual):
            return line
        position += 1
    return None


def readme_setting(text: str, name: str, pattern: str) -> str:
    """A setting the README states its outputs were made with (``NAME=value``)."""
    m = re.search(rf"{name}=({pattern})", text)
    assert m, f"the README states the {name} its outputs were made with"
    return m.group(1)


TEXT = README.read_text(encoding="utf-8")
EXAMPLES = examples(TEXT)


def test_the_readme_shows_commands_with_their_output() -> None:
    assert len([e for e in EXAMPLES if e.expected]) >= 6
    assert any(e.command.startswith("pathways plan") for e in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"line{e.line}" for e in EXAMPLES])
def test_a_readme_command_prints_what_the_readme_shows(example: Example, tmp_path: Path) -> None:
    """Each command from the repository's files, in a scratch folder (``data`` linked in) with
    its own workspace database, so that nothing the tour writes lands in the checkout."""
    cwd = tmp_path / "checkout"
    cwd.mkdir()
    (cwd / "data").symlink_to(REPO / "data")
    if (REPO.parent / "shared").is_dir():
        (tmp_path / "shared").symlink_to(REPO.parent / "shared")
    env = {**os.environ, "COLUMNS": readme_setting(TEXT, "COLUMNS", r"\d+"),
           "PATHWAYS_TODAY": readme_setting(TEXT, "PATHWAYS_TODAY", r"\d{4}-\d{2}-\d{2}"),
           "NO_COLOR": "1", "PATHWAYS_CATALOG": str(REPO / "data"),
           "PATHWAYS_DB": str(tmp_path / "workspace.db")}
    for step in [example, *example.after]:
        _run(step, cwd, env)


def _run(example: Example, cwd: Path, env: dict[str, str]) -> None:
    argv = shlex.split(example.command)
    assert argv[0] == "pathways"
    if any("../shared/" in a for a in argv) and not (REPO.parent / "shared" / "spec").is_dir():
        pytest.skip("the format's examples are not at ../shared/spec")
    proc = subprocess.run([sys.executable, "-m", "pathways", *argv[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
    output = (proc.stdout + proc.stderr).splitlines()
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    errors_shown = any(line.startswith("error:") for line in example.expected)
    if not errors_shown and not any(line.startswith(("No plan", "Reason:")) for line in example.expected):
        assert proc.returncode == 0, f"README line {example.line}: {example.command}\n{proc.stderr}"
    missing = _in_order(example.expected, output)
    assert missing is None, (f"README line {example.line}: `{example.command}` does not print\n"
                             f"  {missing}\nIt prints:\n" + "\n".join(output))


def test_the_comparison_ignores_elisions_and_needs_the_order() -> None:
    assert _in_order(["a", "...", "c"], ["a", "b", "c"]) is None
    assert _in_order(["c", "a"], ["a", "b", "c"]) == "a"
    assert _in_order(["Total: 3,410 CAD"], ["Total: 3,430 CAD"]) == "Total: 3,410 CAD"
