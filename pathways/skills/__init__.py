"""Skills: learner skills, gap analysis, explained recommendations, job matching, batch
scoring (:mod:`~pathways.skills.gap`, :mod:`~pathways.skills.recommend`,
:mod:`~pathways.skills.match`, :mod:`~pathways.skills.batch`), and text to skills
(:mod:`~pathways.skills.text`, with its job-ad path :mod:`~pathways.skills.jobad`) and its
evaluation (:mod:`~pathways.skills.evaluate`)."""

from pathways.skills.batch import readiness_matrix, top_courses
from pathways.skills.extractor import job_from_skills, job_from_text, load_extractor
from pathways.skills.gap import GapReport, SkillGap, gap_analysis
from pathways.skills.learner import LearnerSkills, learner_skills
from pathways.skills.match import JobMatch, match_jobs
from pathways.skills.recommend import CourseRecommender, Recommendation, recommend
from pathways.skills.text import ExtractedSkill, SkillExtractor, split_segments

__all__ = [
    "CourseRecommender",
    "ExtractedSkill",
    "GapReport",
    "JobMatch",
    "LearnerSkills",
    "Recommendation",
    "SkillExtractor",
    "SkillGap",
    "gap_analysis",
    "job_from_skills",
    "job_from_text",
    "learner_skills",
    "load_extractor",
    "match_jobs",
    "readiness_matrix",
    "recommend",
    "split_segments",
    "top_courses",
]
