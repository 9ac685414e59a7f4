"""Where one family's decisions enter another family's rows.

Two hooks, each filled by a family built *before* the family that reads it
(:data:`siting.model.constraints.FAMILIES` is the build order):

**A site's draw from the grid** (:func:`draw_terms`): its facility load less any
co-located supply. Every grid row (node headroom, the provincial balance, the network's
line flows) takes a site's draw from here, so that a family supplying a site behind the
meter (an adjacent plant, on-site generation, solar with batteries) lowers it everywhere.

.. math:: draw_{s,p} = PUE_s \\, M_s \\, n_{s,p} - \\sum_{o} q_{s,o,p}

with :math:`n_{s,p}` the site's modules, :math:`M_s` the module size [MW IT] and
:math:`q_{s,o,p}` [MW] the co-located supply registered with :func:`register_offset`.

**Capacity added to a grid element** (:func:`added_capacity`): reinforcements (a
transformer at a node, an uprated line, an HVDC link) raise the limit of the element they
reinforce from the period they are complete.

.. math:: flow_{e,p} \\le L_e + \\sum_{r \\in e} \\Delta_r \\, b_{r,p}
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


def register_capacity(m, element: str, key, period: int, coef: float, var) -> None:
    """Record ``coef * var`` [MW] of capacity added to grid ``element`` (``"node"``,
    ``"corridor"``, ``"branch"``, ``"link"``) ``key`` in ``period``."""
    added = m.__dict__.setdefault("_added_capacity", {})
    added.setdefault((element, key, period), []).append((coef, var))


def added_capacity(m, element: str, key, period: int) -> tuple[list, list]:
    """Capacity registered for ``(element, key, period)`` as ``(coefs, vars)`` [MW]."""
    terms = m.__dict__.get("_added_capacity", {}).get((element, key, period), ())
    return [c for c, _ in terms], [v for _, v in terms]
