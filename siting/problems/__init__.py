"""Other problem forms on the same core model: OR-Library facility location files and
synthetic Korean instances of any size."""
