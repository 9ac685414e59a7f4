"""Constraint families, one function each; every function returns early when it does not apply."""
