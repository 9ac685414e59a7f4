"""Optimization batches and sensitivity sweeps.

A sweep file names a base model file, the parameters to vary (from the catalogue in
:mod:`siting.sweep.parameters`) and a design (full grid, one-at-a-time, Latin hypercube
or an epsilon-constraint Pareto scan). Scenarios run in worker processes on this machine
or a Dask cluster; each worker builds the Pyomo model once and re-solves it with
changed mutable parameters (a fresh HiGHS instance per scenario keeps each scenario's
plan independent of what its worker solved before).
"""

from .executor import run_sweep
from .spec import SweepFile, load_sweep_file, scenarios

__all__ = ["SweepFile", "load_sweep_file", "run_sweep", "scenarios"]
