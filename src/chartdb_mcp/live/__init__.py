"""Live databases: connection targets, engines and schema introspection."""
