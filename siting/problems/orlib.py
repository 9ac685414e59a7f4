"""OR-Library capacitated warehouse location (Beasley) as a problem form of the core model.

File format (whitespace separated; line breaks carry no meaning): ``m n``; then ``m`` pairs
``capacity fixed_cost``; then per customer its ``demand`` followed by ``m`` allocation costs,
each the cost of supplying *all* of that customer's demand from that warehouse. In the large
capa/capb/capc files the capacity is the literal word ``capacity`` and must be given.

The instance is mapped onto :func:`siting.model.build.build_model` unchanged: warehouses become
sites with one module of their capacity (so ``open`` = build), customers become demand
points of the service family, and a single period with no discounting and a one-year capital
recovery makes the objective exactly ``sum fixed * open + sum unit_cost * flow``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import ValidationError

from ..errors import InputError, Problem
from ..inputs.model_file import ModelFile
from ..inputs.validation import pydantic_problems
from ..model.data import ModelData, assemble


@dataclass(frozen=True)
class CFLPInstance:
    """A capacitated facility location instance.

    Attributes
    ----------
    capacity, fixed_cost : numpy.ndarray
        Per warehouse (length m).
    demand : numpy.ndarray
        Per customer (length n).
    allocation_cost : numpy.ndarray
        (n, m): cost of supplying all of customer j's demand from warehouse i.
    name : str
    """

    capacity: np.ndarray
    fixed_cost: np.ndarray
    demand: np.ndarray
    allocation_cost: np.ndarray
    name: str = "cflp"

    @property
    def unit_cost(self) -> np.ndarray:
        """(n, m) cost per unit of demand."""
        return self.allocation_cost / self.demand[:, None]


MAX_VALUE = 1e12
"""Largest number a cap file may hold: the largest in OR-Library's capa/capb/capc is about
2.3e6 (an allocation cost), so 1e12 only stops absurd values before they reach HiGHS."""


def read_orlib_cap(path: str | Path, capacity: float | None = None) -> CFLPInstance:
    """Read an OR-Library ``cap*`` file.

    The sizes ``m n`` of the first line are checked against the number of tokens in the
    file before anything is allocated, and every number must be finite, non-negative
    and at most :data:`MAX_VALUE` (demands and capacities positive).

    Parameters
    ----------
    capacity : float, optional
        Capacity of every warehouse; required when the file holds the word ``capacity``
        (capa/capb/capc), and overrides the file's numbers otherwise.

    Raises
    ------
    InputError
        Naming the file, the line, the token position, its value and what was expected.
    """
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise InputError([Problem(shown, "file not found", "check the path")])
    if capacity is not None and not 0 < capacity <= MAX_VALUE:
        raise InputError([Problem(shown, "the capacity given for every warehouse must be a "
                                  f"positive number up to {MAX_VALUE:g}", "give the "
                                  "instance's capacity, e.g. 5000 for capb5000",
                                  column="capacity", value=capacity)])
    text = path.read_text(encoding="ascii", errors="replace")
    tokens = text.split()

    def bad(msg: str, fix: str, k: int | None = None, value: object = None) -> InputError:
        row = None if k is None else _line_of_token(text, k)
        if value is None and k is not None:
            value = tokens[k]
        return InputError([Problem(shown, msg, fix, row, None, value)])

    def number(k: int, what: str, positive: bool = False) -> float:
        try:
            x = float(tokens[k])
        except ValueError:
            raise bad(f"token {k + 1} ({tokens[k]!r}) should be {what}",
                      "use the OR-Library cap format", k) from None
        if not 0 <= x <= MAX_VALUE or (positive and x == 0):
            sign = "positive" if positive else "non-negative"
            raise bad(f"token {k + 1} ({what}) must be a {sign} finite number up to "
                      f"{MAX_VALUE:g}", "correct the value", k)
        return x

    if len(tokens) < 2:
        raise bad("file ends early: the first line must give m (warehouses) and n "
                  "(customers)", "check that the file is complete")
    m, n = (_size(tokens[k], what, bad(f"{what} on the first line must be a positive whole "
                                       "number", "fix the first line", k))
            for k, what in ((0, "m"), (1, "n")))
    need = 2 + 2 * m + n * (m + 1)
    if len(tokens) != need:
        few = len(tokens) < need
        raise bad(("file ends early: " if few else f"{len(tokens) - need} extra tokens after "
                   "the last customer: ") + f"the first line declares m={m} warehouses and "
                  f"n={n} customers, which take {need:,} numbers, but the file has "
                  f"{len(tokens):,}", "check that the file is complete and that m and n on the "
                  "first line are right", 0, f"{m} {n}")
    cap, fixed = np.empty(m), np.empty(m)
    for i in range(m):
        k = 2 + 2 * i
        if tokens[k].lower() == "capacity":
            if capacity is None:
                raise bad("warehouse capacities are the word 'capacity'",
                          "give the instance's capacity (capa: 8000-14000, capb: 5000-8000, "
                          "capc: 5000-7250) with --capacity")
            cap[i] = capacity
        else:
            cap[i] = capacity if capacity is not None else number(k, f"capacity {i + 1}", True)
        fixed[i] = number(k + 1, f"fixed cost {i + 1}")
    k = 2 + 2 * m
    try:
        body = np.array(tokens[k:need], dtype=float)
    except ValueError:
        body = None
    if body is None or not ((body >= 0) & (body <= MAX_VALUE)).all():  # NaN fails both
        for t in range(k, need):  # report the first offender
            number(t, "a demand or an allocation cost")
    body = body.reshape(n, m + 1)
    demand, alloc = body[:, 0], body[:, 1:]
    if (demand <= 0).any():
        j = int(np.argmax(demand <= 0))
        raise bad(f"customer {j + 1} has demand {demand[j]:g}", "demands must be positive",
                  k + j * (m + 1))
    name = path.stem + (f"{capacity:g}" if capacity is not None else "")
    return CFLPInstance(cap, fixed, demand, alloc, name)


def _size(token: str, what: str, error: InputError) -> int:
    """A size from the first line (``m`` or ``n``): a positive whole number."""
    try:
        x = float(token)
    except ValueError:
        raise error from None
    if not (x.is_integer() and 0 < x <= MAX_VALUE):
        raise error
    return int(x)


def _line_of_token(text: str, k: int) -> int:
    """Line (1-based) of whitespace-separated token ``k`` (0-based) of ``text``."""
    seen = 0
    for n, line in enumerate(text.splitlines(), 1):
        seen += len(line.split())
        if seen > k:
            return n
    return max(1, len(text.splitlines()))


def cflp_model_file(name: str = "cflp", mip_rel_gap: float = 1e-9,
                    time_limit_s: float = 600.0, threads: int = 1) -> ModelFile:
    """A model file with every Korean family off and costs reduced to fixed + service.

    Raises
    ------
    InputError
        When a solver argument is out of its range (e.g. a negative gap).
    """
    raw = {
        "name": name,
        "periods": [2030],
        "constraints": {"targets": {"enabled": False, "values": {}},
                        "grid": {"enabled": False}, "renewable": {"enabled": False},
                        "decentralization": {"enabled": False}},
        "economics": {"base_year": 2030, "discount_rate": 0.0, "lifetime_years": 1,
                      "utilization": 1.0, "last_period_years": 1},
        "solver": {"mip_rel_gap": mip_rel_gap, "time_limit_s": time_limit_s,
                   "threads": threads},
    }
    try:
        return ModelFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(pydantic_problems("solver arguments", exc, raw)) from None


def cflp_model_data(inst: CFLPInstance, model: ModelFile | None = None) -> ModelData:
    """Map a CFLP instance onto the core model's parameters (ids ``w1..wm``, ``c1..cn``)."""
    model = model or cflp_model_file(inst.name)
    sites_ids = [f"w{i + 1}" for i in range(len(inst.capacity))]
    cust_ids = [f"c{j + 1}" for j in range(len(inst.demand))]
    sites = pd.DataFrame({
        "province_id": "all", "grid_node_id": "none", "grid_province_id": "all",
        "capital_region": False, "module_mw": inst.capacity, "max_modules": 1, "pue": 1.0,
        "tariff_krw_per_kwh": 0.0, "capex_bn_krw_per_mw": 0.0,
        "fixed_cost_bn_krw": inst.fixed_cost, "connection_km": 0.0,
        "available_from": 0}, index=pd.Index(sites_ids, name="site_id"))
    unit = inst.unit_cost
    service = {(s, c): float(unit[j, i]) for j, c in enumerate(cust_ids)
               for i, s in enumerate(sites_ids)}
    return assemble(
        model, sites,
        provinces=pd.DataFrame({"capital_region": [False], "spare_mw": [np.inf]},
                               index=pd.Index(["all"], name="province_id")),
        target_mw={p: 0.0 for p in model.periods},
        demands=pd.DataFrame({"demand_mw": inst.demand},
                             index=pd.Index(cust_ids, name="demand_id")),
        service_cost=service)


def solve_cflp(inst: CFLPInstance, mip_rel_gap: float = 1e-9, time_limit_s: float = 600.0,
               threads: int = 1):
    """Build the core model for a CFLP instance and solve it with HiGHS.

    Returns
    -------
    (SolveReport, dict)
        The solve report (objective = fixed + allocation cost) and timings [s].
    """
    import time

    from ..api import solve_data

    model = cflp_model_file(inst.name, mip_rel_gap, time_limit_s, threads)
    t = time.perf_counter()
    data = cflp_model_data(inst, model)
    solved = solve_data(data, require=False)
    build_s = time.perf_counter() - t - solved.timings["solve"]
    return solved.report, {"build": build_s, "solve": solved.timings["solve"]}
