"""Charts planners read from a sweep table: tornado, Pareto frontier, small multiples."""

from __future__ import annotations

import pandas as pd

from ..outputs.style import num

KPIS = {"objective_bn_krw": "cost [bn KRW, present value]",
        "kpi__capital_region_share": "capital-region share [-]",
        "kpi__largest_province_share": "largest province share [-]",
        "kpi__renewable_share": "renewable share [-]",
        "kpi__provinces_used": "host provinces"}
PARETO_KPI = {"province_max_share": ("kpi__largest_province_share", "min"),
              "capital_region_max_share": ("kpi__capital_region_share", "min"),
              "renewable_share_scale": ("kpi__renewable_share", "max")}


def _params(table: pd.DataFrame) -> list[str]:
    return [c.removeprefix("param__") for c in table.columns if c.startswith("param__")]


def _at_base(column: pd.Series, base: float) -> pd.Series:
    return column.isna() if pd.isna(base) else column == base


def tornado_data(table: pd.DataFrame, base_values: dict[str, float], kpi: str) -> pd.DataFrame:
    """Per parameter: the KPI's lowest and highest change from the base case, and the
    scenarios that found no plan.

    Parameters
    ----------
    table : pandas.DataFrame
        The sweep table of a one-at-a-time design.
    base_values : dict
        Base value of each swept parameter.
    kpi : str
        Column of the table.

    Returns
    -------
    pandas.DataFrame
        Index parameter; columns ``low``, ``high`` (KPI minus base KPI, 0 when no value
        moves it that way), ``low_at``, ``high_at`` (the parameter value giving each, NaN
        for 0), ``span``, ``failed`` (the values whose scenario has no plan, with their
        status, e.g. ``100 (infeasible)``; empty if none) and ``n_failed``; sorted by span
        (largest first). A parameter whose every moved scenario failed is kept, span 0.
    """
    params = _params(table)
    solved = table[kpi].notna() if kpi in table else pd.Series(False, index=table.index)
    is_base = solved.copy()
    for p in params:
        is_base &= _at_base(table[f"param__{p}"], base_values[p])
    if not is_base.any():
        raise ValueError("the sweep table has no solved base-case scenario")
    base = float(table.loc[is_base, kpi].iloc[0])
    rows = [row for p in params
            if (row := _tornado_row(table, params, base_values, kpi, p, base, solved,
                                    is_base))]
    cols = ["parameter", "low", "high", "low_at", "high_at", "failed", "n_failed"]
    df = pd.DataFrame(rows, columns=cols).set_index("parameter")
    df["span"] = df["high"] - df["low"]
    return df.sort_values(["span", "n_failed"], ascending=False, kind="stable")


def _tornado_row(table, params, base_values, kpi, p, base, solved, is_base) -> dict | None:
    """One parameter's bar: its scenarios are those with every other parameter at base."""
    others = pd.Series(True, index=table.index)
    for q in params:
        if q != p:
            others &= _at_base(table[f"param__{q}"], base_values[q])
    mine = table[others & ~is_base & ~_at_base(table[f"param__{p}"], base_values[p])]
    ok, bad = mine[solved[mine.index]], mine[~solved[mine.index]]
    if not len(ok) and not len(bad):
        return None
    delta = (ok[kpi] - base).set_axis(ok[f"param__{p}"])
    low = min(delta.min(), 0.0) if len(delta) else 0.0
    high = max(delta.max(), 0.0) if len(delta) else 0.0
    at = (lambda v, i: float(i) if v != 0.0 else float("nan"))
    failed = ", ".join(f"{v:g} ({st})" for v, st in
                       sorted(zip(bad[f"param__{p}"], bad.get("status", ["failed"] * len(bad)))))
    return {"parameter": p, "low": low, "high": high,
            "low_at": at(low, delta.idxmin()) if len(delta) else float("nan"),
            "high_at": at(high, delta.idxmax()) if len(delta) else float("nan"),
            "failed": failed, "n_failed": len(bad)}


def change_text(kpi: str, x: float) -> str:
    """A change of a KPI as a bar label: ``+1,234.5`` or ``+5.0 pp`` for a share."""
    if "share" in kpi:
        return f"{round(100 * float(x), 1) + 0.0:+.1f} pp"
    return f"{round(float(x), 1) + 0.0:+,.1f}"


