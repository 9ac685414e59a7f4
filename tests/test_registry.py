"""The family registry drives build, objective, binding limits and the diagnosis: a family
registered here, and touched nowhere else, appears in all of them.

The extra family is a water limit per site: ``it_{s,p} <= W_s`` [MW IT of cooling water
allowance], with a water cost of 0.01 bn KRW per MW IT per year.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyomo.environ as pyo
import pytest
from tiny import write_case

import siting
from siting.inputs.model_file import Constraints, Weights  # assembled before any test here
from siting.model.constraints import FAMILIES, CostTerm, Family, Limit, linear

WATER_COST = 0.01  # bn KRW per MW IT and year


def _water_family(limit_mw: dict[str, float] | None = None) -> Family:
    """With ``limit_mw`` None, the allowance is computed in the data stage (the family's
    ``prepare``): 40% of each site's size."""

    def prepare(inputs, model):
        return (0.4 * inputs.sites["max_it_mw"]).to_dict()  # sites are indexed by id

    def add(m, data):
        nonlocal limit_mw
        limit_mw = limit_mw or data.family_data["water"]
        lk = data.lookup
        pairs = [(s, p) for s, p in lk.live_pairs if s in limit_mw]
        m.site_water = pyo.Constraint(pairs, rule=lambda m, s, p: (
            None, linear([lk.module_mw[s]], [m.site_modules[s, p]]), limit_mw[s]))

    def cost(m, data):
        lk = data.lookup
        return lambda m, p: linear([WATER_COST * lk.module_mw[s] for s in lk.live[p]],
                                   [m.site_modules[s, p] for s in lk.live[p]])

    return Family(name="water", add=add, prepare=None if limit_mw else prepare,
                  costs=(CostTerm("water", "cooling water", cost),),
                  limits=(Limit("site_water", "IT capacity within the site's water "
                                "allowance", "MW IT",
                                "{period}: site {id} needs water for {amount:,.1f} MW IT "
                                "more"),))


@pytest.fixture
def water():
    def register(limit_mw):
        FAMILIES.append(_water_family(limit_mw))
    yield register
    FAMILIES[:] = [f for f in FAMILIES if f.name != "water"]


def test_registered_family_is_built_costed_and_listed_as_binding(tmp_path, water):
    # target 30 at A (1/MW + 10) and B (2/MW), water lets each site hold 40% of 50 = 20
    # (computed in the data stage): A 20 + B 10 = 20 + 10 + 20 = 50, plus water 30 x 0.01 = 0.3
    # -> 50.3 (A 30 alone would be 40.3)
    water(None)
    r = siting.run(write_case(tmp_path), runs_dir=None)
    assert r.results.solve.objective == pytest.approx(50.3)
    assert r.results.costs["water_bn_krw_per_yr"].iloc[0] == pytest.approx(0.3)
    b = r.results.binding
    row = b[b["limit"] == "site_water"]
    assert row[["family", "id", "value", "bound"]].values.tolist() == \
        [["water", "A", 20.0, 20.0]]


def test_registered_family_is_relaxed_by_the_diagnosis(tmp_path, water):
    # water lets A hold 10 and B 10, target 30: 10 MW short in all, found on the water
    # rows (not the target, a goal relaxed only if the limits cannot explain it)
    water({"A": 10.0, "B": 10.0})
    from siting.model.diagnose import find_relaxations

    model = siting.load_model_file(write_case(tmp_path))
    data = siting.prepare(siting.load_inputs(model), model)
    found = find_relaxations(siting.build_model(data))
    assert found and {r.family for r in found} == {"water"}
    assert {r.limit for r in found} == {"site_water"}
    assert sum(r.amount for r in found) == pytest.approx(10.0)
    assert all("needs water for" in r.message for r in found)


def test_diagnosis_relaxes_the_model_it_is_given(tmp_path):
    # the user adds A <= 10 and B <= 10 to a feasible tiny case (target 30): infeasible;
    # the diagnosis works on a copy with that row in place, and leaves the model as it was
    from siting.model.diagnose import find_relaxations

    model = siting.load_model_file(write_case(tmp_path))
    data = siting.prepare(siting.load_inputs(model), model)
    m = siting.build_model(data)
    m.user_cap = pyo.Constraint(["A", "B"], rule=lambda m, s: m.site_it_mw[s, 2030] <= 10)
    assert siting.solve_model(m, model.solver).status == "infeasible"
    found = find_relaxations(m)
    # only the target can give way (user rows are not relaxed): 10 MW short
    assert [(r.family, r.limit, r.amount) for r in found] == \
        [("targets", "national_target", pytest.approx(10.0))]
    assert m.component("elastic_up") is None and m.total_cost.active


def test_linopy_reference_fails_loudly_without_a_counterpart(tmp_path, water):
    pytest.importorskip("linopy")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from linopy_model import build_linopy

    water({"A": 20.0})
    model = siting.load_model_file(write_case(tmp_path))
    data = siting.prepare(siting.load_inputs(model), model)
    with pytest.raises(NotImplementedError, match="water"):
        build_linopy(data)


def test_sweep_catalogue_and_model_file_come_from_the_registry():
    from siting.sweep.parameters import CATALOGUE

    sections = {f.name for f in FAMILIES if f.section is not None}
    assert sections == set(Constraints.model_fields) and "service" in sections
    assert {c.name for f in FAMILIES for c in f.costs} == set(Weights.model_fields)
    assert {p.name for f in FAMILIES for p in f.sweeps} <= set(CATALOGUE)
