"""OR-Library capacitated warehouse location through the core model, checked against
brute force, an independent highspy formulation and the published optima."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from cflp_reference import solve_by_brute_force, solve_with_highspy
from typer.testing import CliRunner

from siting.cli import app
from siting.errors import InputError
from siting.problems.orlib import read_orlib_cap, solve_cflp

ORLIB = Path(__file__).resolve().parents[2] / "shared" / "orlib-large"


def write_cap(path: Path, cap, fixed, demand, alloc, literal_capacity=False) -> Path:
    """Write an instance in the OR-Library format, with irregular line breaks."""
    m, n = len(cap), len(demand)
    out = [f"{m} {n}"]
    for c, f in zip(cap, fixed):
        out.append(f" {'capacity' if literal_capacity else f'{c:g}'} {f:g} ")
    for j in range(n):
        vals = [f"{demand[j]:g}"] + [f"{a:g}" for a in alloc[j]]
        out.append(" ".join(vals[:3]))  # break customers over several lines
        out.append(" ".join(vals[3:]))
    path.write_text("\n".join(out) + "\n")
    return path


def random_instance(seed: int, m=4, n=6):
    rng = np.random.default_rng(seed)
    demand = rng.integers(5, 30, n).astype(float)
    cap = rng.integers(20, 60, m).astype(float)
    while cap.sum() < demand.sum():
        cap += 10
    fixed = rng.integers(10, 200, m).astype(float)
    alloc = rng.integers(1, 40, (n, m)).astype(float) * demand[:, None]
    return cap, fixed, demand, alloc


@pytest.mark.parametrize("seed", range(6))
def test_small_instances_match_brute_force_and_highspy(tmp_path, seed):
    cap, fixed, demand, alloc = random_instance(seed)
    inst = read_orlib_cap(write_cap(tmp_path / "cap.txt", cap, fixed, demand, alloc))
    np.testing.assert_allclose(inst.allocation_cost, alloc)
    report, _ = solve_cflp(inst)
    assert report.status == "optimal"
    brute = solve_by_brute_force(cap, fixed, demand, alloc)
    assert report.objective == pytest.approx(brute, rel=1e-9)
    assert solve_with_highspy(cap, fixed, demand, alloc) == pytest.approx(brute, rel=1e-9)


def test_hand_instance():
    # two warehouses (cap 10, fixed 5 / cap 10, fixed 1), two customers of demand 6:
    # one warehouse cannot serve both (12 > 10). Unit costs: c1 [1, 3], c2 [2, 1]:
    # open both: 6 + 6*1 + 6*1 = 18; the capacity forces splitting otherwise -> 18
    tmp = Path(__import__("tempfile").mkdtemp())
    path = write_cap(tmp / "h.txt", np.array([10.0, 10.0]), np.array([5.0, 1.0]),
                     np.array([6.0, 6.0]), np.array([[6.0, 18.0], [12.0, 6.0]]))
    report, _ = solve_cflp(read_orlib_cap(path))
    assert report.objective == pytest.approx(18.0)


def test_literal_capacity_needs_a_value(tmp_path):
    cap, fixed, demand, alloc = random_instance(1)
    path = write_cap(tmp_path / "c.txt", cap, fixed, demand, alloc, literal_capacity=True)
    with pytest.raises(InputError, match="--capacity"):
        read_orlib_cap(path)
    inst = read_orlib_cap(path, capacity=100.0)
    assert (inst.capacity == 100.0).all()


@pytest.mark.parametrize("text, needle", [
    ("2 1\n10 5\n10", "file ends early"),
    ("2 1\n10 5\n10 x\n3 1 2", "token 6 ('x') should be fixed cost 2"),
    ("2 1\n10 5\n10 1\n3 1 2 7", "1 extra tokens"),
    ("2 1\n10 5\n10 1\n0 1 2", "demand 0"),
])
def test_reader_errors(tmp_path, text, needle):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(InputError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        read_orlib_cap(path)


def test_cli_prints_objective(tmp_path):
    cap, fixed, demand, alloc = random_instance(3)
    path = write_cap(tmp_path / "cap.txt", cap, fixed, demand, alloc)
    brute = solve_by_brute_force(cap, fixed, demand, alloc)
    result = CliRunner().invoke(app, ["orlib", str(path)])
    assert result.exit_code == 0, result.output
    assert f"objective {brute:.3f}" in result.output and "optimal" in result.output
    bad = CliRunner().invoke(app, ["orlib", str(tmp_path / "missing.txt")])
    assert bad.exit_code == 2 and "not found" in bad.output


PUBLISHED = {("capb", 5000): 13656379.578, ("capc", 7250): 11505767.394}
"""Published optima (OR-Library capopt, see shared/orlib-large/README.md). capb5000 takes
about 40 s on 2 cores and runs in the default suite; capc7250 takes minutes (``-m slow``)."""


@pytest.mark.skipif(not ORLIB.is_dir(), reason="shared/orlib-large not present")
@pytest.mark.parametrize("name, capacity", [
    ("capb", 5000), pytest.param("capc", 7250, marks=pytest.mark.slow)])
def test_published_optimum(name, capacity):
    inst = read_orlib_cap(ORLIB / f"{name}.txt", capacity)
    report, _ = solve_cflp(inst, mip_rel_gap=1e-7, threads=2)
    assert report.status == "optimal"
    assert report.objective == pytest.approx(PUBLISHED[name, capacity], abs=1e-2)
