"""`python -m chartdb_mcp` runs the command line."""

from chartdb_mcp.cli import main

main()
