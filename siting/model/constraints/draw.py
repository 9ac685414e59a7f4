"""What a site draws from the grid: its facility load less any co-located supply.

Every grid row (node headroom, the provincial balance, the network's line flows) takes a
site's draw from here, so that a family which supplies a site behind the meter (an adjacent
plant, on-site generation, solar with batteries) lowers the draw everywhere at once.

.. math:: draw_{s,p} = PUE_s \\, M_s \\, n_{s,p} - \\sum_{o} q_{s,o,p}

with :math:`n_{s,p}` the site's modules, :math:`M_s` the module size [MW IT] and
:math:`q_{s,o,p}` [MW] the co-located supply of option ``o`` that a family registered
with :func:`register_offset` before the grid family is built.
"""

from __future__ import annotations


def register_offset(m, site: str, period: int, coef: float, var) -> None:
    """Record ``coef * var`` [MW] as supply at ``site`` in ``period`` that the site does not
    draw from the grid (call before the grid family's rows are built)."""
    offsets = m.__dict__.setdefault("_site_draw_offsets", {})
    offsets.setdefault((site, period), []).append((coef, var))


def draw_terms(m, lk, sites, p) -> tuple[list, list]:
    """``sum_s draw_{s,p}`` over the live sites of a group as ``(coefs, vars)`` [MW]."""
    offsets = m.__dict__.get("_site_draw_offsets", {})
    coefs, xs = [], []
    for s in sites:
        if s not in lk.live_set[p]:
            continue
        coefs.append(lk.pue[s] * lk.module_mw[s])
        xs.append(m.site_modules[s, p])
        for c, v in offsets.get((s, p), ()):
            coefs.append(-c)
            xs.append(v)
    return coefs, xs
