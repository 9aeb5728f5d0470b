"""The citation engine (pure Python): split reference lists, parse entries into CSL-JSON fields, find
in-text markers, and link them both ways. ``reader.cite.engine.annotate`` is the entry point."""
