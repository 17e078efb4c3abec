"""Points 7, 8 and 9 of issue 16 for CSV and CTDL: extra CSV cells named on their line, a CSV
export that replaces its folder as a whole, CTDL duplicates and shapes that used to lose data
silently, and CTDL nesting that used to overflow the stack."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pathways.domain import Catalog, Course
from pathways.errors import CatalogError
from pathways.io import catalog_to_data, validate_catalog
from pathways.io.tables import write_csv_catalog
from pathways.io.ctdl import catalog_from_ctdl, import_ctdl


# --------------------------------------------------------------------------- CSV cells
@pytest.mark.parametrize("rows,line", [
    ("A,One,2,oops\nB,Two,3\n", 2),  # the first row: pandas used to make it an index
    ("A,One,2\nB,Two,3,oops\n", 3),
])
def test_a_row_with_extra_cells_is_named_not_shifted(tmp_path: Path, rows: str, line: int) -> None:
    (tmp_path / "courses.csv").write_text("id,title,hours\n" + rows)
    with pytest.raises(CatalogError) as info:
        validate_catalog(tmp_path)
    (d,) = info.value.diagnostics
    assert d.line == line and "4 cells, the header 3" in d.message, str(d)


# --------------------------------------------------------------------------- CSV folder
def _catalog(n: int) -> Catalog:
    return Catalog(courses={f"C{i}": Course(f"C{i}", f"title {i}", 1 + i) for i in range(n)})


def test_csv_export_replaces_the_folder_as_a_whole(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    write_csv_catalog(_catalog(2), out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    import pathways.io._yaml as io_yaml

    real = io_yaml.atomic_write_text if hasattr(io_yaml, "atomic_write_text") else None
    calls = []

    def dies_on_the_third(path, text):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        Path(path).write_text(text)

    import pathways.io.tables as io_tables

    monkeypatch.setattr(io_tables, "_write_file", dies_on_the_third)
    with pytest.raises(Exception, match="No space left"):
        write_csv_catalog(_catalog(5), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # not a mix
    assert catalog_to_data(validate_catalog(out).catalog) == catalog_to_data(_catalog(2))
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left
    assert real is not None


def test_a_temporary_folder_left_by_a_killed_export_is_removed(tmp_path: Path) -> None:
    stale = tmp_path / ".out.999999999.abcd.tmp"  # a pid that does not exist
    stale.mkdir()
    (stale / "courses.csv").write_text("half")
    write_csv_catalog(_catalog(1), tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_csv_export_through_a_symlink_writes_the_target(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    write_csv_catalog(_catalog(1), link)
    assert link.is_symlink() and (real / "courses.csv").is_file()


# --------------------------------------------------------------------------- CTDL
def _course(i: int, **extra) -> dict:
    return {"@id": f"https://example.org/c{i}", "@type": "ceterms:Course",
            "ceterms:name": {"en-US": f"Course {i}"}, "ceterms:codedNotation": f"C-{i}",
            "ceterms:estimatedDuration": [{"@type": "ceterms:DurationProfile",
                                           "ceterms:exactDuration": "PT12H"}], **extra}


def test_a_duplicate_ctdl_id_with_different_content_is_an_error_naming_both() -> None:
    doc = {"@graph": [_course(1), _course(2), _course(1, **{"ceterms:name": {"en-US": "Other"}})]}
    with pytest.raises(CatalogError) as info:
        import_ctdl(doc)
    message = str(info.value)
    assert "https://example.org/c1" in message and "@graph[0]" in message and "@graph[2]" in message, message


def test_the_same_node_described_twice_alike_is_merged() -> None:
    doc = {"@graph": [_course(1), {"@id": "https://example.org/c1", "ceterms:description":
                                   {"en-US": "more"}}]}
    assert [c["id"] for c in import_ctdl(doc)["courses"]] == ["C-1"]


def test_graph_given_as_an_object_is_an_error(tmp_path: Path) -> None:
    doc = {"@context": "x", "@graph": {"c1": _course(1), "c2": _course(2)}}
    with pytest.raises(CatalogError, match="@graph"):
        import_ctdl(doc)


def test_a_document_with_nothing_to_import_is_an_error() -> None:
    with pytest.raises(CatalogError, match="no CTDL"):
        import_ctdl({"@graph": [{"@id": "x", "@type": "schema:Thing"}]})


def test_a_duplicate_key_in_a_ctdl_object_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"@graph": [{"@id": "a", "@type": "ceterms:Course", "@type": "x"}]}')
    with pytest.raises(CatalogError, match="twice"):
        import_ctdl(path)


@pytest.mark.parametrize("depth", [300, 100_000])
def test_deeply_nested_ctdl_json_is_a_clear_error(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"@graph": [' + "[" * depth + "]" * depth + "]}")
    with pytest.raises(CatalogError) as info:
        import_ctdl(path)
    assert "nested" in str(info.value) and "deep.json" in str(info.value)


def test_a_5000_deep_component_chain_is_a_clear_error() -> None:
    n = 5000
    nodes = [{"@id": "p", "@type": "ceterms:Pathway", "ceterms:name": "P",
              "ceterms:hasDestinationComponent": "k0"}, _course(0),
             {"@id": "cred", "@type": "ceterms:Certificate", "ceterms:name": "Cert",
              "ceterms:codedNotation": "CERT"},
             {"@id": "k0", "@type": "ceterms:CredentialComponent", "ceterms:name": "k0",
              "ceterms:proxyFor": "cred", "ceterms:hasChild": ["k1"]}]
    for i in range(1, n):
        nodes.append({"@id": f"k{i}", "@type": "ceterms:BasicComponent", "ceterms:name": f"k{i}",
                      "ceterms:hasChild": [f"k{i + 1}"]})
    nodes.append({"@id": f"k{n}", "@type": "ceterms:CourseComponent", "ceterms:name": "last",
                  "ceterms:proxyFor": "https://example.org/c0"})
    with pytest.raises(CatalogError) as info:
        import_ctdl({"@graph": nodes})
    assert "deep" in str(info.value) and "k" in str(info.value), str(info.value)


@pytest.mark.parametrize("exchange", [True, False])
def test_csv_export_over_an_earlier_export_replaces_it(tmp_path: Path, monkeypatch,
                                                       exchange: bool) -> None:
    import pathways.io._yaml as io_yaml

    if not exchange:  # systems without renameat2: moved aside, then removed
        monkeypatch.setattr(io_yaml, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    write_csv_catalog(_catalog(3), out)
    write_csv_catalog(_catalog(1), out)
    assert catalog_to_data(validate_catalog(out).catalog) == catalog_to_data(_catalog(1))
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
