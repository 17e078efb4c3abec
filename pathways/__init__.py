"""pathways: plan how microcredentials stack into credentials, and what to learn next.

The public API is exactly what ``__all__`` lists; everything else is internal.
"""

from pathways.domain import (
    AllOf,
    AnyOf,
    Catalog,
    Choose,
    Constraints,
    Course,
    Credential,
    Goals,
    Holding,
    Job,
    JobSkill,
    LearnerProfile,
    MinHours,
    Provider,
    Ref,
    Skill,
    SkillLevel,
    Term,
)
from pathways.errors import (
    CatalogError,
    Diagnostic,
    InfeasiblePlanError,
    PathwaysError,
    PlanAuditError,
)
from pathways.graph import build_graph, relevant_subgraph
from pathways.io import (
    ValidationReport,
    catalog_from_data,
    load_catalog,
    load_learner,
    validate_catalog,
)

__version__ = "0.1.0"

__all__ = [
    "AllOf",
    "AnyOf",
    "Catalog",
    "CatalogError",
    "Choose",
    "Constraints",
    "Course",
    "Credential",
    "Diagnostic",
    "Goals",
    "Holding",
    "InfeasiblePlanError",
    "Job",
    "JobSkill",
    "LearnerProfile",
    "MinHours",
    "PathwaysError",
    "PlanAuditError",
    "Provider",
    "Ref",
    "Skill",
    "SkillLevel",
    "Term",
    "ValidationReport",
    "build_graph",
    "catalog_from_data",
    "load_catalog",
    "load_learner",
    "relevant_subgraph",
    "validate_catalog",
]
