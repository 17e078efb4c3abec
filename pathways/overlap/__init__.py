"""Program designer analytics: course overlap, credential overlap, catalog health, skill demand.

- :func:`course_similarity`: which courses teach the same thing (skill and text signals, top
  neighbours, pairs above a threshold, near-duplicate clusters);
- :func:`credential_overlap`, :func:`stack_on`, :func:`overlap_matrix`: what credentials share
  and how many hours a holder of one still needs for another;
- :func:`health_report`: findings a designer should look at, each explained;
- :func:`skill_demand`: skills jobs demand against skills the courses teach.

Every function takes the catalog first and returns pandas DataFrames.
"""

from pathways._lazy import lazy_names as _lazy_names
from pathways.overlap._categories import HEALTH_CATEGORIES

#: The engines load on first use (they need pandas, scipy and scikit-learn), so that the CLI
#: can name the health categories without paying for them.
_LAZY = {
    "credential_courses": "_credentials", "credential_overlap": "_credentials",
    "overlap_matrix": "_credentials", "stack_on": "_credentials",
    "SKILL_STATUSES": "_demand", "skill_demand": "_demand",
    "health_report": "_health", "minimal_course_sets": "_health",
    "OverlapResult": "_similarity", "course_similarity": "_similarity",
}


__getattr__, __dir__ = _lazy_names(__name__, {name: f"pathways.overlap.{module}"
                                             for name, module in _LAZY.items()})

__all__ = [
    "HEALTH_CATEGORIES",
    "SKILL_STATUSES",
    "OverlapResult",
    "course_similarity",
    "credential_courses",
    "credential_overlap",
    "health_report",
    "minimal_course_sets",
    "overlap_matrix",
    "skill_demand",
    "stack_on",
]
