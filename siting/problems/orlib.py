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

from ..errors import InputError, Problem
from ..inputs.model_file import ModelFile
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


def read_orlib_cap(path: str | Path, capacity: float | None = None) -> CFLPInstance:
    """Read an OR-Library ``cap*`` file.

    Parameters
    ----------
    capacity : float, optional
        Capacity of every warehouse; required when the file holds the word ``capacity``
        (capa/capb/capc), and overrides the file's numbers otherwise.

    Raises
    ------
    InputError
        Naming the file, the token position and what was expected.
    """
    path = Path(path)
    shown = str(path)
    if not path.is_file():
        raise InputError([Problem(shown, "file not found", "check the path")])
    tokens = path.read_text(encoding="ascii", errors="replace").split()

    def bad(msg: str, fix: str) -> InputError:
        return InputError([Problem(shown, msg, fix)])

    def number(k: int, what: str) -> float:
        if k >= len(tokens):
            raise bad(f"file ends early: expected {what} at token {k + 1}",
                      "check that the file is complete (m, n, m warehouse pairs, n customers "
                      "each with demand and m costs)")
        try:
            return float(tokens[k])
        except ValueError:
            raise bad(f"token {k + 1} ({tokens[k]!r}) should be {what}",
                      "use the OR-Library cap format") from None

    m, n = int(number(0, "m")), int(number(1, "n"))
    if m <= 0 or n <= 0:
        raise bad(f"m={m}, n={n} must be positive", "fix the first line")
    cap, fixed = np.empty(m), np.empty(m)
    k = 2
    for i in range(m):
        if tokens[k].lower() == "capacity":
            if capacity is None:
                raise bad("warehouse capacities are the word 'capacity'",
                          "give the instance's capacity (capa: 8000-14000, capb: 5000-8000, "
                          "capc: 5000-7250) with --capacity")
            cap[i] = capacity
        else:
            cap[i] = capacity if capacity is not None else number(k, f"capacity {i + 1}")
        fixed[i] = number(k + 1, f"fixed cost {i + 1}")
        k += 2
    need = k + n * (m + 1)
    if len(tokens) < need:
        raise bad(f"file has {len(tokens)} tokens, {need} expected for m={m}, n={n}",
                  "check that the file is complete")
    body = np.array(tokens[k:need], dtype=float).reshape(n, m + 1)
    demand, alloc = body[:, 0], body[:, 1:]
    if (demand <= 0).any():
        j = int(np.argmax(demand <= 0))
        raise bad(f"customer {j + 1} has demand {demand[j]:g}", "demands must be positive")
    if len(tokens) > need:
        raise bad(f"{len(tokens) - need} extra tokens after the last customer",
                  "check m and n on the first line")
    name = path.stem + (f"{capacity:g}" if capacity is not None else "")
    return CFLPInstance(cap, fixed, demand, alloc, name)


def cflp_model_file(name: str = "cflp", mip_rel_gap: float = 1e-9,
                    time_limit_s: float = 600.0, threads: int = 1) -> ModelFile:
    """A model file with every Korean family off and costs reduced to fixed + service."""
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
    return ModelFile.model_validate(raw)


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
