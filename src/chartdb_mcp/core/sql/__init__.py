"""SQL knowledge that needs no connection: dialect names and type normalization."""
