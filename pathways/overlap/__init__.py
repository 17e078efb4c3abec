"""Program designer analytics: course overlap, credential overlap, catalog health, skill demand.

- :func:`course_similarity`: which courses teach the same thing (skill and text signals, top
  neighbours, pairs above a threshold, near-duplicate clusters);
- :func:`credential_overlap`, :func:`stack_on`, :func:`overlap_matrix`: what credentials share
  and how many hours a holder of one still needs for another;
- :func:`health_report`: findings a designer should look at, each explained;
- :func:`skill_demand`: skills jobs demand against skills the courses teach.

Every function takes the catalog first and returns pandas DataFrames.
"""

from pathways.overlap._credentials import (
    credential_courses,
    credential_overlap,
    overlap_matrix,
    stack_on,
)
from pathways.overlap._demand import SKILL_STATUSES, skill_demand
from pathways.overlap._health import HEALTH_CATEGORIES, health_report, minimal_course_sets
from pathways.overlap._similarity import OverlapResult, course_similarity

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