def plot_tornado(table: pd.DataFrame, base_values: dict[str, float]):
    """One tornado panel per KPI that moves; returns the matplotlib Figure.

    Each bar end carries its change and the parameter value giving it
    (``+1,234.5 (at 1.3)``); a parameter with scenarios that found no plan is marked
    (red label, ``no plan at 100 (infeasible)``, a cross on the base line), never left out.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = {k: tornado_data(table, base_values, k) for k in KPIS if k in table}
    moved = [k for k, d in data.items() if (d["span"] > 1e-9).any()] or list(data)[:1]
    still = [KPIS[k].split(" [")[0] for k in data if k not in moved]
    fig, axes = plt.subplots(len(moved), 1, figsize=(9, 1.4 + 2.6 * len(moved)), squeeze=False)
    for ax, kpi in zip(axes[:, 0], moved):
        d = data[kpi]
        keep = (d["span"] > 1e-9) | (d["n_failed"] > 0)
        _tornado_panel(ax, kpi, (d[keep] if keep.any() else d).iloc[::-1])
    axes[0, 0].legend(loc="lower right", fontsize=8)
    axes[0, 0].set_title("Sensitivity (one parameter at a time; parameters that change "
                         "nothing are left out, failed scenarios marked in red)", fontsize=10)
    if still:
        fig.text(0.01, 0.0, "Unchanged by every parameter: " + ", ".join(still), fontsize=8,
                 va="bottom")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def _tornado_panel(ax, kpi: str, d: pd.DataFrame) -> None:
    y = list(range(len(d)))
    ax.barh(y, d["low"], color="#2166ac", label="below base")
    ax.barh(y, d["high"], color="#b2182b", label="above base")
    for i, r in zip(y, d.itertuples()):
        for value, at, side in ((r.low, r.low_at, "right"), (r.high, r.high_at, "left")):
            if round(value * (100 if "share" in kpi else 1), 1) != 0.0:  # not solver noise
                text = f"{change_text(kpi, value)} (at {at:g})"
                ax.text(value, i, f" {text} ", va="center", ha=side, fontsize=7)
        if r.n_failed:
            ax.plot([0], [i], marker="x", color="#d4145a", markersize=8, mew=2)
    labels = [p if not r.n_failed else f"{p}\nno plan at {r.failed}"
              for p, r in zip(d.index, d.itertuples())]
    ax.set_yticks(y, labels, fontsize=8)
    for tick, r in zip(ax.get_yticklabels(), d.itertuples()):
        if r.n_failed:
            tick.set_color("#d4145a")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.use_sticky_edges = False  # room for the labels and crosses at 0 too
    ax.margins(x=0.3)
    ax.set_xlabel(f"change of {KPIS[kpi]} from the base case")


def pareto_front(table: pd.DataFrame) -> pd.DataFrame:
    """Epsilon-constraint frontier: cost against the achieved KPI of the scanned parameter.

    Returns the solved points with columns ``epsilon``, ``kpi``, ``cost`` and
    ``efficient`` (not dominated: no other point is at least as good on both and
    strictly better on one).
    """
    (param,) = _params(table)
    kpi, sense = PARETO_KPI.get(param, (None, None))
    if kpi is None:
        raise ValueError(f"no Pareto KPI for parameter {param}; use one of {sorted(PARETO_KPI)}")
    ok = table[table["objective_bn_krw"].notna()]
    pts = pd.DataFrame({"scenario_id": ok["scenario_id"], "epsilon": ok[f"param__{param}"],
                        "kpi": ok[kpi], "cost": ok["objective_bn_krw"]}).reset_index(drop=True)
    good = pts["kpi"] if sense == "min" else -pts["kpi"]
    eff = []
    for i in pts.index:
        dominated = ((good <= good[i]) & (pts["cost"] <= pts.at[i, "cost"])
                     & ((good < good[i]) | (pts["cost"] < pts.at[i, "cost"]))).any()
        eff.append(not dominated)
    pts["efficient"] = eff
    pts.attrs.update(parameter=param, kpi=kpi, sense=sense)
    return pts.sort_values("kpi").reset_index(drop=True)


def plot_pareto(table: pd.DataFrame):
    """Cost against the scanned KPI, frontier highlighted; returns the Figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    pts = pareto_front(table)
    fig, ax = plt.subplots(figsize=(7, 4.5))
    ax.scatter(pts["kpi"], pts["cost"], color="#999999", label="scenario")
    front = pts[pts["efficient"]]
    ax.plot(front["kpi"], front["cost"], "-o", color="#b2182b", label="efficient frontier")
    ax.set_xlabel(pts.attrs["kpi"].removeprefix("kpi__").replace("_", " "))
    ax.set_ylabel("cost [bn KRW, present value]")
    ax.set_title(f"Cost vs {pts.attrs['kpi'].removeprefix('kpi__').replace('_', ' ')} "
                 f"(epsilon-constraint on {pts.attrs['parameter']})")
    ax.legend()
    fig.tight_layout()
    return fig


