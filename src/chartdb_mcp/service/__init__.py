"""Use cases: each combines the store, the core and the live layer in one place."""
