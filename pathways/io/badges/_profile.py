"""Badges added to a learner profile file: read, mapped, merged and written back under a lock
(what ``pathways badges import`` does)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Iterable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from pathways.domain import Catalog, Holding
from pathways.io._yaml import locked, output_path, read_yaml, yaml_header
from pathways.io.badges._map import BadgeImport, import_badge_files, merge_badges
from pathways.io.badges._status import RevocationLists
from pathways.io.catalog import learner_from_data, load_learner
from pathways.io.dump import write_learner

__all__ = ["ProfileBadges", "add_badges_to_profile"]


@dataclass(frozen=True)
class ProfileBadges:
    """What :func:`add_badges_to_profile` did.

    ``notes`` are the notes of the profile's own ``badges:`` list (read when the profile was
    validated); ``read`` is the import of the badge files (a message per badge); ``added`` the
    holdings added or updated and ``skills_raised`` how many skills went up. ``written`` is
    False when a badge file could not be read (``read.problems``): then nothing was written.
    """

    notes: tuple[str, ...]
    read: BadgeImport
    added: tuple[Holding, ...]
    skills_raised: int
    written: bool
    today: dt.date
    #: ``(left out, kept)`` holdings of one item (a course or credential is held once).
    replaced: tuple[tuple[Holding, Holding], ...] = ()

    @property
    def expired(self) -> int:
        """Holdings added that had expired by :attr:`today`."""
        return sum(1 for h in self.added if h.expires is not None and h.expires <= self.today)

    @property
    def unmapped(self) -> int:
        """Readable, current badges that map to no course or credential of the catalog."""
        return sum(1 for b in self.read.badges
                   if b.holding is None and b.status in ("valid", "expired"))

    @property
    def not_added(self) -> int:
        """Badges neither added nor unmapped: revoked, not yet valid or unreadable."""
        return len(self.read.badges) - len(self.read.holdings) - self.unmapped


def add_badges_to_profile(profile: str | os.PathLike[str], files: Iterable[str | os.PathLike[str]],
                          catalog: Catalog, out: str | os.PathLike[str], *,
                          today: dt.date | None = None,
                          revocations: RevocationLists | None = None) -> ProfileBadges:
    """Add the badges of ``files`` to the learner profile ``profile`` and write it to ``out``.

    The profile and ``out`` are locked while they are read, merged and written
    (:func:`pathways.io._yaml.locked`): two imports into one profile at once both land, the
    second reading what the first wrote. Mapped badges become holdings (with their dates and
    expiry) and their alignments skills (:func:`~pathways.io.badges.merge_badges`); the
    profile's own ``badges:`` list and its opening comment block are kept. Nothing is written
    when a badge file cannot be read.

    Raises
    ------
    CatalogError
        When the profile is not valid against ``catalog``.
    WriteError
        When ``out`` cannot be written.
    """
    profile, out = Path(profile), Path(out)
    with ExitStack() as stack:
        for path in sorted({output_path(profile), output_path(out)}):
            stack.enter_context(locked(path))
        full = load_learner(profile, catalog)  # validates the profile, its badges: list included
        raw = read_yaml(profile)
        if isinstance(raw, dict) and isinstance(raw.get("learner"), dict):
            raw = {**raw, "learner": {k: v for k, v in raw["learner"].items() if k != "badges"}}
        base = learner_from_data(raw, source=str(profile), catalog=catalog)
        result = import_badge_files(files, catalog, today=today, revocations=revocations)
        day = today or dt.date.today()
        if result.problems:
            return ProfileBadges(full.notes, result, (), 0, False, day)
        replaced: list[tuple[Holding, Holding]] = []
        merged, added, raised = merge_badges(base, result.holdings, result.skills, today=day,
                                             replaced=replaced)
        merged = dataclasses.replace(merged, badges=full.badges)
        write_learner(merged, out, header=yaml_header(profile))
    return ProfileBadges(full.notes, result, tuple(added), raised, True, day, tuple(replaced))
