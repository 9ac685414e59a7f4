"""Stage 4, results: the solved model read back into tables with real identifiers."""
