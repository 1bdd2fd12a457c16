"""Rule families, one module per family; see :mod:`feedlint.registry`."""
