"""Skills: text to skills extraction (:mod:`pathways.skills.text`) and its evaluation
(:mod:`pathways.skills.evaluate`)."""

from pathways.skills.text import SkillExtractor, split_segments

__all__ = ["SkillExtractor", "split_segments"]
