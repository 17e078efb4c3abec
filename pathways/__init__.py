"""pathways: plan how microcredentials stack into credentials, and what to learn next.

The public API is exactly what ``__all__`` lists; everything else is internal. Every name is
imported on first use (:data:`_LAZY`), so that ``import pathways`` stays light.
"""

from pathways._lazy import lazy_names as _lazy_names

__version__ = "0.1.0"

#: Where each public name lives. Nothing is imported until a name is first used, so that
#: ``import pathways`` (and every ``pathways ...`` command, which imports it first) stays light:
#: the domain classes cost nothing, the loader needs pydantic and PyYAML, the graph networkx,
#: the engines numpy, scipy, pandas and scikit-learn.
_LAZY = {
    # domain and errors
    **dict.fromkeys(
        ("AllOf", "AnyOf", "Catalog", "Choose", "Constraints", "Course", "Credential", "Goals",
         "Holding", "Job", "JobSkill", "LearnerProfile", "MinHours", "Provider", "Ref", "Skill",
         "SkillLevel", "Term"), "pathways.domain"),
    **dict.fromkeys(("CatalogError", "Diagnostic", "InfeasiblePlanError", "InvalidParameterError",
                     "PathwaysError", "PlanAuditError", "WriteError"), "pathways.errors"),
    # io and graph
    **dict.fromkeys(("ValidationReport", "catalog_from_data", "load_catalog", "load_learner",
                     "validate_catalog"), "pathways.io"),
    "build_graph": "pathways.graph", "relevant_subgraph": "pathways.graph",
    # planner
    "AuditResult": "pathways.planner", "Plan": "pathways.planner",
    "PlannedCourse": "pathways.planner", "audit": "pathways.planner",
    "distances": "pathways.planner", "plan": "pathways.planner", "what_if": "pathways.planner",
    # skills
    "CourseRecommender": "pathways.skills", "SkillExtractor": "pathways.skills",
    "gap_analysis": "pathways.skills", "learner_skills": "pathways.skills",
    "match_jobs": "pathways.skills", "readiness_matrix": "pathways.skills",
    "recommend": "pathways.skills",
    # overlap
    "course_similarity": "pathways.overlap", "credential_overlap": "pathways.overlap",
    "health_report": "pathways.overlap", "skill_demand": "pathways.overlap",
    # the advisor workspace (a database)
    "Workspace": "pathways.workspace",
    # taxonomy and synthetic catalogs
    "Taxonomy": "pathways.taxonomy", "load_esco": "pathways.io.esco",
    "load_onet": "pathways.io.onet", "synthetic_catalog": "pathways.synth",
}


__getattr__, __dir__ = _lazy_names(__name__, _LAZY)

__all__ = [
    "AllOf",
    "AnyOf",
    "AuditResult",
    "Catalog",
    "CatalogError",
    "Choose",
    "Constraints",
    "Course",
    "CourseRecommender",
    "Credential",
    "Diagnostic",
    "Goals",
    "Holding",
    "InfeasiblePlanError",
    "InvalidParameterError",
    "Job",
    "JobSkill",
    "LearnerProfile",
    "MinHours",
    "PathwaysError",
    "Plan",
    "PlanAuditError",
    "PlannedCourse",
    "Provider",
    "Ref",
    "Skill",
    "SkillExtractor",
    "SkillLevel",
    "Taxonomy",
    "Term",
    "ValidationReport",
    "Workspace",
    "WriteError",
    "audit",
    "build_graph",
    "catalog_from_data",
    "course_similarity",
    "credential_overlap",
    "distances",
    "gap_analysis",
    "health_report",
    "learner_skills",
    "load_catalog",
    "load_esco",
    "load_learner",
    "load_onet",
    "match_jobs",
    "plan",
    "readiness_matrix",
    "recommend",
    "relevant_subgraph",
    "skill_demand",
    "synthetic_catalog",
    "validate_catalog",
    "what_if",
]
