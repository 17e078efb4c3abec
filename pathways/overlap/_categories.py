"""Names of the health report's categories (no heavy imports: the CLI lists them in its help)."""

__all__ = ["HEALTH_CATEGORIES"]

#: The categories of :func:`pathways.overlap.health_report`, in report order.
HEALTH_CATEGORIES = ("validation", "no-credential", "single-path", "long-chain",
                     "single-source-skill", "missing-prerequisite")
