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
    """Per parameter: the KPI's lowest and highest change from the base case.

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
        Index parameter; columns ``low``, ``high`` (KPI minus base KPI), ``span``,
        sorted by span (largest first). Failed scenarios are ignored.
    """
    params = _params(table)
    ok = table[table[kpi].notna()] if kpi in table else table.iloc[0:0]
    is_base = pd.Series(True, index=ok.index)
    for p in params:
        is_base &= _at_base(ok[f"param__{p}"], base_values[p])
    if not is_base.any():
        raise ValueError("the sweep table has no solved base-case scenario")
    base = float(ok.loc[is_base, kpi].iloc[0])
    rows = []
    for p in params:
        others = pd.Series(True, index=ok.index)
        for q in params:
            if q != p:
                others &= _at_base(ok[f"param__{q}"], base_values[q])
        delta = ok.loc[others & ~is_base, kpi] - base
        if len(delta):
            rows.append({"parameter": p, "low": min(delta.min(), 0.0),
                         "high": max(delta.max(), 0.0)})
    df = pd.DataFrame(rows, columns=["parameter", "low", "high"]).set_index("parameter")
    df["span"] = df["high"] - df["low"]
    return df.sort_values("span", ascending=False)


def plot_tornado(table: pd.DataFrame, base_values: dict[str, float]):
    """One tornado panel per KPI; returns the matplotlib Figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = {k: tornado_data(table, base_values, k) for k in KPIS if k in table}
    moved = [k for k, d in data.items() if (d["span"] > 1e-9).any()] or list(data)[:1]
    still = [KPIS[k].split(" [")[0] for k in data if k not in moved]
    fig, axes = plt.subplots(len(moved), 1, figsize=(8, 1.4 + 2.4 * len(moved)), squeeze=False)
    for ax, kpi in zip(axes[:, 0], moved):
        d = data[kpi]
        d = d[d["span"] > 1e-9].iloc[::-1] if (d["span"] > 1e-9).any() else d.iloc[::-1]
        y = range(len(d))
        ax.barh(y, d["low"], color="#2166ac", label="below base")
        ax.barh(y, d["high"], color="#b2182b", label="above base")
        ax.set_yticks(list(y), d.index)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel(f"change of {KPIS[kpi]} from the base case")
    axes[0, 0].legend(loc="lower right", fontsize=8)
    axes[0, 0].set_title("Sensitivity (one parameter at a time; parameters that change "
                         "nothing are left out)", fontsize=10)
    if still:
        fig.text(0.01, 0.0, "Unchanged by every parameter: " + ", ".join(still), fontsize=8,
                 va="bottom")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


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
