"""Running queries against live databases: targets from profiles, guards, bounded results."""
