"""Reading and writing user files: catalogs, learner profiles and the formats around them."""

from pathways.io._yaml import atomic_write_text, dump_yaml, read_yaml
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
    "catalog_from_data",
    "dump_yaml",
    "learner_from_data",
    "load_catalog",
    "load_learner",
    "read_yaml",
    "validate_catalog",
]
