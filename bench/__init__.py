"""Benchmarks of chartdb-mcp against the standard tools of each database.

`bench.fixtures` builds the scale fixtures from the shared corpus, `bench.measure` runs
one side of one round in its own process, and `bench.import_speed` drives the rounds and
reports. See `bench/README.md`.
"""
