"""Stages 2-3, the optimization model: data (plain numbers), build (sets, decisions and
the constraint families), objective, pre-solve checks, solve and infeasibility diagnosis."""
