"""Reading and writing user files: catalogs, learner profiles and the formats around them."""

from pathways.io._yaml import (
    atomic_write_text,
    dump_yaml,
    parse_yaml,
    parse_yaml_bytes,
    read_text_file,
    read_yaml,
)
from pathways.io.dump import (
    catalog_to_data,
    learner_to_data,
    requirement_to_data,
    write_catalog,
    write_learner,
)
from pathways.io.archive import catalog_from_archive
from pathways.io.catalog import (
    Document,
    ValidationReport,
    catalog_from_data,
    learner_from_data,
    load_catalog,
    load_learner,
    validate_catalog,
)

__all__ = [
    "Document",
    "ValidationReport",
    "atomic_write_text",
    "catalog_from_archive",
    "catalog_from_data",
    "catalog_to_data",
    "dump_yaml",
    "learner_from_data",
    "learner_to_data",
    "load_catalog",
    "load_learner",
    "parse_yaml",
    "parse_yaml_bytes",
    "read_text_file",
    "read_yaml",
    "requirement_to_data",
    "validate_catalog",
    "write_catalog",
    "write_learner",
]
