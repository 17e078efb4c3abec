"""pathways: plan how microcredentials stack, and what to learn next."""