def plot_tradeoff(tradeoff: pd.DataFrame, param: str = "capital_region_max_share"):
    """Cost against a capital-region share limit (left) and the share achieved (right), one
    line per combination of the other swept parameters; returns the Figure.

    Parameters
    ----------
    tradeoff : pandas.DataFrame
        :func:`siting.sweep.table.tradeoff_table` of the sweep.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fixed = {"scenario_id", param, "objective_bn_krw", "capital_region_share",
             "cost_vs_loosest_bn_krw", "finite_difference_bn_krw_per_pp"}
    key = [c for c in tradeoff.columns if c not in fixed]
    groups = tradeoff.groupby(key, dropna=False, sort=True) if key else [((), tradeoff)]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    for name, g in groups:
        name = name if isinstance(name, tuple) else (name,)
        label = ", ".join(f"{k}={v:g}" for k, v in zip(key, name)) or "scenario"
        g = g.sort_values(param)
        left.plot(g[param], g["cost_vs_loosest_bn_krw"], "-o", label=label)
        right.plot(g[param], g["capital_region_share"], "-o", label=label)
    what = param.replace("_", " ")
    left.set_xlabel(f"{what} [-]")
    left.set_ylabel("cost above the loosest limit [bn KRW, present value]")
    left.set_title(f"Cost of the {what}", fontsize=10)
    right.plot([0, 1], [0, 1], ":", color="#999999", label="share = limit")
    right.set_xlim(left.get_xlim())
    top = max(float(tradeoff[param].max()), float(tradeoff["capital_region_share"].max()))
    right.set_ylim(-0.02, top + 0.05)
    right.set_xlabel(f"{what} [-]")
    right.set_ylabel("capital-region share achieved, last period [-]")
    right.set_title("Capital-region share of the plan", fontsize=10)
    left.legend(fontsize=7)
    fig.tight_layout()
    return fig


def plot_small_multiples(table: pd.DataFrame, provinces: pd.DataFrame,
                         scenario_ids: list[str] | None = None, ncols: int = 3,
                         base_values: dict[str, float] | None = None):
    """Installed IT capacity by province, one map per chosen scenario (shared colour scale).

    Parameters
    ----------
    provinces : pandas.DataFrame
        Province table (indexed by province_id, with ``admin_code``) for the boundaries.
    scenario_ids : list of str, optional
        Default: up to six solved scenarios spread over the cost range.
    base_values : dict, optional
        Base value of each swept parameter: panels then name only what differs.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..inputs.geo import province_boundaries

    ok = table[table["objective_bn_krw"].notna()].sort_values("objective_bn_krw")
    if scenario_ids is None:
        step = max(1, len(ok) // 6)
        scenario_ids = list(ok["scenario_id"].iloc[::step][:6])
    cols = [c for c in table.columns if c.startswith("it_mw__")]
    vmax = float(ok[cols].to_numpy().max()) if len(ok) else 1.0
    bounds = province_boundaries(provinces, simplify_m=500.0)
    nrows = -(-len(scenario_ids) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols + 1.2, 4.4 * nrows),
                             squeeze=False, layout="constrained")
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, sid in zip(axes.ravel(), scenario_ids):
        row = table.set_index("scenario_id").loc[sid]
        mw = pd.Series({c.removeprefix("it_mw__"): row[c] for c in cols})
        bounds.assign(it_mw=mw.reindex(bounds.index).fillna(0.0)).plot(
            ax=ax, column="it_mw", cmap="YlOrRd", vmin=0, vmax=vmax, edgecolor="#666666",
            linewidth=0.3)
        ax.set_title(f"{_changed(row, base_values)}\n{num(row['objective_bn_krw'], 0)} bn KRW "
                     f"({sid})", fontsize=8)
    sm = plt.cm.ScalarMappable(cmap="YlOrRd", norm=plt.Normalize(0, vmax))
    fig.colorbar(sm, ax=axes.ravel().tolist(), shrink=0.6, label="IT capacity, last period [MW]")
    return fig


def _changed(row: pd.Series, base_values: dict[str, float] | None) -> str:
    """``name=value`` of the parameters that differ from the base case."""
    parts = []
    for col in row.index:
        if col.startswith("param__"):
            name, value = col.removeprefix("param__"), row[col]
            base = (base_values or {}).get(name)
            if base_values is None or not (value == base or (pd.isna(value) and pd.isna(base))):
                parts.append(f"{name}={value:g}")
    return ", ".join(parts) if parts else "base case"
