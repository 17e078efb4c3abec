"""Points 1, 3, 4, 6 and 8 of issue 16 on the command line: user text printed as text with
control characters escaped, numeric options validated, clear messages when --out cannot be
written, concurrent ``badges import`` runs that both land, and ``pathways app`` bound to
127.0.0.1 by default."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pathways.cli import app

from tests.conftest import REPO

runner = CliRunner()

ESC_TITLE = "Evil \x1b]0;pwned\x07\x1b[2J title"
FORMULA = '=HYPERLINK("http://evil.example","Free certificate")'


def run(*args: str | Path, **kwargs):
    result = runner.invoke(app, [str(a) for a in args], **kwargs)
    # an exception the command did not turn into a message would be an "internal error"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        result.exception, result.output)
    return result


def _catalog(tmp_path: Path, title: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(json.dumps({
        "courses": [{"id": "A", "title": title, "hours": 10, "skills": [{"skill": "s", "level": 3}]},
                    {"id": "B", "title": "[online] basics", "hours": 5, "prerequisites": "A"}],
        "credentials": [{"id": "X", "title": title, "level": "certificate",
                         "requires": {"all": ["A", "B"]}}]}))
    return path


def _learner(tmp_path: Path) -> Path:
    path = tmp_path / "me.yaml"
    path.write_text("learner:\n  id: me\n  goals: {credentials: [X]}\n")
    return path


# --------------------------------------------------------------------------- point 4
@pytest.mark.parametrize("title", ["Excel [/basics]", "[bold]x[/bold] [link=http://e.x]y[/link]"])
def test_markup_in_titles_is_printed_as_written(tmp_path: Path, title: str) -> None:
    cat = _catalog(tmp_path, title)
    for args in (("show", "A", "-c", cat), ("show", "X", "-c", cat),
                 ("plan", "-l", _learner(tmp_path), "-c", cat)):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert title in result.output, result.output
    shown = run("show", "B", "-c", cat)
    assert "[online] basics" in shown.output


def test_control_characters_are_shown_escaped(tmp_path: Path) -> None:
    cat = _catalog(tmp_path, ESC_TITLE)
    for args in (("show", "A", "-c", cat), ("plan", "-l", _learner(tmp_path), "-c", cat),
                 ("overlap", "-c", cat), ("health", "-c", cat)):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output, repr(result.output)
    assert "\\x1b]0;pwned\\x07" in run("show", "A", "-c", cat).output


def test_json_output_escapes_c1_and_bidi_controls(tmp_path: Path) -> None:
    cat = _catalog(tmp_path, "a\x9b2Jb\u202ec")
    result = run("show", "A", "-c", cat, "-f", "json")
    assert result.exit_code == 0 and "\x9b" not in result.output and "\u202e" not in result.output
    assert json.loads(result.output)["title"] == "a\x9b2Jb\u202ec"


def test_an_error_message_with_markup_is_printed_as_written(tmp_path: Path) -> None:
    result = run("show", "[/nope]", "-c", _catalog(tmp_path, "t"))
    assert result.exit_code == 1 and "[/nope] is neither" in result.output, result.output


def test_the_last_resort_handler_prints_text_not_markup(capsys) -> None:
    from pathways.cli._common import run_guarded

    def boom() -> None:
        raise RuntimeError("[/basics] \x1b[2J")

    with pytest.raises(SystemExit) as info:
        run_guarded(boom)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "internal error" in err and "[/basics]" in err and "\x1b[2J" not in err, repr(err)


# --------------------------------------------------------------------------- point 6
@pytest.mark.parametrize("args", [
    ("plan", "--time-limit", "-1"), ("plan", "--time-limit", "nan"), ("plan", "--time-limit", "inf"),
    ("recommend", "--max-hours", "nan"), ("recommend", "--max-extra-hours", "-inf"),
    ("overlap", "--threshold", "nan"), ("overlap", "--threshold", "2"),
    ("overlap", "--top-k", "0"), ("health", "--max-chain", "0"), ("health", "--limit", "-1"),
    ("demand", "--oversupply-min", "0"),
])
def test_numeric_options_are_validated(tmp_path: Path, args: tuple[str, ...]) -> None:
    command, *rest = args
    extra = ["-l", _learner(tmp_path)] if command in ("plan", "recommend") else []
    result = run(command, *rest, *extra, "-c", _catalog(tmp_path, "t"))
    assert result.exit_code == 2, result.output
    assert rest[0] in result.output and "Traceback" not in result.output, result.output


# --------------------------------------------------------------------------- point 3
def test_plan_csv_has_no_live_formula(tmp_path: Path) -> None:
    result = run("plan", "-l", _learner(tmp_path), "-c", _catalog(tmp_path, FORMULA), "-f", "csv")
    assert result.exit_code == 0, result.output
    cells = [c for row in csv.reader(io.StringIO(result.output)) for c in row]
    assert "'" + FORMULA in cells and FORMULA not in cells


# --------------------------------------------------------------------------- point 8
def test_out_pointing_at_a_directory_is_a_clear_error(tmp_path: Path) -> None:
    cat = _catalog(tmp_path, "t")
    (tmp_path / "dir").mkdir()
    for args in (("ctdl", "export", "-o", tmp_path / "dir", "-c", cat),
                 ("badges", "export", "A", "-o", tmp_path / "dir", "-c", cat),
                 ("csv", "import", tmp_path / "nope", "-o", tmp_path / "dir")):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert "internal error" not in result.output, result.output
    result = run("ctdl", "export", "-o", tmp_path / "dir", "-c", cat)
    assert "is a directory" in result.output


def test_csv_export_onto_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    result = run("csv", "export", "-o", tmp_path / "f", "-c", _catalog(tmp_path, "t"))
    assert result.exit_code == 1 and "it is a file" in result.output, result.output


def test_a_full_disk_is_a_clear_error_and_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out.json"
    out.write_text("old")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run("ctdl", "export", "-o", out, "-c", _catalog(tmp_path, "t"))
    assert result.exit_code == 1 and "No space left" in result.output, result.output
    assert out.read_text() == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml", "out.json"]


def test_an_unwritable_out_is_a_clear_error(tmp_path: Path) -> None:
    result = run("ctdl", "export", "-o", "/proc/pathways-cannot-write/out.json", "-c",
                 _catalog(tmp_path, "t"))
    assert result.exit_code == 1 and "cannot write" in result.output, result.output


def test_a_symlinked_out_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert run("ctdl", "export", "-o", link, "-c", _catalog(tmp_path, "t")).exit_code == 0
    assert link.is_symlink() and "@graph" in real.read_text()


def _badge(path: Path, name: str, code: str) -> Path:
    path.write_text(json.dumps({
        "@context": "https://w3id.org/openbadges/v2", "type": "Assertion",
        "id": f"https://example.org/a/{code}", "issuedOn": "2024-05-01",
        "recipient": {"type": "email", "identity": "a@example.org", "hashed": False},
        "verification": {"type": "hosted"},
        "badge": {"type": "BadgeClass", "id": code, "name": name}}))
    return path


def test_concurrent_badge_imports_both_land(tmp_path: Path) -> None:
    cat = _catalog(tmp_path, "t")
    a, b = _badge(tmp_path / "a.json", "A badge", "A"), _badge(tmp_path / "b.json", "B badge", "B")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for round_ in range(4):
        profile = tmp_path / f"me{round_}.yaml"
        profile.write_text("learner:\n  id: me\n")
        procs = [subprocess.Popen([sys.executable, "-m", "pathways", "badges", "import", str(badge),
                                   "-l", str(profile), "-o", str(profile), "-c", str(cat)],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for badge in (a, b)]
        for p in procs:
            out, err = p.communicate(timeout=120)
            assert p.returncode == 0, (out, err)
        held = profile.read_text()
        assert "course: A" in held and "course: B" in held, held


# --------------------------------------------------------------------------- point 1
def test_app_binds_localhost_unless_asked(monkeypatch) -> None:
    app_module = sys.modules["pathways.cli.app"]  # pathways.cli.app is also the Typer app

    seen: list[list[str]] = []
    monkeypatch.setattr(app_module.subprocess, "call", lambda cmd, cwd=None: seen.append(cmd) or 0)
    assert run("app").exit_code == 0
    assert run("app", "--address", "0.0.0.0").exit_code == 0
    first, second = (" ".join(c) for c in seen)
    assert "--server.address 127.0.0.1" in first and "--server.address 0.0.0.0" in second
    assert "0.0.0.0" in run("app", "--help").output
