"""The hand-over to HiGHS (``siting.model.solve``) on small Pyomo models solved by brute force.

Each model exercises one thing the compiled matrices must carry: ranged and equality
rows, variable bounds and integrality, fixed variables folded into the right-hand side
and the objective constant, maximisation, mutable Params read at solve time.
"""

from __future__ import annotations

import itertools

import pyomo.environ as pyo
import pytest

from siting.errors import InputError
from siting.inputs.model_file import Solver
from siting.model.solve import make_solver, solve_model

OPTIONS = Solver(mip_rel_gap=0.0, threads=1)


def mixed_model():
    """max 3x + 2y - z + 4w (w fixed at 2), x, y integer in [0, 5], z in [0, 10]:
    1 <= x + y + w <= 6, x - y + z == 1 + w, 2x + 3y <= cap (mutable Param 12)."""
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.NonNegativeIntegers, bounds=(0, 5))
    m.y = pyo.Var(domain=pyo.Integers, bounds=(0, 5))
    m.z = pyo.Var(bounds=(0, 10))
    m.w = pyo.Var(domain=pyo.Integers)
    m.w.fix(2)
    m.cap = pyo.Param(initialize=12.0, mutable=True)
    m.ranged = pyo.Constraint(expr=pyo.inequality(1, m.x + m.y + m.w, 6))
    m.eq = pyo.Constraint(expr=m.x - m.y + m.z == 1 + m.w)
    m.capacity = pyo.Constraint(expr=2 * m.x + 3 * m.y <= m.cap)
    m.obj = pyo.Objective(expr=3 * m.x + 2 * m.y - m.z + 4 * m.w, sense=pyo.maximize)
    return m


def brute_force(cap: float) -> float:
    """Enumerate the integers; z is then fixed by the equality (z = 3 - x + y)."""
    best = -float("inf")
    for x, y in itertools.product(range(6), repeat=2):
        z, w = 1 + 2 - x + y, 2
        if 0 <= z <= 10 and 1 <= x + y + w <= 6 and 2 * x + 3 * y <= cap:
            best = max(best, 3 * x + 2 * y - z + 4 * w)
    return best


def test_mixed_model_matches_brute_force():
    m = mixed_model()
    r = solve_model(m, OPTIONS)
    assert r.status == "optimal"
    assert r.objective == pytest.approx(brute_force(12.0))
    assert pyo.value(m.obj) == pytest.approx(r.objective)  # the solution was loaded
    assert m.x.value == pytest.approx(round(m.x.value))
    for c in (m.ranged, m.eq, m.capacity):
        body = pyo.value(c.body)
        assert (c.lower is None or body >= pyo.value(c.lower) - 1e-6) and \
            (c.upper is None or body <= pyo.value(c.upper) + 1e-6)
    assert m.w.value == 2 and m.w.fixed  # fixed variables stay as they were
    # the ranged row goes over as two rows (2 x 2 nonzeros), then 3 + 2
    assert r.highs_sizes == {"columns": 3, "rows": 4, "nonzeros": 9}


def test_mutable_param_is_read_at_each_solve():
    m = mixed_model()
    solver = make_solver(OPTIONS)
    first = solver.solve(m).objective
    m.cap = 4.0
    second = solver.solve(m)
    assert first == pytest.approx(brute_force(12.0))
    assert second.objective == pytest.approx(brute_force(4.0)) != pytest.approx(first)


def test_everything_fixed_is_an_optimal_constant():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(initialize=3.0)
    m.x.fix()
    m.c = pyo.Constraint(expr=m.x <= 5)
    m.obj = pyo.Objective(expr=2 * m.x + 1)
    r = solve_model(m, OPTIONS)
    assert (r.status, r.objective) == ("optimal", pytest.approx(7.0))


def test_row_without_free_variables_that_cannot_hold_is_infeasible():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(bounds=(0, 1))
    m.y = pyo.Var(initialize=3.0)
    m.y.fix()
    m.c = pyo.Constraint(expr=m.y >= 5)
    m.obj = pyo.Objective(expr=m.x)
    r = solve_model(m, OPTIONS)
    assert r.status == "infeasible" and not r.has_solution
    assert "c" in r.termination


def test_proven_infeasible_and_unbounded():
    m = pyo.ConcreteModel()
    m.x = pyo.Var(domain=pyo.Binary)
    m.c = pyo.Constraint(expr=m.x >= 2)
    m.obj = pyo.Objective(expr=m.x)
    assert solve_model(m, OPTIONS).status == "infeasible"
    u = pyo.ConcreteModel()
    u.x = pyo.Var(domain=pyo.Integers)
    u.obj = pyo.Objective(expr=u.x)
    u.c = pyo.Constraint(expr=u.x <= 3)
    assert solve_model(u, OPTIONS).status == "infeasible_or_unbounded"


def test_unknown_highs_option_names_the_option():
    bad = Solver(options={"mip_rel_gapp": 0.1})
    with pytest.raises(InputError, match=r"solver\.options\.mip_rel_gapp"):
        solve_model(mixed_model(), bad)


def test_two_active_objectives_are_refused():
    m = mixed_model()
    m.other = pyo.Objective(expr=m.x)
    with pytest.raises(ValueError, match="2 active objectives"):
        solve_model(m, OPTIONS)


def test_solver_section_reaches_highs():
    options = Solver(mip_rel_gap=0.02, time_limit_s=7.0, threads=1, random_seed=3,
                     mip_heuristic_effort=0.2, options={"mip_max_nodes": 1000})
    solver = make_solver(options)
    solver.solve(mixed_model())
    h = solver.last.highs
    got = {k: h.getOptionValue(k)[1] for k in ("mip_rel_gap", "time_limit", "random_seed",
                                            "mip_heuristic_effort", "mip_max_nodes")}
    assert got == {"mip_rel_gap": 0.02, "time_limit": 7.0, "random_seed": 3,
                   "mip_heuristic_effort": 0.2, "mip_max_nodes": 1000}
