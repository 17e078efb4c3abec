"""Line lookup: the fast path (scan for list entries, compose one entry) agrees with composing
the whole file, and falls back to it whenever the text does not check out."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pathways.io import dump_yaml, read_yaml
from pathways.io._yaml import Locator
from pathways.synth import synthetic_data


def _keypaths(data: dict, limit: int = 400) -> list[tuple]:
    """Key paths into every top-level list entry: the entry, its keys, one level of lists."""
    out: list[tuple] = [("courses",), ()]
    for collection, items in data.items():
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            out.append((collection, i))
            for key, value in (item.items() if isinstance(item, dict) else ()):
                out.append((collection, i, key))
                if isinstance(value, list) and value:
                    out.append((collection, i, key, len(value) - 1))
                    out.append((collection, i, key, len(value)))  # past the end
            out.append((collection, i, "no-such-key"))
    step = max(1, len(out) // limit)
    return out[::step]


def _agree(path: Path) -> int:
    data = read_yaml(path)
    fast = Locator(data={str(path): data})
    slow = Locator()  # no data: always composes the whole file
    keypaths = _keypaths(data)
    for keypath in keypaths:
        assert fast.line(str(path), keypath) == slow.line(str(path), keypath), keypath
    return len(keypaths)


LAYOUTS = {
    "indentless": """
        courses:
        - id: A
          title: A
          hours: 5
          skills:
          - {skill: s, level: 2}
        - id: B
          title: "two
            lines"
          hours: 3
          description: |
            - not an entry
            # not a comment
        credentials:
        - {id: C, title: C, level: certificate, requires: [A, B]}
        """,
    "indented, comments and blank lines": """
        # a catalog
        courses:   # the courses

          - id: A   # first
            title: A
            hours: 5

          # between entries
          - id: B
            title: B
            hours: 3
            prerequisites:
              - A
        jobs:
          - id: J
            title: J
            skills:
              - skill: s
        """,
    "flow style (falls back)": """
        courses: [{id: A, title: A, hours: 5},
          {id: B, title: B, hours: 3}]
        """,
    "anchors across entries (falls back)": """
        courses:
          - &a {id: A, title: A, hours: 5}
          - id: B
            title: B
            hours: 3
            skills: [{skill: s}]
        jobs:
          - id: J
            title: J
            skills: &sk [{skill: s}]
          - {id: K, title: K, skills: *sk}
        """,
}


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_fast_line_lookup_agrees_with_composing_the_file(tmp_path: Path, name: str,
                                                          newline: str) -> None:
    path = tmp_path / "catalog.yaml"
    text = textwrap.dedent(LAYOUTS[name]).lstrip("\n")
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    assert _agree(path) > 5


def test_fast_line_lookup_on_a_synthetic_catalog(tmp_path: Path) -> None:
    path = tmp_path / "synthetic.yaml"
    path.write_text(dump_yaml(synthetic_data(300, seed=3)), encoding="utf-8")
    assert _agree(path) > 300
    # entries are found without composing the whole file (the point of the fast path)
    data = read_yaml(path)
    locator = Locator(data={str(path): data})
    lines = [locator.line(str(path), ("courses", i, "hours")) for i in range(len(data["courses"]))]
    assert lines == sorted(lines) and len(set(lines)) == len(lines)
    assert str(path) not in locator._roots


def test_text_that_does_not_match_the_data_is_not_trusted(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("courses:\n- id: A\n  hours: 5\n- id: B\n  hours: 3\n", encoding="utf-8")
    # data that disagrees with the text (another id, another count): the whole file is composed
    wrong_id = Locator(data={str(path): {"courses": [{"id": "A"}, {"id": "Z"}]}})
    assert wrong_id.line(str(path), ("courses", 1, "hours")) == 5
    wrong_count = Locator(data={str(path): {"courses": [{"id": "A"}]}})
    assert wrong_count.line(str(path), ("courses", 0, "hours")) == 3


def test_spec_examples_agree(examples_dir: Path) -> None:
    for path in sorted(examples_dir.glob("*.yaml")):
        _agree(path)
